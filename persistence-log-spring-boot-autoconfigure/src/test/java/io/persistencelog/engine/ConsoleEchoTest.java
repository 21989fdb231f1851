package io.persistencelog.engine;

import io.persistencelog.codec.Secrets;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.read.ListAppender;
import io.persistencelog.AppLogger;
import io.persistencelog.AppLoggerFactory;
import io.persistencelog.TimingStats;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The console echo of {@code AppLogger} calls, through a real Logback logger with a list appender: the
 * asynchronous echo keeps the caller's thread name, the entry's time and the MDC; the synchronous echo keeps
 * the call order; the timing covers the echo.
 */
class ConsoleEchoTest {

    private static final Instant FIXED = Instant.parse("2026-03-04T05:06:07.089Z");

    private final CollectingBackend backend = new CollectingBackend("c");
    private AsyncPersistencePipeline pipeline;
    private Logger logbackLogger;
    private ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private @Nullable ConsoleLines console;

    private void start(String loggerName, ConsoleEchoMode mode, Clock clock) {
        pipeline = Pipelines.started(Pipelines.settings(10_000, OverflowPolicy.DROP).withClock(clock), backend);
        pipeline.setConsoleEcho(mode);
        PipelineHolder.install(pipeline);
        console = ConsoleLines.attach(loggerName, Level.INFO);
        logbackLogger = console.logger();
        appender = console.appender();
    }

    @AfterEach
    void stop() {
        MDC.clear();
        if (logbackLogger != null && console != null) {
            console.detach();
        }
        if (pipeline != null) {
            PipelineHolder.uninstall(pipeline);
            pipeline.shutdown(Duration.ofSeconds(5));
        }
    }

