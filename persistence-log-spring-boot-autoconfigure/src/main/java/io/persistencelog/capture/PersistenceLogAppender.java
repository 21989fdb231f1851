package io.persistencelog.capture;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import io.persistencelog.LogLevel;
import io.persistencelog.engine.DefaultAppLogger;
import io.persistencelog.engine.LogSink;
import io.persistencelog.engine.PipelineHolder;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Marker;

/**
 * Logback appender that persists the application's own SLF4J/Logback events: each event at or above the
 * minimum level becomes a {@link CapturedLogEntry} handed to the pipeline.
 *
 * <p>{@link #append} only builds a small entry that references the event and offers it to the queue: it
 * never blocks (a full queue drops and counts the entry, whatever {@code queue.when-full} says) and never
 * throws.
 *
 * <p>Never captured: echoes of {@code AppLogger} calls (they carry {@link DefaultAppLogger#PERSISTED_MARKER}
 * and are persisted by the AppLogger itself, exactly once); events logged on the pipeline's own threads or
 * the Kafka producer's I/O thread; events of the library's own loggers and of the excluded logger prefixes
 * (by default the HTTP and Kafka clients that backends use). So a backend that logs on every write can never
 * feed its writes back into the pipeline.
 *
 * <p>The Spring Boot auto-configuration attaches it to the root logger; outside Spring it can be declared in
 * {@code logback.xml} ({@code minLevel} and {@code excludeLoggers} are settable there) and then writes to the
 * pipeline {@code AppLoggerFactory} uses.
 */
