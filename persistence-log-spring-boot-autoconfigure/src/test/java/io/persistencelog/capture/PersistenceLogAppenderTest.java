package io.persistencelog.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.entry;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import io.persistencelog.engine.AsyncPersistencePipeline;
import io.persistencelog.engine.CollectingBackend;
import io.persistencelog.engine.DefaultBackendRegistry;
import io.persistencelog.engine.DefaultAppLogger;
import io.persistencelog.codec.JsonLineEncoder;
import io.persistencelog.codec.JsonNull;
import io.persistencelog.engine.LogSink;
import io.persistencelog.engine.OverflowPolicy;
import io.persistencelog.engine.PipelineSettings;
import io.persistencelog.engine.Pipelines;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.MarkerFactory;

/** The appender on the real (global) Logback root logger, writing to a real pipeline. */
class PersistenceLogAppenderTest {

    private static final String BASE = "capturetest";

    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final Logger base = context.getLogger(BASE);
    private final Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final List<AsyncPersistencePipeline> pipelines = new ArrayList<>();
    private @Nullable PersistenceLogAppender appender;

    @AfterEach
    void detach() {
        if (appender != null) {
            root.detachAppender(appender);
            appender.stop();
        }
        base.setLevel(null);
        MDC.clear();
        pipelines.forEach(p -> p.shutdown(Duration.ofSeconds(5)));
    }

    private PersistenceLogAppender attach(LogSink sink, CaptureSettings settings) {
        PersistenceLogAppender a = new PersistenceLogAppender(sink);
        a.setContext(context);
        a.setName("test-capture");
        a.configure(settings);
        a.start();
        root.addAppender(a);
        base.setLevel(Level.TRACE);
        appender = a;
        return a;
    }

    private AsyncPersistencePipeline pipeline(CollectingBackend backend) {
        return pipeline(Pipelines.settings(1024, OverflowPolicy.DROP), backend);
    }

    private AsyncPersistencePipeline pipeline(PipelineSettings settings, CollectingBackend backend) {
        AsyncPersistencePipeline p = Pipelines.started(settings, backend);
        pipelines.add(p);
        return p;
    }

    private static org.slf4j.Logger logger(String name) {
        return LoggerFactory.getLogger(BASE + "." + name);
    }

    @Test
    void keyValuesMdcMarkersThrowableLoggerThreadAndTimeAreKept() {
        CollectingBackend backend = new CollectingBackend("collect");
        AsyncPersistencePipeline pipeline = pipeline(backend);
        attach(pipeline, CaptureSettings.defaults());
        IllegalStateException failure = new IllegalStateException("card declined");

        long before = System.currentTimeMillis();
        MDC.put("request_id", "req-42");
        MDC.put("tenant", "acme");
        logger("Signup").atWarn()
                .addMarker(MarkerFactory.getMarker("AUDIT"))
                .addKeyValue("user_id", 123)
                .addKeyValue("tenant", "from-key-value")
                .addKeyValue("note", (Object) null)
                .setCause(failure)
                .log("user {} could not pay", "ada");
        long after = System.currentTimeMillis();
        // The MDC belongs to the logging thread: it must have been read there, not on the drain side.
        MDC.clear();

        assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(backend.entries).hasSize(1);
        LogEntry entry = backend.entries.get(0);
        assertThat(entry.level()).isEqualTo(LogLevel.WARN);
        assertThat(entry.logger()).isEqualTo(BASE + ".Signup");
        assertThat(entry.message()).isEqualTo("user ada could not pay");
        assertThat(entry.thread()).isEqualTo(Thread.currentThread().getName());
        assertThat(entry.epochMillis()).isBetween(before, after);
        assertThat(entry.timestamp()).isEqualTo(Instant.ofEpochMilli(entry.epochMillis()));
        assertThat(entry.error()).isSameAs(failure);
        assertThat(entry.fields()).containsExactly(entry("user_id", 123), entry("tenant", "from-key-value"),
                entry("note", JsonNull.INSTANCE), entry("request_id", "req-42"), entry("markers", List.of("AUDIT")));

        String line = new String(new JsonLineEncoder(10_000).encode(entry).toByteArray(), StandardCharsets.UTF_8);
        assertThat(line).contains("\"user_id\":123", "\"request_id\":\"req-42\"", "\"markers\":[\"AUDIT\"]",
                "\"message\":\"user ada could not pay\"", "\"error\":{\"type\":\"java.lang.IllegalStateException\"",
                "\"note\":null").endsWith("}\n");
        assertThat(appender.capturedCount()).isEqualTo(1);
    }

