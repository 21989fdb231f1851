package io.persistencelog.codec;

import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The entry built on the caller's thread. It only stores references (timestamp, names, the caller's
 * key/value array) so a log call allocates one small object; turning the key/values into a field map
 * happens lazily on the drain side.
 *
 * <p>The caller's MDC, when it has one, is kept by reference (see {@link MdcSnapshot}); its keys become
 * fields after the key/values (a key/value wins over an MDC entry of the same name), sorted by key, as for
 * captured Logback events, and are redacted like any field.
 */
public final class QueuedLogEntry extends EntryHeader {

    private static final Object[] NO_KEY_VALUES = new Object[0];

    private final String message;
    /** The caller's array; replaced by the dispatcher's own copy when the encoder writes it directly. */
    private @Nullable Object[] keyValues;
    private final Redactor redactor;
    private final @Nullable Map<String, String> mdc;
    private final boolean echo;
    private volatile @Nullable ParsedKeyValues parsed;
    /**
     * Whether the JSON encoder writes this entry straight from its key/values: 0 not yet decided, 1 yes,
     * 2 no. Decided once (by the dispatcher, see {@link #prepareFields}); the lanes receive the entry through
     * their inboxes afterwards, which publishes it. A reader that finds 0 decides for itself (same answer).
     */
    private byte direct;

    public QueuedLogEntry(long epochMillis, LogLevel level, String logger, @Nullable String message,
            String thread, @Nullable Object @Nullable [] keyValues) {
        this(epochMillis, level, logger, message, thread, keyValues, Redactor.NONE);
    }

    /** With a redactor applied when the fields are first read, on the drain side. */
    public QueuedLogEntry(long epochMillis, LogLevel level, String logger, @Nullable String message,
            String thread, @Nullable Object @Nullable [] keyValues, Redactor redactor) {
        this(epochMillis, level, logger, message, thread, keyValues, redactor, null, false);
    }

    /**
     * With the caller's MDC (null or empty: none) and whether the pipeline's console echo should write this
     * entry to the console.
     */
    public QueuedLogEntry(long epochMillis, LogLevel level, String logger, @Nullable String message,
            String thread, @Nullable Object @Nullable [] keyValues, Redactor redactor,
            @Nullable Map<String, String> mdc, boolean echo) {
        super(epochMillis, level, logger, thread);
        this.redactor = redactor;
        this.mdc = mdc == null || mdc.isEmpty() ? null : mdc;
        this.echo = echo;
        this.message = message == null ? "null" : message;
        this.keyValues = keyValues == null ? NO_KEY_VALUES : keyValues;
    }

    @Override
    public String message() {
        // Same instance when nothing is secret-shaped, so the encoder's message cache still hits.
        return redactor.redactMessage(message);
    }

    /** The caller's key/value array as given (never null); the JSON encoder writes simple ones directly. */
    public @Nullable Object[] keyValues() {
        return keyValues;
    }

    Redactor redactor() {
        return redactor;
    }

    /** The caller's MDC at the call (unmodifiable), or null when it was empty. */
    public @Nullable Map<String, String> mdc() {
        return mdc;
    }

    /** Whether the pipeline's console echo writes this entry (the caller left the console line to it). */
    public boolean echo() {
        return echo;
    }

    @Override
    public Map<String, Object> fields() {
        return parsed().fields();
    }

    @Override
    public @Nullable Throwable error() {
        return parsed().error();
    }

    /**
     * Parses and masks the fields now unless the JSON encoder will write them straight from the caller's
     * key/values (see {@link Redactor#prepareFields}).
     */
    void prepareFields() {
        if (parsed != null) {
            return;
        }
        if (direct == 0 && mdc == null && redactor.isActive() && keyValues.length > 0) {
            // The verdict is decided here and the pairs are written later by the lanes, while the caller is
            // free to reuse its array ("Bearer ..." or a "password" key in place of what was checked). Decide
            // on a copy and let the lanes write that copy: what is written is what was checked.
            @Nullable Object[] own = keyValues.clone();
            if (JsonLineEncoder.writesKeyValuesDirectly(own, redactor)) {
                keyValues = own;
                direct = 1;
                return;
            }
            direct = 2;
        }
        if (!writesKeyValuesDirectly()) {
            parsed();
        }
    }

    /** Whether the JSON encoder writes this entry straight from the caller's key/values. */
    boolean writesKeyValuesDirectly() {
        byte d = direct;
        if (d == 0) {
            d = mdc == null && JsonLineEncoder.writesKeyValuesDirectly(keyValues, redactor) ? (byte) 1 : (byte) 2;
            direct = d;
        }
        return d == 1;
    }

    /** Whether the field map is already built (then writing from it costs less than checking the fast path). */
    boolean fieldsPrepared() {
        return parsed != null;
    }

    private ParsedKeyValues parsed() {
        ParsedKeyValues p = parsed;
        if (p == null) {
            // Benign race: parsing is deterministic, so two lanes parsing at once build equal results.
            p = ParsedKeyValues.parse(keyValues);
            Map<String, String> context = mdc;
            if (context != null) {
                p = new ParsedKeyValues(withMdc(p.fields(), context), p.error());
            }
            if (redactor.isActive()) {
                // The field map was built just above for this entry alone: copied only if something is masked.
                p = new ParsedKeyValues(redactor.redactOwned(p.fields()), redactor.redactError(p.error()));
            }
            parsed = p;
        }
        return p;
    }

    private static Map<String, Object> withMdc(Map<String, Object> fields, Map<String, String> mdc) {
        Map<String, Object> merged = new LinkedHashMap<>(fields);
        for (Map.Entry<String, String> e : sortedMdc(mdc).entrySet()) {
            String value = e.getValue();
            merged.putIfAbsent(String.valueOf(e.getKey()), value == null ? JsonNull.INSTANCE : value);
        }
        return Collections.unmodifiableMap(merged);
    }

    @Override
    public String toString() {
        return "LogEntry[" + level() + " " + logger() + ": " + message() + "]"; // masked, as backends see it
    }
}
