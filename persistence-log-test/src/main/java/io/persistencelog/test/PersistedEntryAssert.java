package io.persistencelog.test;

import io.persistencelog.LogEntry;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;

/**
 * The persisted entries that matched so far; each {@code with...} keeps those that also match it and fails
 * when none is left, listing the candidates.
 */
public final class PersistedEntryAssert extends AbstractAssert<PersistedEntryAssert, List<LogEntry>> {

    private final String description;

    PersistedEntryAssert(String description, List<LogEntry> candidates) {
        super(candidates, PersistedEntryAssert.class);
        this.description = description;
    }

    /** A field with this value; numbers compare by value ({@code 42} matches {@code 42L}). */
    public PersistedEntryAssert withField(String name, Object value) {
        return narrow(name + "=" + value, e -> e.fields().containsKey(name) && sameValue(e.fields().get(name), value));
    }

    /** A field with this name, whatever its value. */
    public PersistedEntryAssert withField(String name) {
        return narrow("field " + name, e -> e.fields().containsKey(name));
    }

    /** An error of this type (or a subtype). */
    public PersistedEntryAssert withError(Class<? extends Throwable> type) {
        return narrow("error " + type.getName(), e -> type.isInstance(e.error()));
    }

    /** An error of this type with this message. */
    public PersistedEntryAssert withError(Class<? extends Throwable> type, String message) {
        return narrow("error " + type.getName() + ": " + message,
                e -> type.isInstance(e.error()) && message.equals(Objects.requireNonNull(e.error()).getMessage()));
    }

    /** Logged through this logger. */
    public PersistedEntryAssert fromLogger(String logger) {
        return narrow("logger " + logger, e -> logger.equals(e.logger()));
    }

    /** The entry that matched everything so far (the first, when several did). */
    public LogEntry entry() {
        return actual.get(0);
    }

    private PersistedEntryAssert narrow(String condition, java.util.function.Predicate<LogEntry> test) {
        List<LogEntry> left = actual.stream().filter(test).toList();
        if (left.isEmpty()) {
            failWithMessage("Expected a persisted entry %s with %s but the candidates were:%n%s", description, condition,
                    PersistedLogsAssert.describe(actual));
        }
        return new PersistedEntryAssert(description + " with " + condition, left);
    }

    private static boolean sameValue(Object actual, Object expected) {
        if (actual instanceof Number a && expected instanceof Number b) {
            try {
                return new BigDecimal(a.toString()).compareTo(new BigDecimal(b.toString())) == 0;
            }
            catch (NumberFormatException ex) {
                return a.equals(b); // NaN, infinities
            }
        }
        return Objects.equals(actual, expected)
                || (actual != null && expected instanceof CharSequence && actual.toString().equals(expected.toString()));
    }
}
