package io.persistencelog.backend.prometheus;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.persistencelog.BatchLogBackend;
import io.persistencelog.BatchResult;
import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Counts every entry that reaches it in Micrometer counters, so Prometheus (or any registry) sees log rates
 * by level and logger:
 * <ul>
 *   <li>{@value #ENTRIES_METER}{@code {level, logger}}: every entry (Prometheus:
 *       {@code logpersistence_log_entries_total});</li>
 *   <li>{@value #ERRORS_METER}{@code {level, logger}}: entries that carry an error (a throwable).</li>
 * </ul>
 * The names are not Boot's {@code logback.events}, which counts Logback events already: the two would
 * double count the captured ones.
 *
 * <p>The {@code logger} tag is bounded: allow-listed loggers (or package prefixes) are tagged by their
 * allow-list entry, then up to {@link PrometheusProperties#maxLoggers()} further loggers by their own name in
 * the order they are first seen; all others are folded into {@value #OTHER}. Levels are lower case, as in
 * {@code logback.events}.
 */
public final class PrometheusBackend extends BatchLogBackend {

    /** The backend's name in {@code LOG_BACKENDS}. */
    public static final String NAME = "prometheus";
    public static final String ENTRIES_METER = "logpersistence.log.entries";
    public static final String ERRORS_METER = "logpersistence.log.errors";
    public static final String OTHER = "other";
    private static final LogLevel[] LEVELS = LogLevel.values();
    /** Allow-listed logger names remembered for a fast lookup; beyond this they are matched each time. */
    private static final int MAX_CACHED_LOGGERS = 10_000;

    private final MeterRegistry registry;
    private final PrometheusProperties settings;
    /** Tag of each logger that has one of its own (allow-listed or admitted); never grows past the bound. */
    private final Map<String, Counters> byLogger = new ConcurrentHashMap<>();
    /** Counters by tag value: several allow-listed loggers share their prefix's counters; "other" always. */
    private final Map<String, Counters> byTag = new ConcurrentHashMap<>();
    private final Object admission = new Object();
    private volatile int admitted;
    private final AtomicLong counted = new AtomicLong();
    private final AtomicLong withError = new AtomicLong();
    private final AtomicLong folded = new AtomicLong();

    public PrometheusBackend(MeterRegistry registry, PrometheusProperties settings) {
        this.registry = registry;
        this.settings = settings;
        // Known tags exist from the start, at 0: a series that appears only with its first increment hides that
        // increment from rate() and increase().
        for (String allowed : settings.loggers()) {
            byTag.computeIfAbsent(allowed, Counters::new);
        }
        byTag.computeIfAbsent(OTHER, Counters::new);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public BatchResult writeBatch(List<LogEntry> entries) {
        for (LogEntry entry : entries) {
            count(entry);
        }
        return BatchResult.persisted(entries.size());
    }

    private void count(LogEntry entry) {
        Counters counters = countersFor(entry.logger());
        LogLevel level = entry.level();
        counters.entries(level).increment();
        counted.incrementAndGet();
        if (entry.error() != null) {
            counters.errors(level).increment();
            withError.incrementAndGet();
        }
    }

    private Counters countersFor(String logger) {
        Counters known = byLogger.get(logger);
        if (known != null) {
            return known;
        }
        String allowed = allowListed(logger);
        if (allowed != null) {
            Counters counters = byTag.computeIfAbsent(allowed, Counters::new);
            if (byLogger.size() < MAX_CACHED_LOGGERS) {
                byLogger.putIfAbsent(logger, counters);
            }
            return counters;
        }
        if (admitted < settings.maxLoggers() && !logger.isEmpty() && !logger.equals(OTHER)) {
            synchronized (admission) {
                known = byLogger.get(logger);
                if (known != null) {
                    return known;
                }
                if (admitted < settings.maxLoggers()) {
                    admitted++;
                    Counters counters = byTag.computeIfAbsent(logger, Counters::new);
                    byLogger.put(logger, counters);
                    return counters;
                }
            }
        }
        folded.incrementAndGet();
        return byTag.computeIfAbsent(OTHER, Counters::new);
    }

    /** The most specific allow-list entry equal to the logger or a package prefix of it. */
    private @Nullable String allowListed(String logger) {
        String best = null;
        for (String entry : settings.loggers()) {
            boolean matches = logger.equals(entry)
                    || (logger.length() > entry.length() && logger.startsWith(entry)
                            && logger.charAt(entry.length()) == '.');
            if (matches && (best == null || entry.length() > best.length())) {
                best = entry;
            }
        }
        return best;
    }

    @Override
    public Map<String, Object> getMetrics() {
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("backend", name());
        metrics.put("meter", ENTRIES_METER);
        metrics.put("errorMeter", ERRORS_METER);
        metrics.put("counted", counted.get());
        metrics.put("withError", withError.get());
        metrics.put("loggerTags", byTag.size());
        metrics.put("maxLoggers", settings.maxLoggers());
        metrics.put("allowListedLoggers", settings.loggers().size());
        metrics.put("foldedIntoOther", folded.get());
        return metrics;
    }

    @Override
    public String toString() {
        return "PrometheusBackend[meter=" + ENTRIES_METER + ", maxLoggers=" + settings.maxLoggers() + "]";
    }

    /**
     * One logger tag's counters by level, all registered at 0 when the tag is created: the tag count is bounded,
     * so every level of every tag is a bounded number of series.
     */
    private final class Counters {
        private final String tag;
        private final Counter[] entries = new Counter[LEVELS.length];
        private final Counter[] errors = new Counter[LEVELS.length];

        Counters(String tag) {
            this.tag = tag;
            for (LogLevel level : LEVELS) {
                entries[level.ordinal()] = register(ENTRIES_METER,
                        "Log entries handled by persistence-log, by level and logger", level);
                errors[level.ordinal()] = register(ERRORS_METER,
                        "Log entries handled by persistence-log that carry an error, by level and logger", level);
            }
        }

        Counter entries(LogLevel level) {
            return entries[level.ordinal()];
        }

        Counter errors(LogLevel level) {
            return errors[level.ordinal()];
        }

        private Counter register(String meter, String description, LogLevel level) {
            return Counter.builder(meter)
                    .description(description)
                    .tag("level", level.name().toLowerCase(Locale.ROOT))
                    .tag("logger", tag)
                    .register(registry);
        }
    }
}
