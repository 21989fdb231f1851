package io.persistencelog.engine;

import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The entry built on the caller's thread. It only stores references (timestamp, names, the caller's
 * key/value array) so a log call allocates one small object; turning the key/values into a field map
 * happens lazily on the drain side.
 */
public final class QueuedLogEntry implements LogEntry {

    private static final Object[] NO_KEY_VALUES = new Object[0];

    private final long epochMillis;
    private final LogLevel level;
    private final String logger;
    private final String message;
    private final String thread;
    private final @Nullable Object[] keyValues;
    private final Redactor redactor;
    private volatile @Nullable ParsedKeyValues parsed;

    public QueuedLogEntry(long epochMillis, LogLevel level, String logger, @Nullable String message,
            String thread, @Nullable Object @Nullable [] keyValues) {
        this(epochMillis, level, logger, message, thread, keyValues, Redactor.NONE);
    }

    /** With a redactor applied when the fields are first read, on the drain side. */
    public QueuedLogEntry(long epochMillis, LogLevel level, String logger, @Nullable String message,
            String thread, @Nullable Object @Nullable [] keyValues, Redactor redactor) {
        this.redactor = redactor;
        this.epochMillis = epochMillis;
        this.level = level;
        this.logger = logger;
        this.message = message == null ? "null" : message;
        this.thread = thread;
        this.keyValues = keyValues == null ? NO_KEY_VALUES : keyValues;
    }

    @Override
    public Instant timestamp() {
        return Instant.ofEpochMilli(epochMillis);
    }

    @Override
    public long epochMillis() {
        return epochMillis;
    }

    @Override
    public LogLevel level() {
        return level;
    }

    @Override
    public String logger() {
        return logger;
    }

    @Override
    public String message() {
        // Same instance when nothing is secret-shaped, so the encoder's message cache still hits.
        return redactor.redactMessage(message);
    }

    @Override
    public String thread() {
        return thread;
    }

    /** The caller's key/value array as given (never null); the JSON encoder writes simple ones directly. */
    @Nullable Object[] keyValues() {
        return keyValues;
    }

    Redactor redactor() {
        return redactor;
    }

    @Override
    public Map<String, Object> fields() {
        return parsed().fields();
    }

    @Override
    public @Nullable Throwable error() {
        return parsed().error();
    }

    private ParsedKeyValues parsed() {
        ParsedKeyValues p = parsed;
        if (p == null) {
            // Benign race: parsing is deterministic, so two lanes parsing at once build equal results.
            p = ParsedKeyValues.parse(keyValues);
            if (redactor.isActive()) {
                p = new ParsedKeyValues(redactor.redact(p.fields()), redactor.redactError(p.error()));
            }
            parsed = p;
        }
        return p;
    }

    @Override
    public String toString() {
        return "LogEntry[" + level + " " + logger + ": " + message() + "]"; // masked, as backends see it
    }
}
