package io.persistencelog.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.turbo.DynamicThresholdFilter;
import ch.qos.logback.classic.turbo.MDCFilter;
import ch.qos.logback.classic.turbo.MDCValueLevelPair;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.read.ListAppender;
import ch.qos.logback.core.spi.FilterReply;
import io.persistencelog.AppLogger;
import io.persistencelog.AppLoggerFactory;
import io.persistencelog.LogLevel;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The console echo under an application's own Logback configuration: turbo filters that decide on the
 * caller's MDC, and the skipped-lines counter across a stop/start.
 */
class ConsoleEchoLogbackConfigTest {

    private final CollectingBackend backend = new CollectingBackend("c");
    private ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private @Nullable ConsoleLines console;
    private final List<TurboFilter> turboFilters = new ArrayList<>();
    private AsyncPersistencePipeline pipeline;
    private Logger logbackLogger;

    private LoggerContext context() {
        return (LoggerContext) LoggerFactory.getILoggerFactory();
    }

    private void start(String loggerName, ConsoleEchoMode mode, PipelineSettings settings) {
        pipeline = Pipelines.started(settings, backend);
        pipeline.setConsoleEcho(mode);
        PipelineHolder.install(pipeline);
        console = ConsoleLines.attach(loggerName, null);
        logbackLogger = console.logger();
        appender = console.appender();
    }

    private void addTurboFilter(TurboFilter filter) {
        filter.setContext(context());
        filter.start();
        context().addTurboFilter(filter);
        turboFilters.add(filter);
    }

    @AfterEach
    void stop() {
        MDC.clear();
        turboFilters.forEach(context().getTurboFilterList()::remove);
        if (logbackLogger != null && console != null) {
            console.detach();
        }
        if (pipeline != null) {
            PipelineHolder.uninstall(pipeline);
            pipeline.shutdown(Duration.ofSeconds(5));
        }
    }

    private static void callWithMdc(String user, Runnable call) throws InterruptedException {
        Thread caller = new Thread(() -> {
            MDC.put("userId", user);
            try {
                call.run();
            }
            finally {
                MDC.clear();
            }
        }, "caller-" + user);
        caller.start();
        caller.join();
    }

    /**
     * Turbo filters such as {@link MDCFilter} and {@link DynamicThresholdFilter} decide on the caller's MDC.
     * The asynchronous echo must come to the same decision as the caller's own SLF4J call would (and as the
     * synchronous echo does), not one taken later on the echo thread, whose MDC is empty.
     */
    @Test
    void turboFiltersDecideOnTheCallersMdcInBothModes() throws Exception {
        for (ConsoleEchoMode mode : List.of(ConsoleEchoMode.SYNC, ConsoleEchoMode.ASYNC)) {
            String name = "echo.turbo." + mode;
            start(name, mode, Pipelines.settings(10_000, OverflowPolicy.DROP));
            logbackLogger.setLevel(Level.WARN);
            MDCFilter quiet = new MDCFilter();
            quiet.setMDCKey("userId");
            quiet.setValue("quiet");
            quiet.setOnMatch("DENY");
            addTurboFilter(quiet);
            DynamicThresholdFilter perUser = new DynamicThresholdFilter();
            perUser.setKey("userId");
            perUser.setDefaultThreshold(Level.WARN);
            perUser.setOnHigherOrEqual(FilterReply.ACCEPT);
            perUser.setOnLower(FilterReply.DENY);
            MDCValueLevelPair alice = new MDCValueLevelPair();
            alice.setValue("alice");
            alice.setLevel(Level.DEBUG);
            perUser.addMDCValueLevelPair(alice);
            addTurboFilter(perUser);

            AppLogger log = AppLoggerFactory.getAppLogger(name);
            callWithMdc("quiet", () -> log.warn("denied for this user"));
            callWithMdc("alice", () -> log.debug("debug shown for alice"));
            callWithMdc("bob", () -> log.debug("debug hidden for bob"));
            callWithMdc("bob", () -> log.warn("warn shown for bob"));

            assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(appender.list).as(mode.name()).extracting(ILoggingEvent::getFormattedMessage)
                    .containsExactly("debug shown for alice", "warn shown for bob");
            assertThat(backend.entries).hasSize(4);
            stop();
            appender.list.clear();
            backend.entries.clear();
            turboFilters.clear();
            pipeline = null;
            logbackLogger = null;
        }
    }

