package io.persistencelog.engine;

import io.persistencelog.codec.QueuedLogEntry;

import io.persistencelog.codec.Redactor;

import io.persistencelog.codec.Secrets;

import io.persistencelog.codec.JsonLineEncoder;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.util.LogbackMDCAdapter;
import io.persistencelog.AppLoggerFactory;
import io.persistencelog.LogEntry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** An {@code AppLogger} entry carries the caller's MDC as fields, redacted like any field. */
class MdcCaptureTest {

    private final CollectingBackend backend = new CollectingBackend("c");
    private AsyncPersistencePipeline pipeline;

    @BeforeEach
    void install() {
        pipeline = Pipelines.started(Pipelines.settings(10_000, OverflowPolicy.DROP), backend);
        pipeline.setRedactor(Redactor.defaults());
        pipeline.setConsoleEcho(ConsoleEchoMode.OFF);
        PipelineHolder.install(pipeline);
    }

    @AfterEach
    void uninstall() {
        MDC.clear();
        PipelineHolder.uninstall(pipeline);
        pipeline.shutdown(Duration.ofSeconds(5));
    }

    @Test
    void mdcKeysBecomeFieldsAfterTheKeyValuesAndAreRedacted() {
        MDC.put("traceId", "4bf92f3577b34da6a3ce929d0e0e4736");
        MDC.put("spanId", "00f067aa0ba902b7");
        MDC.put("session_token", "s3cr3t");
        MDC.put("user_id", "from-mdc");
        AppLoggerFactory.getAppLogger("mdc").info("order placed", "user_id", 42);
        assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();

        LogEntry entry = backend.entries.get(0);
        // The call's own key wins over the MDC's; the MDC's keys follow, sorted; the token is masked.
        assertThat(List.copyOf(entry.fields().keySet()))
                .containsExactly("user_id", "session_token", "spanId", "traceId");
        assertThat(entry.fields()).containsEntry("user_id", 42)
                .containsEntry("traceId", "4bf92f3577b34da6a3ce929d0e0e4736")
                .containsEntry("spanId", "00f067aa0ba902b7")
                .containsEntry("session_token", Secrets.MASK);

        String line = new String(new JsonLineEncoder(1_000).encode(entry).toByteArray(), StandardCharsets.UTF_8);
        assertThat(line).contains("\"user_id\":42,\"session_token\":\"" + Secrets.MASK + "\",\"spanId\":\"00f067aa0ba902b7\","
                + "\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\"").doesNotContain("s3cr3t");
    }

    @Test
    void anMdcKeyNamedLikeAnEntryAttributeNeverReplacesIt() {
        MDC.put("message", "from the mdc");
        MDC.put("level", "DEBUG");
        MDC.put("timestamp", "yesterday");
        AppLoggerFactory.getAppLogger("mdc.reserved").warn("the call's message");
        assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();

        LogEntry entry = backend.entries.get(0);
        String line = new String(new JsonLineEncoder(1_000).encode(entry).toByteArray(), StandardCharsets.UTF_8);
        assertThat(line).contains("\"level\":\"WARN\"", "\"message\":\"the call's message\"",
                "\"fields.level\":\"DEBUG\"", "\"fields.message\":\"from the mdc\"",
                "\"fields.timestamp\":\"yesterday\"").doesNotContain("\"timestamp\":\"yesterday\"");
    }

    @Test
    void anEmptyMdcIsNotCopied() {
        MDC.put("k", "v");
        MDC.remove("k"); // an MDC that was used and is empty again
        AppLoggerFactory.getAppLogger("mdc.empty").info("no context", "a", 1);
        assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
        QueuedLogEntry entry = (QueuedLogEntry) backend.entries.get(0);
        assertThat(entry.mdc()).isNull();
        assertThat(entry.fields()).containsOnlyKeys("a");
    }

    @Test
    void logbacksReadOnlyMdcMapIsKeptByReference() {
        assertThat(MDC.getMDCAdapter()).isInstanceOf(LogbackMDCAdapter.class);
        MDC.put("traceId", "abc");
        AppLoggerFactory.getAppLogger("mdc.ref").info("one");
        AppLoggerFactory.getAppLogger("mdc.ref").info("two");
        assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
        QueuedLogEntry first = (QueuedLogEntry) backend.entries.get(0);
        QueuedLogEntry second = (QueuedLogEntry) backend.entries.get(1);
        assertThat(first.mdc()).isSameAs(((LogbackMDCAdapter) MDC.getMDCAdapter()).getPropertyMap());
        assertThat(second.mdc()).isSameAs(first.mdc());

        // A later change does not reach entries already made.
        MDC.put("traceId", "def");
        assertThat(first.fields()).containsEntry("traceId", "abc");
    }

    @Test
    void callsHeldWhileTheApplicationStartsKeepTheirMdc() {
        StartupBuffer buffer = new StartupBuffer();
        MDC.put("traceId", "held-at-startup");
        // What an AppLogger call does while the startup buffer is the sink.
        buffer.log(io.persistencelog.LogLevel.INFO, "mdc.startup", "during startup", new Object[] { "a", 1 });
        MDC.clear();
        buffer.deliverTo(pipeline);
        assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(backend.entries.get(0).fields()).containsEntry("a", 1).containsEntry("traceId", "held-at-startup");
    }

    @Test
    void callsToAnApplicationsOwnHandlerKeepTheirMdc() {
        List<LogEntry> submitted = new java.util.concurrent.CopyOnWriteArrayList<>();
        io.persistencelog.LogPersistenceHandler own = new io.persistencelog.LogPersistenceHandler() {
            @Override
            public boolean submit(LogEntry entry) {
                return submitted.add(entry);
            }

            @Override
            public java.util.Map<String, Object> getMetrics() {
                return java.util.Map.of();
            }

            @Override
            public boolean flush(Duration timeout) {
                return true;
            }

            @Override
            public void shutdown(Duration timeout) {
            }

            @Override
            public boolean isRunning() {
                return true;
            }
        };
        LogSink sink = HandlerSink.of(own, java.time.Clock.systemUTC(), io.persistencelog.LogLevel.TRACE,
                Redactor.defaults());
        PipelineHolder.install(sink);
        try {
            MDC.put("traceId", "own-handler");
            MDC.put("session_token", "s3cr3t");
            AppLoggerFactory.getAppLogger("mdc.handler").info("to my handler", "a", 1);
        }
        finally {
            PipelineHolder.uninstall(sink);
        }
        assertThat(submitted).hasSize(1);
        assertThat(submitted.get(0).fields()).containsEntry("a", 1).containsEntry("traceId", "own-handler")
                .containsEntry("session_token", Secrets.MASK);
    }
}
