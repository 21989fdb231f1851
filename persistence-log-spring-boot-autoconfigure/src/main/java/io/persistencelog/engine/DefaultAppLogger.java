package io.persistencelog.engine;




import io.persistencelog.AppLogger;
import io.persistencelog.LogLevel;
import io.persistencelog.TimingStats;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Persists through the current {@link LogSink} and echoes to the console, like the structlog logger of the
 * original Python design. By default ({@link ConsoleEchoMode#ASYNC}) the pipeline writes the console line on
 * its own thread, so the caller pays only the enqueue; in {@code SYNC} mode (or when SLF4J is not bound to
 * Logback) the caller writes it through SLF4J before returning. The echo carries the {@link #PERSISTED_MARKER} whenever this logger decided about
 * persistence itself (persisted it, or skipped it because of {@code persist=false} or the pipeline's
 * minimum level), so the Logback capture neither persists the same call a second time nor overrides that
 * decision.
 */
public final class DefaultAppLogger implements AppLogger {

    public static final String PERSISTED_MARKER_NAME = "PERSISTENCE_LOG_PERSISTED";
    public static final Marker PERSISTED_MARKER = MarkerFactory.getMarker(PERSISTED_MARKER_NAME);

    private final String name;
    private final boolean persist;
    private final @Nullable TimingRecorder timing;
    private final Logger console;

    public DefaultAppLogger(String name, boolean persist, @Nullable TimingRecorder timing) {
        this.name = name;
        this.persist = persist;
        this.timing = timing;
        this.console = LoggerFactory.getLogger(name);
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * Timing, when on, covers the whole call (persisting and, in sync mode, the console line) from entry to
     * return, as the original Python design defines it.
     */
    @Override
    public void log(@Nullable LogLevel level, @Nullable String message, @Nullable Object @Nullable... keyValues) {
        TimingRecorder t = timing;
        if (t == null) {
            logUntimed(level, message, keyValues);
            return;
        }
        long start = System.nanoTime();
        logUntimed(level, message, keyValues);
        t.recordNanos(System.nanoTime() - start);
    }

    private void logUntimed(@Nullable LogLevel level, @Nullable String message,
            @Nullable Object @Nullable [] keyValues) {
        LogLevel lvl = level == null ? LogLevel.INFO : level;
        if (!persist) {
            // Console-only loggers: the console line is all they do, so it is written in every mode.
            echo(lvl, message, keyValues, true, null);
            return;
        }
        LogSink sink;
        try {
            sink = PipelineHolder.sink();
        }
        catch (Throwable ex) {
            InternalErrors.report("log call", ex);
            sink = null;
        }
        if (sink == null) {
            echo(lvl, message, keyValues, false, null); // nothing persists it: the console is all there is
            return;
        }
        ConsoleEchoMode mode = sink.consoleEcho();
        boolean enabled;
        try {
            enabled = sink.isEnabled(lvl);
            if (enabled) {
                // ASYNC: the pipeline's echo thread writes the console line. Whether there is one is decided
                // here, as the caller's own SLF4J call would decide it: Logback's turbo filters read the
                // caller's MDC (DynamicThresholdFilter, MDCFilter), and the echo thread's MDC is not the caller's.
                sink.log(lvl, name, message, keyValues, mode == ConsoleEchoMode.ASYNC && consoleEnabled(lvl));
            }
        }
        catch (Throwable ex) {
            InternalErrors.report("log call", ex);
            echo(lvl, message, keyValues, false, sink);
            return;
        }
        if (mode == ConsoleEchoMode.SYNC || (!enabled && mode == ConsoleEchoMode.ASYNC)) {
            // Below the pipeline's minimum level nothing is enqueued, so the echo (if any) happens here.
            echo(lvl, message, keyValues, true, sink);
        }
    }

    /** Whether the console logger takes this level, asked on the caller's thread (never throws). */
    private boolean consoleEnabled(LogLevel level) {
        try {
            return console.isEnabledForLevel(Level.valueOf(level.name()));
        }
        catch (Throwable ex) {
            InternalErrors.report("console echo", ex);
            return false;
        }
    }

    /**
     * The synchronous console line, through SLF4J on the caller's thread, masked like what {@code sink} persists
     * (null: the sink that would take the call, e.g. the startup buffer with the application's settings).
     */
    private void echo(LogLevel level, @Nullable String message, @Nullable Object @Nullable [] keyValues,
            boolean handled, @Nullable LogSink sink) {
        try {
            Level slf4jLevel = Level.valueOf(level.name());
            if (!console.isEnabledForLevel(slf4jLevel)) {
                return;
            }
            LoggingEventBuilder event = console.atLevel(slf4jLevel);
            if (handled) {
                event = event.addMarker(PERSISTED_MARKER);
            }
            EchoLine line = EchoLine.of(message, keyValues,
                    sink != null ? sink.redactor() : PipelineHolder.consoleRedactor());
            for (Map.Entry<String, Object> field : line.fields().entrySet()) {
                event = event.addKeyValue(field.getKey(), field.getValue());
            }
            Throwable error = line.error();
            if (error != null) {
                event = event.setCause(error);
            }
            event.log(line.text());
        }
        catch (Throwable ex) {
            InternalErrors.report("console echo", ex);
        }
    }

    @Override
    public TimingStats getTimingStats() {
        TimingRecorder t = timing;
        return t == null ? TimingStats.EMPTY : t.snapshot();
    }

    @Override
    public String toString() {
        return "AppLogger[" + name + ", persist=" + persist + ", timing=" + (timing != null) + "]";
    }
}