    /** {@code consoleEchoSkipped} is a counter: a stop/start of the context carries it on, like the others. */
    @Test
    void skippedConsoleLinesStayCountedAcrossAStopAndStart() {
        int echoCapacity = 10;
        start("echo.skipped.restart", ConsoleEchoMode.ASYNC, new PipelineSettings(10_000, OverflowPolicy.BLOCK,
                echoCapacity, Duration.ZERO, echoCapacity, Duration.ofSeconds(10), LogLevel.TRACE,
                PipelineSettings.DEFAULT_MAX_VALUE_LENGTH, Clock.systemUTC()));
        logbackLogger.setLevel(Level.INFO);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AppenderBase<ILoggingEvent> stuck = attachStuckAppender(entered, release);
        try {
            AppLogger log = AppLoggerFactory.getAppLogger("echo.skipped.restart");
            log.info("first");
            await().atMost(Duration.ofSeconds(10)).until(() -> entered.getCount() == 0);
            for (int i = 0; i < 30; i++) {
                log.info("behind a stuck console", "i", i);
            }
            assertThat(pipeline.flushBackend("c", Duration.ofSeconds(10))).isTrue();
            // Besides the line being written, at most echoCapacity lines wait: of the 31, at least 20 were skipped.
            long skipped = (Long) pipeline.getMetrics().get("consoleEchoSkipped");
            assertThat(skipped).isGreaterThanOrEqualTo(20);
            release.countDown();
            assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();

            pipeline.shutdown(Duration.ofSeconds(5));
            pipeline.start();
            assertThat(pipeline.getMetrics()).containsEntry("consoleEchoSkipped", skipped);
        }
        finally {
            release.countDown();
            logbackLogger.detachAppender(stuck);
        }
    }

    /**
     * A console that never returns (a pipe nobody reads) cannot hold up the shutdown beyond its timeout; the
     * lines still waiting for it then are never echoed, and are counted as skipped like any others.
     */
    @Test
    void linesAShutdownLeavesBehindAStuckConsoleAreCounted() {
        start("echo.skipped.shutdown", ConsoleEchoMode.ASYNC, Pipelines.settings(10_000, OverflowPolicy.DROP));
        logbackLogger.setLevel(Level.INFO);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AppenderBase<ILoggingEvent> stuck = attachStuckAppender(entered, release);
        try {
            AppLogger log = AppLoggerFactory.getAppLogger("echo.skipped.shutdown");
            log.info("being written");
            await().atMost(Duration.ofSeconds(10)).until(() -> entered.getCount() == 0);
            log.info("waiting 1");
            log.info("waiting 2");
            assertThat(pipeline.flushBackend("c", Duration.ofSeconds(10))).isTrue();
            assertThat(pipeline.getMetrics()).containsEntry("consoleEchoSkipped", 0L);

            pipeline.shutdown(Duration.ofMillis(200));
            assertThat(backend.entries).hasSize(3);
            assertThat(pipeline.getMetrics()).containsEntry("consoleEchoSkipped", 2L);
        }
        finally {
            release.countDown();
            logbackLogger.detachAppender(stuck);
        }
    }

    /** The skipped-lines notice is a WARN of the logger {@code io.persistencelog}: its level decides, as for any. */
    @Test
    void theSkippedLinesNoticeFollowsTheLevelOfItsLogger() {
        Logger own = context().getLogger("io.persistencelog");
        Level before = own.getLevel();
        boolean additive = own.isAdditive();
        ListAppender<ILoggingEvent> notices = new ListAppender<>();
        notices.setContext(context());
        notices.start();
        own.addAppender(notices);
        own.setAdditive(false);
        try {
            EchoWriter echo = LogbackEcho.forCurrentBinding();
            assertThat(echo).isNotNull();
            own.setLevel(Level.ERROR);
            echo.notice("silenced");
            own.setLevel(Level.WARN);
            echo.notice("shown");
            assertThat(notices.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly("shown");
        }
        finally {
            own.detachAppender(notices);
            own.setLevel(before);
            own.setAdditive(additive);
        }
    }

    /** A console appender that blocks on its first line until {@code release}, attached to the test's logger. */
    private AppenderBase<ILoggingEvent> attachStuckAppender(CountDownLatch entered, CountDownLatch release) {
        AppenderBase<ILoggingEvent> stuck = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                entered.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        stuck.setContext(context());
        stuck.start();
        logbackLogger.addAppender(stuck);
        return stuck;
    }
}