    @Test
    void eventsBelowTheMinimumLevelAreNotCaptured() {
        CollectingBackend backend = new CollectingBackend("collect");
        AsyncPersistencePipeline pipeline = pipeline(backend);
        attach(pipeline, new CaptureSettings(LogLevel.WARN, CaptureSettings.DEFAULT_EXCLUDED_LOGGERS));

        org.slf4j.Logger log = logger("Levels");
        log.trace("t");
        log.debug("d");
        log.info("i");
        log.warn("w");
        log.error("e");

        assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(backend.entries).extracting(LogEntry::message).containsExactly("w", "e");
        assertThat(backend.entries).extracting(LogEntry::level).containsExactly(LogLevel.WARN, LogLevel.ERROR);
    }

    @Test
    void debugAndTraceAreCapturedWhenTheMinimumLevelAllows() {
        CollectingBackend backend = new CollectingBackend("collect");
        AsyncPersistencePipeline pipeline = pipeline(backend);
        attach(pipeline, new CaptureSettings(LogLevel.TRACE, List.of()));

        logger("Levels").trace("t");
        logger("Levels").debug("d");

        assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(backend.entries).extracting(LogEntry::level).containsExactly(LogLevel.TRACE, LogLevel.DEBUG);
    }

    @Test
    void appLoggerEchoesPipelineThreadsAndBackendLibrariesAreNeverCaptured() throws Exception {
        CollectingBackend backend = new CollectingBackend("collect");
        AsyncPersistencePipeline pipeline = pipeline(backend);
        PersistenceLogAppender a = attach(pipeline, CaptureSettings.defaults());

        logger("Orders").atInfo().addMarker(DefaultAppLogger.PERSISTED_MARKER).log("echo of an AppLogger call");
        org.slf4j.Marker parent = MarkerFactory.getDetachedMarker("PARENT");
        parent.add(DefaultAppLogger.PERSISTED_MARKER);
        logger("Orders").atInfo().addMarker(parent).log("echo with a nested marker");
        onThread("persistence-log-datadog", () -> logger("Backend").info("a lane logging"));
        onThread("kafka-producer-network-thread | producer-1", () -> logger("Kafka").info("kafka I/O thread"));
        LoggerFactory.getLogger("org.apache.kafka.clients.NetworkClient").info("kafka client");
        LoggerFactory.getLogger("jdk.internal.httpclient.debug").info("jdk http client");
        LoggerFactory.getLogger("okhttp3.OkHttpClient").info("okhttp");
        LoggerFactory.getLogger("io.persistencelog.engine.Lane").info("the engine");
        LoggerFactory.getLogger("io.persistencelog.backend.file.FileBackend").info("a backend");
        // Look-alikes are captured: a prefix matches the logger and its children only.
        LoggerFactory.getLogger("okhttp3x.Client").info("not okhttp");
        LoggerFactory.getLogger("io.persistencelog.sample.Orders").info("an application under io.persistencelog");
        logger("Orders").info("plain application log");

        assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(backend.entries).extracting(LogEntry::message)
                .containsExactly("not okhttp", "an application under io.persistencelog", "plain application log");
        assertThat(a.excludedCount()).isEqualTo(9);
    }

