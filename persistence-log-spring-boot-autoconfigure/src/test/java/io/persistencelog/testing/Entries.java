package io.persistencelog.testing;

import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import io.persistencelog.codec.QueuedLogEntry;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The one entry builder of the test suite. {@link Builder#build()} makes the entry an {@code AppLogger} call
 * makes (key/values parsed lazily, the encoder's fast path); {@link Builder#plain()} makes a plain
 * {@link LogEntry} with a ready field map, as a user's own code or a captured event would hand over.
 */
public final class Entries {

    /**
     * The default timestamp: recent, with milliseconds (Datadog drops logs older than 18 h, so its backend
     * re-stamps older ones); tests about weeks or ages set their own.
     */
    public static final Instant AT = Instant.now().minusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
            .plusMillis(123);

    private Entries() {
    }

    public static Builder entry(String message, Object... keyValues) {
        return new Builder(message).fields(keyValues);
    }

    /** A plain INFO entry. */
    public static LogEntry info(String message, Object... keyValues) {
        return entry(message, keyValues).plain();
    }

    /** A plain entry. */
    public static LogEntry plain(LogLevel level, String message, @Nullable Throwable error, Object... keyValues) {
        return entry(message, keyValues).level(level).error(error).plain();
    }

    public static final class Builder {

        private final String message;
        private long epochMillis = AT.toEpochMilli();
        private LogLevel level = LogLevel.INFO;
        private String logger = "com.example.Orders";
        private String thread = "main";
        private Object[] keyValues = new Object[0];
        private @Nullable Throwable error;

        private Builder(String message) {
            this.message = message;
        }

        public Builder at(Instant instant) {
            this.epochMillis = instant.toEpochMilli();
            return this;
        }

        public Builder at(String instant) {
            return at(Instant.parse(instant));
        }

        public Builder at(long millis) {
            this.epochMillis = millis;
            return this;
        }

        public Builder level(LogLevel value) {
            this.level = value;
            return this;
        }

        public Builder logger(String value) {
            this.logger = value;
            return this;
        }

        public Builder thread(String value) {
            this.thread = value;
            return this;
        }

        public Builder fields(Object... values) {
            this.keyValues = values == null ? new Object[0] : values;
            return this;
        }

        public Builder error(@Nullable Throwable value) {
            this.error = value;
            return this;
        }

        /** The entry of an {@code AppLogger} call; the error, if any, is its last argument. */
        public LogEntry build() {
            Object[] kv = keyValues;
            if (error != null) {
                kv = Arrays.copyOf(keyValues, keyValues.length + 1);
                kv[keyValues.length] = error;
            }
            return new QueuedLogEntry(epochMillis, level, logger, message, thread, kv);
        }

        /** A plain entry with its fields as a map (pairs of String keys and values). */
        public LogEntry plain() {
            Map<String, Object> fields = new LinkedHashMap<>();
            for (int i = 0; i + 1 < keyValues.length; i += 2) {
                fields.put((String) keyValues[i], keyValues[i + 1]);
            }
            return new PlainEntry(Instant.ofEpochMilli(epochMillis), level, logger, message, thread, fields, error);
        }
    }

    private record PlainEntry(Instant timestamp, LogLevel level, String logger, String message, String thread,
            Map<String, Object> fields, @Nullable Throwable error) implements LogEntry {
    }
}
