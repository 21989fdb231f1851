package io.persistencelog;

import io.persistencelog.engine.DefaultAppLogger;
import io.persistencelog.engine.PipelineHolder;
import io.persistencelog.standalone.StandalonePipeline;
import io.persistencelog.engine.TimingRecorder;
import io.persistencelog.engine.TimingRegistry;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Entry point for {@link AppLogger}s, the Java form of the original Python design's
 * {@code get_app_logger}. Inside a Spring
 * Boot application the loggers write to the auto-configured pipeline; in a plain {@code main} a pipeline
 * is built from the environment on first use and drained by a JVM shutdown hook.
 */
public final class AppLoggerFactory {

    /** Capped: dynamic logger names beyond the cap share one bucket (see {@link TimingRegistry}). */
    private static final TimingRegistry TIMINGS = new TimingRegistry(TimingRegistry.DEFAULT_MAX_NAMES);

    static {
        // A plain main builds its pipeline from the environment on the first persisted call.
        PipelineHolder.useStandaloneFactory(StandalonePipeline::fromEnvironment);
    }

    private AppLoggerFactory() {
    }

    /** A persisting logger without timing. */
    public static AppLogger getAppLogger(String name) {
        return getAppLogger(name, true, false);
    }

    /**
     * @param persist whether calls are persisted (false: console only)
     * @param trackTiming whether the caller-side cost of each call is recorded; loggers of one name share
     *     their timing, shown by the {@code logpersistence} endpoint
     */
    public static AppLogger getAppLogger(String name, boolean persist, boolean trackTiming) {
        String loggerName = name == null ? "app" : name;
        TimingRecorder timing = trackTiming ? TIMINGS.recorder(loggerName) : null;
        return new DefaultAppLogger(loggerName, persist, timing);
    }

    /**
     * Calls the listener with the name of every logger with timing, now and whenever a new one is created
     * (e.g. to publish its meters).
     */
    public static void onTimedLogger(Consumer<String> listener) {
        TIMINGS.onNewName(listener);
    }

    /** Stops notifying a listener given to {@link #onTimedLogger}. */
    public static void removeTimedLoggerListener(Consumer<String> listener) {
        TIMINGS.removeListener(listener);
    }

    /**
     * Timing of every logger created with timing on, by name; past {@link TimingRegistry#DEFAULT_MAX_NAMES}
     * names, later ones are summed under {@link TimingRegistry#OTHER}.
     */
    public static Map<String, TimingStats> getTimingStats() {
        return TIMINGS.snapshot();
    }
}
