package io.persistencelog.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.turbo.DynamicThresholdFilter;
import ch.qos.logback.classic.turbo.MDCFilter;
import ch.qos.logback.classic.turbo.MDCValueLevelPair;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.read.ListAppender;
import ch.qos.logback.core.spi.FilterReply;
import io.persistencelog.AppLogger;
import io.persistencelog.AppLoggerFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The console echo under an application's own Logback configuration: turbo filters that decide on the
 * caller's MDC.
 */
class ConsoleEchoLogbackConfigTest {

    private final CollectingBackend backend = new CollectingBackend("c");
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
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
        logbackLogger = (Logger) LoggerFactory.getLogger(loggerName);
        logbackLogger.setAdditive(false);
        appender.setContext(context());
        appender.start();
        logbackLogger.addAppender(appender);
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
        if (logbackLogger != null) {
            logbackLogger.detachAppender(appender);
            logbackLogger.setAdditive(true);
            logbackLogger.setLevel(null);
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
}
