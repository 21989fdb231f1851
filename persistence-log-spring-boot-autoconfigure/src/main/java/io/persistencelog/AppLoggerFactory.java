package io.persistencelog;

import io.persistencelog.engine.DefaultAppLogger;
import io.persistencelog.engine.PipelineHolder;
import io.persistencelog.standalone.StandalonePipeline;
import io.persistencelog.engine.TimingRecorder;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Entry point for {@link AppLogger}s, the Java form of the original Python design's
 * {@code get_app_logger}. Inside a Spring
 * Boot application the loggers write to the auto-configured pipeline; in a plain {@code main} a pipeline
 * is built from the environment on first use and drained by a JVM shutdown hook.
 */
public final class AppLoggerFactory {

    private static final Map<String, TimingRecorder> TIMINGS = new ConcurrentHashMap<>();
    private static final List<Consumer<String>> TIMING_LISTENERS = new CopyOnWriteArrayList<>();

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
        TimingRecorder timing = null;
        if (trackTiming) {
            timing = TIMINGS.get(loggerName);
            if (timing == null) {
                TimingRecorder created = new TimingRecorder();
                timing = TIMINGS.putIfAbsent(loggerName, created);
                if (timing == null) {
                    timing = created;
                    TIMING_LISTENERS.forEach(listener -> listener.accept(loggerName));
                }
            }
        }
        return new DefaultAppLogger(loggerName, persist, timing);
    }

    /**
     * Calls the listener with the name of every logger with timing, now and whenever a new one is created
     * (e.g. to publish its meters).
     */
    public static void onTimedLogger(Consumer<String> listener) {
        TIMING_LISTENERS.add(listener);
        TIMINGS.keySet().forEach(listener);
    }

    /** Stops notifying a listener given to {@link #onTimedLogger}. */
    public static void removeTimedLoggerListener(Consumer<String> listener) {
        TIMING_LISTENERS.remove(listener);
    }

    /** Timing of every logger created with timing on, by name. */
    public static Map<String, TimingStats> getTimingStats() {
        Map<String, TimingStats> stats = new TreeMap<>();
        TIMINGS.forEach((name, recorder) -> stats.put(name, recorder.snapshot()));
        return stats;
    }
}
