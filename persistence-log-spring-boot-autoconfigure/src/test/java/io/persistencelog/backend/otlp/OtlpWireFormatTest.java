package io.persistencelog.backend.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.persistencelog.BatchResult;
import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import io.persistencelog.codec.QueuedLogEntry;
import io.persistencelog.codec.Redactor;
import io.persistencelog.codec.Secrets;
import io.persistencelog.testing.Entries;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a collector receives: each entry mapped to the OpenTelemetry logs data model, decoded with the official proto classes. */
class OtlpWireFormatTest {

    private static final Instant NOW = Instant.parse("2024-01-08T10:15:31Z");

    private final OtlpReceiver receiver = new OtlpReceiver();

    @AfterEach
    void close() {
        receiver.close();
    }

    private OtlpBackend backend(OtlpProperties properties, Map<String, String> variables) {
        OtlpSettings settings = OtlpSettings.resolve(properties.withEndpoint(receiver.logsUrl().toString()),
                variables::get, prefix -> Map.of());
        return new OtlpBackend(settings, Clock.fixed(NOW, ZoneOffset.UTC), 32768, wait -> true);
    }

    private OtlpBackend backend() {
        return backend(OtlpProperties.defaults(), Map.of());
    }

    private LogRecord sendOne(LogEntry entry) {
        BatchResult result = backend().writeBatch(List.of(entry));
        assertThat(result.failedCount()).isZero();
        assertThat(receiver.requests()).hasSize(1);
        return OtlpReceiver.records(receiver.requests().get(0)).get(0);
    }