    @Test
    void excludedLoggersAreConfigurableButTheLibraryItselfStaysExcluded() {
        CollectingBackend backend = new CollectingBackend("collect");
        AsyncPersistencePipeline pipeline = pipeline(backend);
        PersistenceLogAppender a = attach(pipeline, CaptureSettings.defaults());
        a.setExcludeLoggers(" com.noisy.* , ");
        a.setMinLevel("info");

        LoggerFactory.getLogger("com.noisy.Poller").info("noisy");
        LoggerFactory.getLogger("org.apache.kafka.clients.NetworkClient").info("kafka, no longer excluded");
        LoggerFactory.getLogger("io.persistencelog.capture.Anything").info("internal");
        onThread("persistence-log-file", () -> LoggerFactory.getLogger("com.example.X").info("lane"));

        assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(a.settings().excludedLoggers()).containsExactly("com.noisy");
        assertThat(backend.entries).extracting(LogEntry::message).containsExactly("kafka, no longer excluded");
    }

    @Test
    void appendNeverBlocksEvenWhenThePipelineWouldBlockAndNeverThrows() {
        // A full queue under when-full=block: AppLogger callers would wait, captured events are dropped.
        PipelineSettings blocking = Pipelines.settings(2, OverflowPolicy.BLOCK);
        AsyncPersistencePipeline notStarted = new AsyncPersistencePipeline(blocking,
                new DefaultBackendRegistry(Set.of()));
        PersistenceLogAppender a = attach(notStarted, CaptureSettings.defaults());

        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            for (int i = 0; i < 10; i++) {
                logger("Busy").info("event {}", i);
            }
        });
        assertThat(a.capturedCount()).isEqualTo(2);
        assertThat(a.droppedCount()).isEqualTo(8);
        assertThat(notStarted.droppedCount()).isEqualTo(8);
        notStarted.shutdown(Duration.ZERO);

        AtomicInteger offers = new AtomicInteger();
        LogSink throwing = new LogSink() {
            @Override
            public boolean isEnabled(LogLevel level) {
                return true;
            }

            @Override
            public void log(LogLevel level, String logger, @Nullable String message,
                    @Nullable Object @Nullable [] keyValues) {
            }

            @Override
            public boolean offer(LogEntry entry) {
                offers.incrementAndGet();
                throw new IllegalStateException("broken sink");
            }
        };
        root.detachAppender(a);
        a.stop();
        PersistenceLogAppender b = attach(throwing, CaptureSettings.defaults());
        assertThatNoException().isThrownBy(() -> logger("Busy").info("must not throw"));
        assertThat(offers).hasValue(1);
        assertThat(b.failureCount()).isEqualTo(1);
    }

    @Test
    void withoutAPipelineEventsAreCountedAndDropped() {
        PersistenceLogAppender a = new PersistenceLogAppender(() -> null);
        a.setContext(context);
        a.start();
        root.addAppender(a);
        appender = a;

        logger("Early").info("nobody listens");

        assertThat(a.noPipelineCount()).isEqualTo(1);
        assertThat(a.capturedCount()).isZero();
    }

    @Test
    void aPinnedClockStampsCapturedEventsLikeAppLoggerEntries() {
        Instant pinned = Instant.parse("2024-01-08T10:15:30.123Z");
        CollectingBackend backend = new CollectingBackend("collect");
        AsyncPersistencePipeline pipeline = pipeline(
                Pipelines.settings(1024, OverflowPolicy.DROP).withClock(Clock.fixed(pinned, ZoneOffset.UTC)),
                backend);
        attach(pipeline, CaptureSettings.defaults());

        logger("Clock").info("pinned");
        pipeline.log(LogLevel.INFO, "app", "app logger entry", null);

        assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(backend.entries).extracting(LogEntry::timestamp).containsExactly(pinned, pinned);
    }

    @Test
    void aSystemClockInAnyZoneKeepsTheEventsOwnTime() {
        CollectingBackend backend = new CollectingBackend("collect");
        AsyncPersistencePipeline pipeline = pipeline(
                Pipelines.settings(1024, OverflowPolicy.DROP).withClock(Clock.system(ZoneId.of("Europe/Paris"))),
                backend);
        attach(pipeline, CaptureSettings.defaults());
        long before = System.currentTimeMillis();
        logger("Clock").info("now");
        long after = System.currentTimeMillis();

        assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(backend.entries.get(0).epochMillis()).isBetween(before, after);
    }

    private static void onThread(String name, Runnable action) {
        Thread thread = new Thread(action, name);
        thread.start();
        try {
            thread.join(10_000);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
