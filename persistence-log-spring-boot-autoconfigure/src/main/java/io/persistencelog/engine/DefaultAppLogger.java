package io.persistencelog.engine;

import io.persistencelog.codec.ParsedKeyValues;

import io.persistencelog.codec.Redactor;

import io.persistencelog.codec.SafeText;

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
 * Persists through the current {@link LogSink} and echoes to the console through SLF4J, like the original Python design's
 * structlog logger. The echo carries the {@link #PERSISTED_MARKER} whenever this logger decided about
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

    @Override
    public void trace(String message, @Nullable Object... keyValues) {
        log(LogLevel.TRACE, message, keyValues);
    }

    @Override
    public void debug(String message, @Nullable Object... keyValues) {
        log(LogLevel.DEBUG, message, keyValues);
    }

    @Override
    public void info(String message, @Nullable Object... keyValues) {
        log(LogLevel.INFO, message, keyValues);
    }

    @Override
    public void warn(String message, @Nullable Object... keyValues) {
        log(LogLevel.WARN, message, keyValues);
    }

    @Override
    public void error(String message, @Nullable Object... keyValues) {
        log(LogLevel.ERROR, message, keyValues);
    }

    @Override
    public void log(@Nullable LogLevel level, @Nullable String message, @Nullable Object @Nullable... keyValues) {
        LogLevel lvl = level == null ? LogLevel.INFO : level;
        boolean handled = !persist || persist(lvl, message, keyValues);
        echo(lvl, message, keyValues, handled);
    }

    /** True when the call was persisted or deliberately not persisted (below the pipeline's minimum level). */
    private boolean persist(LogLevel level, @Nullable String message, @Nullable Object @Nullable [] keyValues) {
        try {
            LogSink sink = PipelineHolder.sink();
            if (sink == null) {
                return false;
            }
            if (!sink.isEnabled(level)) {
                return true;
            }
            TimingRecorder t = timing;
            if (t == null) {
                sink.log(level, name, message, keyValues);
            }
            else {
                long start = System.nanoTime();
                sink.log(level, name, message, keyValues);
                t.recordNanos(System.nanoTime() - start);
            }
            return true;
        }
        catch (Throwable ex) {
            InternalErrors.report("log call", ex);
            return false;
        }
    }

    private void echo(LogLevel level, @Nullable String message, @Nullable Object @Nullable [] keyValues,
            boolean handled) {
        try {
            Level slf4jLevel = Level.valueOf(level.name());
            if (!console.isEnabledForLevel(slf4jLevel)) {
                return;
            }
            LoggingEventBuilder event = console.atLevel(slf4jLevel);
            if (handled) {
                event = event.addMarker(PERSISTED_MARKER);
            }
            StringBuilder text = new StringBuilder(String.valueOf(message));
            if (keyValues != null && keyValues.length > 0) {
                ParsedKeyValues parsed = ParsedKeyValues.parse(keyValues);
                LogSink sink = PipelineHolder.current();
                Map<String, Object> fields = (sink == null ? Redactor.defaults() : sink.redactor()).redact(parsed.fields());
                fields.forEach((k, v) -> text.append(' ').append(k).append('=').append(SafeText.toText(v)));
                for (var field : fields.entrySet()) {
                    event = event.addKeyValue(field.getKey(), field.getValue());
                }
                if (parsed.error() != null) {
                    event = event.setCause(parsed.error());
                }
            }
            event.log(text.toString());
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
