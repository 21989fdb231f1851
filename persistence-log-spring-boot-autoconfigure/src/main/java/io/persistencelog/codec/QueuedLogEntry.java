package io.persistencelog.codec;

import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The entry built on the caller's thread. It only stores references (timestamp, names, the caller's
 * key/value array) so a log call allocates one small object; turning the key/values into a field map
 * happens lazily on the drain side.
 */
public final class QueuedLogEntry extends EntryHeader {

    private static final Object[] NO_KEY_VALUES = new Object[0];

    private final String message;
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
        super(epochMillis, level, logger, thread);
        this.redactor = redactor;
        this.message = message == null ? "null" : message;
        this.keyValues = keyValues == null ? NO_KEY_VALUES : keyValues;
    }

    @Override
    public String message() {
        return message;
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
                p = new ParsedKeyValues(redactor.redact(p.fields()), p.error());
            }
            parsed = p;
        }
        return p;
    }

    @Override
    public String toString() {
        return "LogEntry[" + level() + " " + logger() + ": " + message + "]";
    }
}
