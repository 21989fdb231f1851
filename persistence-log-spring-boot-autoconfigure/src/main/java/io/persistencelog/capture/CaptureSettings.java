package io.persistencelog.capture;

import io.persistencelog.LogLevel;
import io.persistencelog.config.BackendProviders;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the capture appender persists.
 *
 * @param minLevel lowest level of captured events
 * @param excludedLoggers logger name prefixes whose events are never captured; a prefix matches the logger
 *     of that name and its children ({@code org.apache.kafka} matches {@code org.apache.kafka.clients.Foo}).
 *     The library's own loggers ({@link #INTERNAL_LOGGERS}) and the pipeline's threads
 *     ({@link #EXCLUDED_THREAD_PREFIXES}) are excluded on top of these, always.
 */
public record CaptureSettings(LogLevel minLevel, List<String> excludedLoggers) {

    /**
     * Libraries that backends use on the drain side: capturing them could feed every write back into the
     * pipeline. Each backend's provider names its own ({@code captureExcludedLoggers()}); keep them when
     * replacing the list.
     */
    public static final List<String> DEFAULT_EXCLUDED_LOGGERS = BackendProviders
            .captureExcludedLoggers(CaptureSettings.class.getClassLoader());

    /**
     * The library's own packages. Always excluded (not configurable), so nothing the pipeline, a backend or
     * the capture itself logs can come back as an entry. Applications whose own packages live under
     * {@code io.persistencelog} (e.g. a sample app) are still captured.
     */
    public static final List<String> INTERNAL_LOGGERS = List.of("io.persistencelog.engine",
            "io.persistencelog.backend", "io.persistencelog.capture", "io.persistencelog.autoconfigure");

    /**
     * Threads whose events are never captured: the pipeline's dispatcher and lanes ({@code persistence-log-*})
     * and the Kafka producer's I/O thread.
     */
    public static final List<String> EXCLUDED_THREAD_PREFIXES = List.of("persistence-log-",
            "kafka-producer-network-thread");

    public CaptureSettings {
        List<String> cleaned = new ArrayList<>(excludedLoggers.size());
        for (String prefix : excludedLoggers) {
            String p = normalise(prefix);
            if (!p.isEmpty() && !cleaned.contains(p)) {
                cleaned.add(p);
            }
        }
        excludedLoggers = Collections.unmodifiableList(cleaned);
    }

    /** INFO and above, default exclusions. */
    public static CaptureSettings defaults() {
        return new CaptureSettings(LogLevel.INFO, DEFAULT_EXCLUDED_LOGGERS);
    }

    /** Accepts {@code org.apache.kafka}, {@code org.apache.kafka.} and {@code org.apache.kafka.*} alike. */
    private static String normalise(String prefix) {
        String p = prefix == null ? "" : prefix.trim();
        if (p.endsWith("*")) {
            p = p.substring(0, p.length() - 1);
        }
        while (p.endsWith(".")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }
}