public class PersistenceLogAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

    private final Supplier<@Nullable LogSink> target;
    private volatile Filter filter = new Filter(CaptureSettings.defaults());
    private volatile @Nullable ClockChoice clockChoice;

    private final LongAdder captured = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder excluded = new LongAdder();
    private final LongAdder noPipeline = new LongAdder();
    private final LongAdder failures = new LongAdder();

    /** Writes to the current pipeline: the Spring context's, or the standalone one of a plain program. */
    public PersistenceLogAppender() {
        this(PipelineHolder::sink);
    }

    /** Writes to the given sink, e.g. an {@code AsyncPersistencePipeline}. */
    public PersistenceLogAppender(LogSink sink) {
        this(() -> sink);
    }

    PersistenceLogAppender(Supplier<@Nullable LogSink> target) {
        this.target = target;
    }

    /** Applies new settings; takes effect for the next event. */
    public void configure(CaptureSettings settings) {
        this.filter = new Filter(settings);
    }

    public CaptureSettings settings() {
        return filter.settings;
    }

    /** For {@code logback.xml}: {@code <minLevel>WARN</minLevel>}. */
    public void setMinLevel(String level) {
        CaptureSettings current = filter.settings;
        configure(new CaptureSettings(LogLevel.valueOf(level.trim().toUpperCase(Locale.ROOT)),
                current.excludedLoggers()));
    }

    /** For {@code logback.xml}: comma-separated prefixes; replaces the default exclusions. */
    public void setExcludeLoggers(String prefixes) {
        CaptureSettings current = filter.settings;
        configure(new CaptureSettings(current.minLevel(), Arrays.asList(prefixes.split(","))));
    }

    @Override
    protected void append(ILoggingEvent event) {
        try {
            Filter f = filter;
            if (event.getLevel().toInt() < f.minLevel) {
                return;
            }
            String thread = String.valueOf(event.getThreadName());
            if (f.excludes(event, thread)) {
                excluded.increment();
                return;
            }
            LogSink sink = target.get();
            if (sink == null) {
                noPipeline.increment();
                return;
            }
            CapturedLogEntry entry = CapturedLogEntry.of(event, timestampOf(event, sink), thread);
            if (sink.offer(entry)) {
                captured.increment();
            }
            else {
                dropped.increment();
            }
        }
        catch (Throwable ex) {
            // A log call must never fail because of persistence: count it and report the first one.
            failures.increment();
            if (failures.sum() == 1) {
                addError("persistence-log could not capture an event", ex);
            }
        }
    }

    /**
     * The event's own time, unless the pipeline stamps entries with a clock that is not the system clock (a
     * {@code Clock} bean, e.g. one that pins the week in a test): then that clock, like {@code AppLogger}
     * entries.
     */
    private long timestampOf(ILoggingEvent event, LogSink sink) {
        Clock clock = sink.clock();
        ClockChoice choice = clockChoice;
        if (choice == null || choice.clock != clock) {
            choice = new ClockChoice(clock, isSystemClock(clock));
            clockChoice = choice;
        }
        return choice.system ? event.getTimeStamp() : clock.millis();
    }

    private static boolean isSystemClock(Clock clock) {
        try {
            return clock.equals(Clock.system(clock.getZone()));
        }
        catch (RuntimeException ex) {
            return false;
        }
    }

    /** Events handed to the pipeline. */
    public long capturedCount() {
        return captured.sum();
    }

    /** Events the pipeline refused (queue full or stopped); the pipeline counts them as dropped too. */
    public long droppedCount() {
        return dropped.sum();
    }

    /** Events skipped because of their logger, thread or marker. */
    public long excludedCount() {
        return excluded.sum();
    }

    /** Events that arrived while no pipeline was running. */
    public long noPipelineCount() {
        return noPipeline.sum();
    }

    /** Events lost to an internal error (never seen by the caller). */
    public long failureCount() {
        return failures.sum();
    }

    @Override
    public String toString() {
        return "PersistenceLogAppender[" + getName() + ", " + filter.settings + "]";
    }

    private record ClockChoice(Clock clock, boolean system) {
    }

    /** Settings compiled for the hot path. */
    private static final class Filter {

        final CaptureSettings settings;
        final int minLevel;
        final String[] loggerPrefixes;
        final String[] threadPrefixes;

        Filter(CaptureSettings settings) {
            this.settings = settings;
            this.minLevel = logbackLevel(settings.minLevel());
            List<String> loggers = new ArrayList<>(CaptureSettings.INTERNAL_LOGGERS);
            for (String prefix : settings.excludedLoggers()) {
                if (!loggers.contains(prefix)) {
                    loggers.add(prefix);
                }
            }
            this.loggerPrefixes = loggers.toArray(new String[0]);
            this.threadPrefixes = CaptureSettings.EXCLUDED_THREAD_PREFIXES.toArray(new String[0]);
        }

        boolean excludes(ILoggingEvent event, String thread) {
            return hasPersistedMarker(event) || startsWithAny(thread, threadPrefixes)
                    || excludedLogger(String.valueOf(event.getLoggerName()));
        }

        private static boolean hasPersistedMarker(ILoggingEvent event) {
            List<Marker> markers = event.getMarkerList();
            if (markers == null) {
                return false;
            }
            for (Marker marker : markers) {
                if (marker != null && marker.contains(DefaultAppLogger.PERSISTED_MARKER_NAME)) {
                    return true;
                }
            }
            return false;
        }

        private static boolean startsWithAny(String text, String[] prefixes) {
            for (String prefix : prefixes) {
                if (text.startsWith(prefix)) {
                    return true;
                }
            }
            return false;
        }

        /** A prefix matches the logger of that name and its children, not {@code okhttp3x}. */
        private boolean excludedLogger(String logger) {
            for (String prefix : loggerPrefixes) {
                if (logger.startsWith(prefix)) {
                    int end = prefix.length();
                    if (logger.length() == end || logger.charAt(end) == '.' || logger.charAt(end) == '$') {
                        return true;
                    }
                }
            }
            return false;
        }

        private static int logbackLevel(LogLevel level) {
            return switch (level) {
                case TRACE -> ch.qos.logback.classic.Level.TRACE_INT;
                case DEBUG -> ch.qos.logback.classic.Level.DEBUG_INT;
                case INFO -> ch.qos.logback.classic.Level.INFO_INT;
                case WARN -> ch.qos.logback.classic.Level.WARN_INT;
                case ERROR -> ch.qos.logback.classic.Level.ERROR_INT;
            };
        }
    }
}