    private static Map<String, AnyValue> attributes(LogRecord record) {
        return record.getAttributesList().stream().collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue));
    }

    @Test
    void requestIsGzipProtobufWithTimestampsBodyScopeAndThread() {
        LogRecord record = sendOne(Entries.info("User logged in"));

        var exchange = receiver.server.exchanges.get(0);
        assertThat(exchange.request().getMethod()).isEqualTo("POST");
        assertThat(exchange.request().getUrl().encodedPath()).isEqualTo("/v1/logs");
        assertThat(exchange.header("Content-Type")).isEqualTo("application/x-protobuf");
        assertThat(exchange.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(record.getBody().getStringValue()).isEqualTo("User logged in");
        assertThat(record.getTimeUnixNano()).isEqualTo(Entries.AT.toEpochMilli() * 1_000_000L);
        assertThat(record.getObservedTimeUnixNano()).isEqualTo(NOW.toEpochMilli() * 1_000_000L);
        assertThat(attributes(record).get("thread.name").getStringValue()).isEqualTo("main");
        ScopeLogs scope = receiver.requests().get(0).getResourceLogs(0).getScopeLogs(0);
        assertThat(scope.getScope().getName()).isEqualTo("com.example.Orders");
        assertThat(record.getTraceId().isEmpty()).isTrue();
    }

    @Test
    void compressionNoneSendsThePlainMessage() {
        OtlpProperties none = new OtlpProperties(null, Map.of(), "none", null, null, Map.of(), 0, Duration.ZERO,
                Duration.ZERO, 512, Duration.ZERO);
        backend(none, Map.of()).writeBatch(List.of(Entries.info("plain")));

        var exchange = receiver.server.exchanges.get(0);
        assertThat(exchange.header("Content-Encoding")).isEmpty();
        assertThat(OtlpReceiver.records(receiver.requests().get(0)).get(0).getBody().getStringValue()).isEqualTo("plain");
    }

    @Test
    void severityNumbersAndTextFollowTheDataModel() {
        OtlpBackend backend = backend();
        List<LogEntry> entries = List.of(Entries.plain(LogLevel.TRACE, "t", null), Entries.plain(LogLevel.DEBUG, "d", null),
                Entries.plain(LogLevel.INFO, "i", null), Entries.plain(LogLevel.WARN, "w", null),
                Entries.plain(LogLevel.ERROR, "e", null));
        backend.writeBatch(entries);

        List<LogRecord> records = receiver.acceptedRecords();
        assertThat(records).extracting(LogRecord::getSeverityNumber).containsExactly(SeverityNumber.SEVERITY_NUMBER_TRACE,
                SeverityNumber.SEVERITY_NUMBER_DEBUG, SeverityNumber.SEVERITY_NUMBER_INFO,
                SeverityNumber.SEVERITY_NUMBER_WARN, SeverityNumber.SEVERITY_NUMBER_ERROR);
        assertThat(records).extracting(r -> r.getSeverityNumber().getNumber()).containsExactly(1, 5, 9, 13, 17);
        assertThat(records).extracting(LogRecord::getSeverityText).containsExactly("TRACE", "DEBUG", "INFO", "WARN",
                "ERROR");
    }

    @Test
    void everyFieldIsAnAttributeOfItsOwnType() {
        LogRecord record = sendOne(Entries.info("typed", "user_id", 123, "big", 9_000_000_000L, "ratio", 0.25,
                "price", new BigDecimal("12.50"), "pro", true, "plan", "gold", "tags", List.of("a", "b"),
                "counts", List.of(1, 2, 3), "mixed", List.of(1, "x"), "order", Map.of("id", 7),
                "when", Instant.parse("2024-01-01T00:00:00Z")));

        Map<String, AnyValue> a = attributes(record);
        assertThat(a.get("user_id").getIntValue()).isEqualTo(123);
        assertThat(a.get("big").getIntValue()).isEqualTo(9_000_000_000L);
        assertThat(a.get("ratio").getDoubleValue()).isEqualTo(0.25);
        assertThat(a.get("price").getDoubleValue()).isEqualTo(12.5);
        assertThat(a.get("pro").getBoolValue()).isTrue();
        assertThat(a.get("plan").getStringValue()).isEqualTo("gold");
        assertThat(a.get("tags").getArrayValue().getValuesList()).extracting(AnyValue::getStringValue)
                .containsExactly("a", "b");
        assertThat(a.get("counts").getArrayValue().getValuesList()).extracting(AnyValue::getIntValue)
                .containsExactly(1L, 2L, 3L);
        if (ANY_VALUE_ATTRIBUTES) {
            assertThat(a.get("mixed").getArrayValue().getValuesList()).extracting(AnyValue::getValueCase)
                    .containsExactly(AnyValue.ValueCase.INT_VALUE, AnyValue.ValueCase.STRING_VALUE);
        }
        else {
            assertThat(a.get("mixed").getArrayValue().getValuesList()).extracting(AnyValue::getStringValue)
                    .containsExactly("1", "x");
        }
        assertThat(kvlist(a.get("order")).get("id").getIntValue()).isEqualTo(7);
        assertThat(a.get("when").getStringValue()).isEqualTo("2024-01-01T00:00:00Z");
    }

    @Test
    void aNestedMapArrivesAsAKeyValueListWithTypedValues() {
        Map<String, Object> customer = new LinkedHashMap<>();
        customer.put("name", "ann");
        customer.put("vip", true);
        customer.put("address", Map.of("zip", 75001));
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("id", 7);
        order.put("total", 12.5);
        order.put("paid", true);
        order.put("tags", List.of("gift", "express"));
        order.put("customer", customer);
        LogRecord record = sendOne(Entries.info("nested", "order", order));

        AnyValue value = attributes(record).get("order");
        assertThat(value.getValueCase()).isEqualTo(AnyValue.ValueCase.KVLIST_VALUE);
        Map<String, AnyValue> o = kvlist(value);
        assertThat(o.get("id").getIntValue()).isEqualTo(7);
        assertThat(o.get("total").getDoubleValue()).isEqualTo(12.5);
        assertThat(o.get("paid").getBoolValue()).isTrue();
        assertThat(o.get("tags").getArrayValue().getValuesList()).extracting(AnyValue::getStringValue)
                .containsExactly("gift", "express");
        Map<String, AnyValue> c = kvlist(o.get("customer"));
        assertThat(c.get("name").getStringValue()).isEqualTo("ann");
        assertThat(c.get("vip").getBoolValue()).isTrue();
        assertThat(kvlist(c.get("address")).get("zip").getIntValue()).isEqualTo(75001);
        assertThat(attributes(record)).doesNotContainKeys("order.id", "order.customer.name");
    }

    @Test
    void aListOfMapsArrivesAsAnArrayOfKeyValueListsWhereTheApiHasAnyValueAttributes() {
        LogRecord record = sendOne(Entries.info("lines", "lines",
                List.of(Map.of("sku", "A1", "qty", 2), Map.of("sku", "B2", "qty", 1))));

        AnyValue lines = attributes(record).get("lines");
        assertThat(lines.getValueCase()).isEqualTo(AnyValue.ValueCase.ARRAY_VALUE);
        List<AnyValue> items = lines.getArrayValue().getValuesList();
        assertThat(items).hasSize(2);
        if (ANY_VALUE_ATTRIBUTES) {
            assertThat(items).allSatisfy(item -> assertThat(item.getValueCase()).isEqualTo(AnyValue.ValueCase.KVLIST_VALUE));
            assertThat(kvlist(items.get(0)).get("sku").getStringValue()).isEqualTo("A1");
            assertThat(kvlist(items.get(0)).get("qty").getIntValue()).isEqualTo(2);
            assertThat(kvlist(items.get(1)).get("sku").getStringValue()).isEqualTo("B2");
        }
        else {
            // OpenTelemetry 1.55 (Spring Boot 4.0) has no AnyValue-typed attribute: each map is sent as its text.
            assertThat(items.get(0).getStringValue()).contains("sku=A1").contains("qty=2");
            assertThat(items.get(1).getStringValue()).contains("sku=B2");
        }
    }

    @Test
    void nestingStopsAtTheFileEncodersDepthAndItemBounds() {
        Map<String, Object> deep = Map.of("leaf", "x");
        for (int i = 0; i < 12; i++) {
            deep = Map.of("next", deep);
        }
        List<Integer> many = java.util.stream.IntStream.range(0, 1_500).boxed().toList();
        LogRecord record = sendOne(Entries.info("deep", "deep", deep, "many", List.of("a", many)));

        AnyValue value = attributes(record).get("deep");
        int levels = 0;
        while (value.getValueCase() == AnyValue.ValueCase.KVLIST_VALUE) {
            value = kvlist(value).get("next");
            levels++;
        }
        assertThat(levels).isEqualTo(OtlpLogMapper.MAX_DEPTH);
        assertThat(value.getStringValue()).isEqualTo(OtlpLogMapper.MAX_DEPTH_MARKER);
        if (ANY_VALUE_ATTRIBUTES) {
            List<AnyValue> items = attributes(record).get("many").getArrayValue().getValues(1).getArrayValue()
                    .getValuesList();
            assertThat(items).hasSize(OtlpLogMapper.MAX_ITEMS + 1);
            assertThat(items.get(OtlpLogMapper.MAX_ITEMS).getStringValue()).startsWith("<truncated");
        }
    }

    @Test
    void secretsInsideNestedMapsAndListsAreMaskedOnTheWire() {
        Map<String, Object> credentials = new LinkedHashMap<>();
        credentials.put("user", "ann");
        credentials.put("password", "hunter2-in-map");
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("path", "/login");
        request.put("login", credentials);
        LogEntry entry = new QueuedLogEntry(Entries.AT.toEpochMilli(), LogLevel.INFO, "com.example.Auth", "login",
                "main", new Object[] { "request", request, "accounts", List.of(Map.of("id", 1, "password", "pw-in-list")) },
                Redactor.defaults());

        LogRecord record = sendOne(entry);

        Map<String, AnyValue> inner = kvlist(kvlist(attributes(record).get("request")).get("login"));
        assertThat(inner.get("user").getStringValue()).isEqualTo("ann");
        assertThat(inner.get("password").getStringValue()).isEqualTo(Secrets.MASK);
        String wire = receiver.requests().get(0).toString();
        assertThat(wire).doesNotContain("hunter2-in-map").doesNotContain("pw-in-list");
    }

    @Test
    void withoutTheIncubatorApiMapsAreFlattenedIntoDottedKeys() {
        OtlpLogMapper mapper = new OtlpLogMapper(Map.of(), Clock.fixed(NOW, ZoneOffset.UTC), 32768, false);

        var attributes = mapper.map(Entries.info("flat", "order", Map.of("id", 7, "customer", Map.of("name", "ann"))))
                .getAttributes().asMap();

        assertThat(attributes.entrySet()).anySatisfy(e -> {
            assertThat(e.getKey().getKey()).isEqualTo("order.id");
            assertThat(e.getValue()).isEqualTo(7L);
        });
        assertThat(attributes.keySet()).extracting(k -> k.getKey()).contains("order.customer.name")
                .doesNotContain("order");
    }

    @Test
    void mapsAreSentAsKeyValueListsOnlyWhenTheIncubatorApiIsLoadable() {
        ClassLoader withoutIncubator = new ClassLoader(getClass().getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (name.startsWith("io.opentelemetry.api.incubator.")) {
                    throw new ClassNotFoundException(name);
                }
                return super.loadClass(name, resolve);
            }
        };

        assertThat(OtlpLogMapper.extendedAttributesAvailable(getClass().getClassLoader())).isTrue();
        assertThat(OtlpLogMapper.extendedAttributesAvailable(withoutIncubator)).isFalse();
    }

    @Test
    void throwableBecomesExceptionAttributes() {
        IllegalStateException error = new IllegalStateException("card declined", new RuntimeException("gateway"));
        LogRecord record = sendOne(Entries.plain(LogLevel.ERROR, "Payment failed", error, "order_id", 42));

        Map<String, AnyValue> a = attributes(record);
        assertThat(a.get("exception.type").getStringValue()).isEqualTo("java.lang.IllegalStateException");
        assertThat(a.get("exception.message").getStringValue()).isEqualTo("card declined");
        assertThat(a.get("exception.stacktrace").getStringValue())
                .startsWith("java.lang.IllegalStateException: card declined")
                .contains("OtlpWireFormatTest.throwableBecomesExceptionAttributes")
                .contains("Caused by: java.lang.RuntimeException: gateway");
        assertThat(a.get("order_id").getIntValue()).isEqualTo(42);
    }

    @Test
    void micrometerTracingMdcKeysBecomeTheRecordsTraceContext() {
        LogRecord record = sendOne(Entries.info("traced", "traceId", "4bf92f3577b34da6a3ce929d0e0e4736",
                "spanId", "00f067aa0ba902b7", "user", "ann"));

        assertThat(hex(record.getTraceId().toByteArray())).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(hex(record.getSpanId().toByteArray())).isEqualTo("00f067aa0ba902b7");
        assertThat(record.getFlags() & 0xff).isEqualTo(1);
        assertThat(attributes(record)).containsKey("user").doesNotContainKeys("traceId", "spanId");
    }

    @Test
    void openTelemetryMdcKeysWithFlagsBecomeTheRecordsTraceContext() {
        LogRecord record = sendOne(Entries.info("traced", "trace_id", "4BF92F3577B34DA6A3CE929D0E0E4736",
                "span_id", "00f067aa0ba902b7", "trace_flags", "00"));

        assertThat(hex(record.getTraceId().toByteArray())).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(hex(record.getSpanId().toByteArray())).isEqualTo("00f067aa0ba902b7");
        assertThat(record.getFlags() & 0xff).isZero();
        assertThat(attributes(record)).doesNotContainKeys("trace_id", "span_id", "trace_flags");
    }

    @Test
    void anInvalidTraceIdStaysAnOrdinaryAttribute() {
        LogRecord record = sendOne(Entries.info("odd", "traceId", "not-a-trace", "spanId", "00f067aa0ba902b7"));

        assertThat(record.getTraceId().isEmpty()).isTrue();
        assertThat(attributes(record).get("traceId").getStringValue()).isEqualTo("not-a-trace");
    }

    @Test
    void resourceCarriesServiceHostAndConfiguredAttributes() {
        OtlpProperties properties = new OtlpProperties(null, Map.of(), null, null, null,
                Map.of("team", "payments"), 0, Duration.ZERO, Duration.ZERO, 512, Duration.ZERO);
        backend(properties, Map.of("spring.application.name", "orders",
                "OTEL_RESOURCE_ATTRIBUTES", "deployment.environment.name=prod,service.version=1.4.2,team=core"))
                .writeBatch(List.of(Entries.info("hello")));

        ExportLogsServiceRequest request = receiver.requests().get(0);
        ResourceLogs resourceLogs = request.getResourceLogs(0);
        Map<String, String> resource = resourceLogs.getResource().getAttributesList().stream()
                .collect(Collectors.toMap(KeyValue::getKey, kv -> kv.getValue().getStringValue()));
        assertThat(resource).containsEntry("service.name", "orders")
                .containsEntry("service.version", "1.4.2")
                .containsEntry("deployment.environment.name", "prod")
                .containsEntry("team", "payments")
                .containsKey("host.name");
        assertThat(resource.get("host.name")).isNotBlank();
    }

    @Test
    void loggersBecomeScopesOfOneResource() {
        OtlpBackend backend = backend();
        LogEntry other = Entries.entry("b").logger("com.example.Billing").plain();
        backend.writeBatch(List.of(Entries.info("a"), other, Entries.info("c")));

        ExportLogsServiceRequest request = receiver.requests().get(0);
        assertThat(request.getResourceLogsCount()).isEqualTo(1);
        Map<String, List<String>> byScope = request.getResourceLogs(0).getScopeLogsList().stream()
                .collect(Collectors.toMap(s -> s.getScope().getName(),
                        s -> s.getLogRecordsList().stream().map(r -> r.getBody().getStringValue()).toList()));
        assertThat(byScope).containsEntry("com.example.Orders", List.of("a", "c"))
                .containsEntry("com.example.Billing", List.of("b"));
    }

    /** Whether the OpenTelemetry API in use has AnyValue-typed attributes (1.62, Spring Boot 4.1; not 1.55). */
    private static final boolean ANY_VALUE_ATTRIBUTES = java.util.Arrays.stream(
            io.opentelemetry.api.incubator.common.ExtendedAttributeKey.class.getMethods())
            .anyMatch(m -> m.getName().equals("valueKey"));

    private static Map<String, AnyValue> kvlist(AnyValue value) {
        assertThat(value.getValueCase()).isEqualTo(AnyValue.ValueCase.KVLIST_VALUE);
        return value.getKvlistValue().getValuesList().stream()
                .collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue));
    }

    static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append(String.format("%02x", b));
        }
        return sb.toString();
    }
}
