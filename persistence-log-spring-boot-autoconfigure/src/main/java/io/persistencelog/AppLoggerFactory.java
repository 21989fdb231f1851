package io.persistencelog;

import io.persistencelog.engine.DefaultAppLogger;
import io.persistencelog.engine.TimingRecorder;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Entry point for {@link AppLogger}s, the Java form of the seed's {@code get_app_logger}. Inside a Spring
 * Boot application the loggers write to the auto-configured pipeline; in a plain {@code main} a pipeline
 * is built from the environment on first use and drained by a JVM shutdown hook.
 */
public final class AppLoggerFactory {

    private static final Map<String, TimingRecorder> TIMINGS = new ConcurrentHashMap<>();

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
        TimingRecorder timing = trackTiming ? TIMINGS.computeIfAbsent(loggerName, n -> new TimingRecorder()) : null;
        return new DefaultAppLogger(loggerName, persist, timing);
    }

    /** Timing of every logger created with timing on, by name. */
    public static Map<String, TimingStats> getTimingStats() {
        Map<String, TimingStats> stats = new TreeMap<>();
        TIMINGS.forEach((name, recorder) -> stats.put(name, recorder.snapshot()));
        return stats;
    }
}
