package io.persistencelog.backend.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.persistencelog.AppLoggerFactory;
import io.persistencelog.LogBackend;
import io.persistencelog.LogLevel;
import io.persistencelog.autoconfigure.CaptureAutoConfiguration;
import io.persistencelog.autoconfigure.LogPersistenceAutoConfiguration;
import io.persistencelog.autoconfigure.LogPersistenceEndpoint;
import io.persistencelog.engine.AsyncPersistencePipeline;
import io.persistencelog.engine.DefaultBackendRegistry;
import io.persistencelog.engine.LaneStats;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The otlp backend in a Spring application: selected by name, configured from properties, seen in the endpoint. */
class OtlpSpringTests {

    private static final String TOKEN = "spring-otlp-token-5e6f7a8b";

    private final OtlpReceiver receiver = new OtlpReceiver();

    @TempDir
    Path logs;

    @AfterEach
    void close() {
        receiver.close();
    }

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LogPersistenceAutoConfiguration.class))
                .withPropertyValues("log-persistence.file.directory=" + logs, "log-persistence.shutdown-timeout=5s",
                        "log-persistence.otlp.batch-wait=0ms");
    }

    /** SLF4J events captured and sent to the receiver only. */
    private ApplicationContextRunner captureToOtlpOnly() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LogPersistenceAutoConfiguration.class,
                        CaptureAutoConfiguration.class))
                .withPropertyValues("LOG_BACKENDS=otlp", "log-persistence.otlp.endpoint=" + receiver.logsUrl(),
                        "log-persistence.otlp.batch-wait=0ms", "log-persistence.shutdown-timeout=5s");
    }

    @Test
    void selectedOtlpSendsToBootsEndpointWithHeadersAndShowsItsFiguresWithoutSecrets() {
        runner().withPropertyValues("LOG_BACKENDS=file,otlp", "spring.application.name=orders",
                "management.opentelemetry.logging.export.otlp.endpoint=" + receiver.logsUrl(),
                "log-persistence.otlp.headers.Authorization=Bearer " + TOKEN,
                "log-persistence.otlp.resource-attributes.deployment.environment.name=staging")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    DefaultBackendRegistry registry = context.getBean(DefaultBackendRegistry.class);
                    assertThat(registry.getActiveBackends()).extracting(LogBackend::name)
                            .containsExactlyInAnyOrder("file", "otlp");
                    AsyncPersistencePipeline pipeline = context.getBean(AsyncPersistencePipeline.class);
                    for (int i = 0; i < 20; i++) {
                        pipeline.log(LogLevel.INFO, "app.spring", "hello", new Object[] { "i", i });
                    }
                    assertThat(pipeline.flush(Duration.ofSeconds(30))).isTrue();

                    assertThat(receiver.acceptedRecords()).hasSize(20);
                    assertThat(receiver.server.exchanges.get(0).header("Authorization")).isEqualTo("Bearer " + TOKEN);
                    List<KeyValue> resource = receiver.requests().get(0).getResourceLogs(0).getResource()
                            .getAttributesList();
                    assertThat(resource).anySatisfy(kv -> {
                        assertThat(kv.getKey()).isEqualTo("service.name");
                        assertThat(kv.getValue().getStringValue()).isEqualTo("orders");
                    });
                    assertThat(resource).anySatisfy(kv -> {
                        assertThat(kv.getKey()).isEqualTo("deployment.environment.name");
                        assertThat(kv.getValue().getStringValue()).isEqualTo("staging");
                    });

                    Map<String, Object> otlp = new LogPersistenceEndpoint(pipeline, registry).backend("otlp");
                    assertThat(otlp).containsEntry("endpoint", receiver.logsUrl().toString())
                            .containsEntry("endpointSource", "management.opentelemetry.logging.export.otlp.endpoint")
                            .containsEntry("requests", (long) receiver.server.exchanges.size())
                            .containsEntry("retries", 0L)
                            .containsEntry("rejected", 0L).containsEntry("lastStatus", 200)
                            .containsEntry("totalWrites", 20L);
                    assertThat(otlp.toString()).doesNotContain(TOKEN);
                    assertThat(new LogPersistenceEndpoint(pipeline, registry).report().toString())
                            .doesNotContain(TOKEN);
                });
    }

    @Test
    void withoutTheExporterSelectingOtlpIsReportedUnavailableNamingTheDependency() {
        runner().withClassLoader(new FilteredClassLoader("io.opentelemetry"))
                .withPropertyValues("LOG_BACKENDS=otlp,file")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    DefaultBackendRegistry registry = context.getBean(DefaultBackendRegistry.class);
                    assertThat(registry.getActiveBackends()).extracting(LogBackend::name).containsExactly("file");
                    assertThat(registry.getUnknownBackends()).containsExactly("otlp");
                    assertThat(registry.unavailableReasons().get("otlp"))
                            .contains("io.opentelemetry:opentelemetry-exporter-otlp");
                    AsyncPersistencePipeline pipeline = context.getBean(AsyncPersistencePipeline.class);
                    pipeline.log(LogLevel.INFO, "app", "still persisted", new Object[0]);
                    assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
                    assertThat(pipeline.laneStats("file").persisted()).isEqualTo(1);
                });
    }

    @Test
    void anInvalidCompressionStopsTheStartNamingTheProperty() {
        runner().withPropertyValues("LOG_BACKENDS=otlp", "log-persistence.otlp.endpoint=" + receiver.logsUrl(),
                "log-persistence.otlp.compression=zstd")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("log-persistence.otlp.compression").hasMessageContaining("gzip or none"));
    }

    @Test
    void afterAContextStopAndStartTheRebuiltBackendStillSendsToTheBaseUrlsLogsPath() {
        runner().withPropertyValues("LOG_BACKENDS=otlp",
                "OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:" + receiver.server.port() + "/")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    AsyncPersistencePipeline pipeline = context.getBean(AsyncPersistencePipeline.class);
                    pipeline.log(LogLevel.INFO, "app", "before the stop", new Object[0]);
                    assertThat(pipeline.flush(Duration.ofSeconds(30))).isTrue();
                    context.stop();
                    context.start();
                    pipeline.log(LogLevel.INFO, "app", "after the start", new Object[0]);
                    assertThat(pipeline.flush(Duration.ofSeconds(30))).isTrue();

                    assertThat(receiver.acceptedRecords()).extracting(r -> r.getBody().getStringValue())
                            .containsExactly("before the stop", "after the start");
                    assertThat(receiver.server.exchanges).allSatisfy(
                            e -> assertThat(e.request().getUrl().encodedPath()).isEqualTo("/v1/logs"));
                    assertThat(pipeline.registry().getAllMetrics().get("otlp"))
                            .containsEntry("endpointSource", "OTEL_EXPORTER_OTLP_ENDPOINT");
                });
    }

    @Test
    void hugeBatchSettingsStillDeliverEveryEntry() {
        // A batch-wait beyond Long.MAX_VALUE nanoseconds overflowed in the lane and failed every entry.
        runner().withPropertyValues("LOG_BACKENDS=otlp", "log-persistence.otlp.endpoint=" + receiver.logsUrl(),
                "log-persistence.otlp.batch-wait=1000000d", "log-persistence.otlp.batch-size=2147483647",
                "log-persistence.otlp.max-retries=2147483647")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    AsyncPersistencePipeline pipeline = context.getBean(AsyncPersistencePipeline.class);
                    for (int i = 0; i < 10; i++) {
                        pipeline.log(LogLevel.INFO, "app", "entry " + i, new Object[0]);
                    }
                    assertThat(pipeline.flush(Duration.ofSeconds(30))).isTrue();

                    assertThat(receiver.acceptedRecords()).hasSize(10);
                    assertThat(pipeline.laneStats("otlp").failed()).isZero();
                });
    }

    @Test
    void theSpoolBridgesACollectorOutageExactlyOnceAndInOrder() {
        for (int i = 0; i < 30; i++) {
            receiver.then(503, "collector restarting");
        }
        runner().withPropertyValues("LOG_BACKENDS=otlp", "log-persistence.otlp.endpoint=" + receiver.logsUrl(),
                "log-persistence.otlp.max-retries=1", "log-persistence.otlp.backoff=5ms",
                "log-persistence.otlp.max-backoff=20ms", "log-persistence.otlp.batch-size=100",
                "log-persistence.queue.when-full=block", "log-persistence.min-level=TRACE",
                "log-persistence.spool.enabled=true", "log-persistence.spool.directory=" + logs.resolve("spool"),
                "log-persistence.resilience.failures-to-open=2", "log-persistence.resilience.pause-initial=50ms",
                "log-persistence.resilience.pause-max=200ms")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    AsyncPersistencePipeline pipeline = context.getBean(AsyncPersistencePipeline.class);
                    for (int i = 0; i < 2_000; i++) {
                        pipeline.log(LogLevel.INFO, "orders", "entry " + i, new Object[] { "seq", i });
                    }
                    assertThat(pipeline.flush(Duration.ofSeconds(60))).isTrue();
                    await().atMost(Duration.ofSeconds(60)).until(() -> receiver.acceptedRecords().size() >= 2_000
                            && Long.valueOf(0).equals(pipeline.registry().getAllMetrics().get("otlp").get("spooled")));

                    List<Long> seqs = receiver.acceptedRecords().stream().map(OtlpSpringTests::seq).toList();
                    assertThat(seqs).containsExactlyElementsOf(IntStream.range(0, 2_000).mapToObj(i -> (long) i).toList());
                    assertThat(receiver.server.exchanges.stream().filter(e -> e.answeredWith() == 503).count())
                            .isEqualTo(30);
                    LaneStats lane = pipeline.laneStats("otlp");
                    assertThat(lane.failed()).isZero();
                    assertThat(lane.dropped()).isZero();
                    assertThat(lane.accepted()).isEqualTo(2_000).isEqualTo(lane.persisted() + lane.inFlight());
                });
    }

    @Test
    void aCapturedSlf4jEventCarriesItsMdcTraceContextIntoTheRecord() {
        captureToOtlpOnly().run(context -> {
                    assertThat(context).hasNotFailed();
                    Logger logger = LoggerFactory.getLogger("com.example.Checkout");
                    MDC.put("traceId", "4bf92f3577b34da6a3ce929d0e0e4736");
                    MDC.put("spanId", "00f067aa0ba902b7");
                    MDC.put("user", "ann");
                    try {
                        logger.info("checkout done");
                    }
                    finally {
                        MDC.clear();
                    }
                    assertThat(context.getBean(AsyncPersistencePipeline.class).flush(Duration.ofSeconds(30))).isTrue();

                    LogRecord record = receiver.acceptedRecords().stream()
                            .filter(r -> r.getBody().getStringValue().equals("checkout done")).findFirst().orElseThrow();
                    assertThat(OtlpWireFormatTest.hex(record.getTraceId().toByteArray()))
                            .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
                    assertThat(OtlpWireFormatTest.hex(record.getSpanId().toByteArray())).isEqualTo("00f067aa0ba902b7");
                    assertThat(record.getAttributesList()).anySatisfy(kv -> {
                        assertThat(kv.getKey()).isEqualTo("user");
                        assertThat(kv.getValue().getStringValue()).isEqualTo("ann");
                    });
                    assertThat(receiver.requests().get(0).getResourceLogs(0).getScopeLogsList())
                            .anySatisfy(scope -> assertThat(scope.getScope().getName()).isEqualTo("com.example.Checkout"));
                });
    }

    @Test
    void withoutMdcIdsTheCurrentOpenTelemetrySpanIsTheCapturedEventsTraceContext() {
        captureToOtlpOnly().run(context -> {
                    SpanContext span = SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
                            TraceFlags.getSampled(), TraceState.getDefault());
                    try (Scope scope = Span.wrap(span).makeCurrent()) {
                        LoggerFactory.getLogger("com.example.Traced").info("inside a span");
                    }
                    LoggerFactory.getLogger("com.example.Traced").info("outside any span");
                    assertThat(context.getBean(AsyncPersistencePipeline.class).flush(Duration.ofSeconds(30))).isTrue();

                    Map<String, LogRecord> byBody = receiver.acceptedRecords().stream()
                            .collect(java.util.stream.Collectors.toMap(r -> r.getBody().getStringValue(), r -> r,
                                    (a, b) -> a));
                    LogRecord inside = byBody.get("inside a span");
                    assertThat(OtlpWireFormatTest.hex(inside.getTraceId().toByteArray()))
                            .isEqualTo("0af7651916cd43dd8448eb211c80319c");
                    assertThat(OtlpWireFormatTest.hex(inside.getSpanId().toByteArray())).isEqualTo("b7ad6b7169203331");
                    assertThat(inside.getFlags() & 0xff).isEqualTo(1);
                    assertThat(byBody.get("outside any span").getTraceId().isEmpty()).isTrue();
                });
    }

    @Test
    void anAppLoggerEntryCarriesTheCallersMdcTraceContextIntoTheRecord() {
        runner().withPropertyValues("LOG_BACKENDS=otlp", "log-persistence.otlp.endpoint=" + receiver.logsUrl())
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    MDC.put("traceId", "4bf92f3577b34da6a3ce929d0e0e4736");
                    MDC.put("spanId", "00f067aa0ba902b7");
                    try {
                        AppLoggerFactory.getAppLogger("api").info("Request completed", "status", 200);
                    }
                    finally {
                        MDC.clear();
                    }
                    assertThat(context.getBean(AsyncPersistencePipeline.class).flush(Duration.ofSeconds(30))).isTrue();

                    LogRecord record = receiver.acceptedRecords().stream()
                            .filter(r -> r.getBody().getStringValue().equals("Request completed")).findFirst()
                            .orElseThrow();
                    assertThat(OtlpWireFormatTest.hex(record.getTraceId().toByteArray()))
                            .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
                    assertThat(OtlpWireFormatTest.hex(record.getSpanId().toByteArray())).isEqualTo("00f067aa0ba902b7");
                    assertThat(record.getAttributesList()).noneSatisfy(kv -> assertThat(kv.getKey()).isEqualTo("traceId"));
                });
    }

    @Test
    void anAppLoggerCallInsideACurrentOpenTelemetrySpanCarriesItsTraceContextToTheFileAndTheRecord() throws Exception {
        SdkTracerProvider tracerProvider = SdkTracerProvider.builder().build();
        try {
            runner().withPropertyValues("LOG_BACKENDS=file,otlp", "log-persistence.otlp.endpoint=" + receiver.logsUrl())
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        Span span = tracerProvider.get("test").spanBuilder("checkout").startSpan();
                        try (Scope scope = span.makeCurrent()) {
                            AppLoggerFactory.getAppLogger("api").info("inside a span", "status", 200);
                        }
                        finally {
                            span.end();
                        }
                        AppLoggerFactory.getAppLogger("api").info("outside any span", "status", 200);
                        assertThat(context.getBean(AsyncPersistencePipeline.class).flush(Duration.ofSeconds(30)))
                                .isTrue();
                        String traceId = span.getSpanContext().getTraceId();
                        String spanId = span.getSpanContext().getSpanId();

                        Map<String, LogRecord> byBody = receiver.acceptedRecords().stream()
                                .collect(java.util.stream.Collectors.toMap(r -> r.getBody().getStringValue(), r -> r,
                                        (a, b) -> a));
                        LogRecord inside = byBody.get("inside a span");
                        assertThat(OtlpWireFormatTest.hex(inside.getTraceId().toByteArray())).isEqualTo(traceId);
                        assertThat(OtlpWireFormatTest.hex(inside.getSpanId().toByteArray())).isEqualTo(spanId);
                        // sampled, and from OpenTelemetry 1.62 on also W3C's "random trace id" bit
                        assertThat(inside.getFlags() & 0xff)
                                .isEqualTo(span.getSpanContext().getTraceFlags().asByte() & 0xff).isOdd();
                        assertThat(byBody.get("outside any span").getTraceId().isEmpty()).isTrue();

                        Map<String, JsonNode> lines = fileLines();
                        assertThat(lines.get("inside a span").path("trace_id").asString()).isEqualTo(traceId);
                        assertThat(lines.get("inside a span").path("span_id").asString()).isEqualTo(spanId);
                        assertThat(lines.get("outside any span").has("trace_id")).isFalse();
                        assertThat(lines.get("outside any span").has("span_id")).isFalse();
                    });
        }
        finally {
            tracerProvider.close();
        }
    }

    /** The persisted file lines under the log directory, by message. */
    private Map<String, JsonNode> fileLines() throws java.io.IOException {
        ObjectMapper json = new ObjectMapper();
        Map<String, JsonNode> byMessage = new java.util.HashMap<>();
        try (var files = java.nio.file.Files.walk(logs)) {
            for (Path file : files.filter(java.nio.file.Files::isRegularFile).toList()) {
                for (String line : java.nio.file.Files.readAllLines(file)) {
                    if (line.startsWith("{")) {
                        JsonNode node = json.readTree(line);
                        byMessage.put(node.path("message").asString(), node);
                    }
                }
            }
        }
        return byMessage;
    }

    private static long seq(LogRecord record) {
        return record.getAttributesList().stream().filter(kv -> kv.getKey().equals("seq")).findFirst().orElseThrow()
                .getValue().getIntValue();
    }
}