    @Test
    void asyncEchoKeepsTheCallersThreadNameTimeAndMdc() throws Exception {
        start("echo.async", ConsoleEchoMode.ASYNC, Clock.fixed(FIXED, ZoneOffset.UTC));
        assertThat(pipeline.consoleEcho()).isEqualTo(ConsoleEchoMode.ASYNC);
        AppLogger log = AppLoggerFactory.getAppLogger("echo.async");
        Thread caller = new Thread(() -> {
            MDC.put("traceId", "4bf92f3577b34da6a3ce929d0e0e4736");
            log.info("order placed", "user_id", 42, "password", "hunter2");
            log.debug("below the console level", "k", 1);
            MDC.clear();
        }, "caller-7");
        caller.start();
        caller.join();

        assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(appender.list).hasSize(1);
        ILoggingEvent event = appender.list.get(0);
        assertThat(event.getThreadName()).isEqualTo("caller-7");
        assertThat(event.getTimeStamp()).isEqualTo(FIXED.toEpochMilli());
        assertThat(event.getLevel()).isEqualTo(Level.INFO);
        assertThat(event.getFormattedMessage()).isEqualTo("order placed user_id=42 password=" + Secrets.MASK);
        assertThat(event.getMDCPropertyMap()).containsEntry("traceId", "4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(event.getMarkerList()).containsExactly(DefaultAppLogger.PERSISTED_MARKER);
        // Both calls were persisted; only the INFO one reached the console.
        assertThat(backend.entries).hasSize(2);
    }

    @Test
    void asyncEchoLeavesTheCallerBeforeTheConsoleLineIsWritten() {
        start("echo.async.blocked", ConsoleEchoMode.ASYNC, Clock.systemUTC());
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        AppenderBase<ILoggingEvent> blocking = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                try {
                    release.await(30, TimeUnit.SECONDS);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        blocking.setContext(logbackLogger.getLoggerContext());
        blocking.start();
        logbackLogger.addAppender(blocking);
        try {
            AppLogger log = AppLoggerFactory.getAppLogger("echo.async.blocked");
            // A console appender that never returns does not hold up the caller: the calls return.
            for (int i = 0; i < 10; i++) {
                log.info("call", "i", i);
            }
            assertThat(appender.list).hasSizeLessThan(10);
            release.countDown();
            assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage)
                    .containsExactly("call i=0", "call i=1", "call i=2", "call i=3", "call i=4", "call i=5",
                            "call i=6", "call i=7", "call i=8", "call i=9");
        }
        finally {
            release.countDown();
            logbackLogger.detachAppender(blocking);
        }
    }

    @Test
    void asyncEchoShowsALineWhoseBatchWaitsForRoomInAFullLaneUnderBlock() {
        // Under queue.when-full=block a stalled backend holds the dispatcher at the hand-off: the line it holds
        // must still reach the console (the line logged just before a hang is the one a developer looks for).
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        CollectingBackend stalled = new CollectingBackend("stalled") {
            @Override
            public io.persistencelog.BatchResult writeBatch(List<io.persistencelog.LogEntry> entries) {
                try {
                    release.await(30, TimeUnit.SECONDS);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                return super.writeBatch(entries);
            }
        };
        pipeline = Pipelines.started(new PipelineSettings(1_000, OverflowPolicy.BLOCK, 1, Duration.ZERO, 2,
                Duration.ofSeconds(5), io.persistencelog.LogLevel.TRACE, 1_000, Clock.systemUTC()), stalled);
        pipeline.setConsoleEcho(ConsoleEchoMode.ASYNC);
        PipelineHolder.install(pipeline);
        console = ConsoleLines.attach("echo.async.block", Level.INFO);
        logbackLogger = console.logger();
        appender = console.appender();
        try {
            AppLogger log = AppLoggerFactory.getAppLogger("echo.async.block");
            log.info("one"); // the backend is stuck writing this one
            log.info("two"); // fills the lane (capacity 2)
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> appender.list.size() == 2);
            log.info("three"); // the dispatcher waits for room to hand this one over
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> appender.list.size() == 3);
            assertThat(stalled.entries).isEmpty();
            assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage)
                    .containsExactly("one", "two", "three");
        }
        finally {
            release.countDown();
        }
        assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(stalled.entries).hasSize(3);
    }

    @Test
    void syncEchoKeepsCallOrderWithTheApplicationsOtherLogLines() {
        start("echo.sync", ConsoleEchoMode.SYNC, Clock.systemUTC());
        AppLogger log = AppLoggerFactory.getAppLogger("echo.sync");
        org.slf4j.Logger plain = LoggerFactory.getLogger("echo.sync");
        for (int i = 0; i < 50; i++) {
            log.info("app", "i", i);
            plain.info("plain {}", i);
        }
        // Written before each call returned, no flush needed, in call order.
        List<String> lines = appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines).hasSize(100);
        for (int i = 0; i < 50; i++) {
            assertThat(lines.get(2 * i)).isEqualTo("app i=" + i);
            assertThat(lines.get(2 * i + 1)).isEqualTo("plain " + i);
        }
        assertThat(appender.list.get(0).getThreadName()).isEqualTo(Thread.currentThread().getName());
    }

    @Test
    void bothEchoModesMaskSecretShapedMessagesAndExceptionTexts() {
        String jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXBhcnQ";
        for (ConsoleEchoMode mode : List.of(ConsoleEchoMode.SYNC, ConsoleEchoMode.ASYNC)) {
            String name = "echo.masked." + mode;
            start(name, mode, Clock.systemUTC());
            AppLogger log = AppLoggerFactory.getAppLogger(name);
            log.info("token " + jwt);
            log.error("login failed", new IllegalStateException("Authorization: Bearer abcdefgh12345678"));
            assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(appender.list).hasSize(2);
            assertThat(appender.list.get(0).getFormattedMessage()).doesNotContain(jwt).contains(Secrets.MASK);
            ILoggingEvent failure = appender.list.get(1);
            // The masked exception is printed as text (type, masked message, stack), never the original.
            assertThat(failure.getThrowableProxy()).isNull();
            assertThat(failure.getFormattedMessage()).startsWith("login failed")
                    .contains(IllegalStateException.class.getName()).contains("ConsoleEchoTest")
                    .doesNotContain("abcdefgh12345678");
            stop();
            appender.list.clear();
            pipeline = null;
            logbackLogger = null;
        }
    }

    @Test
    void offWritesNothingToTheConsoleButPersists() {
        start("echo.off", ConsoleEchoMode.OFF, Clock.systemUTC());
        AppLoggerFactory.getAppLogger("echo.off").info("quiet", "k", 1);
        assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(appender.list).isEmpty();
        assertThat(backend.entries).hasSize(1);
    }

    @Test
    void timingCoversTheSynchronousEcho() {
        start("echo.timed", ConsoleEchoMode.SYNC, Clock.systemUTC());
        long slowNanos = TimeUnit.MILLISECONDS.toNanos(30);
        AtomicReference<Long> appended = new AtomicReference<>();
        AppenderBase<ILoggingEvent> slow = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                // A console that takes at least 30 ms per line (a lower bound: slowness only makes it longer).
                long until = System.nanoTime() + slowNanos;
                while (System.nanoTime() - until < 0) {
                    LockSupport.parkNanos(until - System.nanoTime());
                }
                appended.set(System.nanoTime());
            }
        };
        slow.setContext(logbackLogger.getLoggerContext());
        slow.start();
        logbackLogger.addAppender(slow);
        try {
            AppLogger log = AppLoggerFactory.getAppLogger("echo.timed", true, true);
            log.info("slow console");
            assertThat(appended.get()).isNotNull();
            TimingStats stats = log.getTimingStats();
            assertThat(stats.totalCalls()).isEqualTo(1);
            assertThat(stats.maxTimeMs()).isGreaterThanOrEqualTo(30.0);
        }
        finally {
            logbackLogger.detachAppender(slow);
        }
    }

    @Test
    void timingCountsCallsBelowThePipelinesMinimumLevelToo() {
        start("echo.timed.debug", ConsoleEchoMode.ASYNC, Clock.systemUTC());
        pipeline.shutdown(Duration.ofSeconds(5));
        PipelineHolder.uninstall(pipeline);
        pipeline = Pipelines.started(new PipelineSettings(1_000, OverflowPolicy.DROP, 100, Duration.ZERO, 1_000,
                Duration.ofSeconds(5), io.persistencelog.LogLevel.WARN, 1_000, Clock.systemUTC()), backend);
        pipeline.setConsoleEcho(ConsoleEchoMode.ASYNC);
        PipelineHolder.install(pipeline);
        AppLogger log = AppLoggerFactory.getAppLogger("echo.timed.debug", true, true);
        log.info("not persisted, but echoed on the caller's thread");
        assertThat(log.getTimingStats().totalCalls()).isEqualTo(1);
        // Nothing was enqueued, so the echo happened on the caller's thread before the call returned.
        assertThat(appender.list).hasSize(1);
        assertThat(appender.list.get(0).getThreadName()).isEqualTo(Thread.currentThread().getName());
        assertThat(backend.entries).isEmpty();
    }
}
