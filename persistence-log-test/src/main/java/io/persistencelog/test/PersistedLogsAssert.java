package io.persistencelog.test;

import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import java.util.List;
import org.assertj.core.api.AbstractAssert;

/** Assertions on {@link PersistedLogs}; start with {@link PersistenceLogAssertions#assertThat(PersistedLogs)}. */
public final class PersistedLogsAssert extends AbstractAssert<PersistedLogsAssert, PersistedLogs> {

    PersistedLogsAssert(PersistedLogs actual) {
        super(actual, PersistedLogsAssert.class);
    }

    /**
     * Some persisted entry has this level and message; chain {@code withField}, {@code withError}, ... to
     * narrow down to an entry that has all of them.
     */
    public PersistedEntryAssert hasEntry(LogLevel level, String message) {
        isNotNull();
        List<LogEntry> all = actual.entries();
        List<LogEntry> matching = all.stream()
                .filter(e -> e.level() == level && message.equals(e.message())).toList();
        if (matching.isEmpty()) {
            failWithMessage("Expected a persisted %s entry \"%s\" but the persisted entries were:%n%s", level, message,
                    describe(all));
        }
        return new PersistedEntryAssert(level + " \"" + message + "\"", matching);
    }

    /** No persisted entry has this level and message. */
    public PersistedLogsAssert hasNoEntry(LogLevel level, String message) {
        isNotNull();
        List<LogEntry> matching = actual.entries().stream()
                .filter(e -> e.level() == level && message.equals(e.message())).toList();
        if (!matching.isEmpty()) {
            failWithMessage("Expected no persisted %s entry \"%s\" but found:%n%s", level, message, describe(matching));
        }
        return this;
    }

    /** Exactly this many entries were persisted. */
    public PersistedLogsAssert hasSize(int expected) {
        isNotNull();
        List<LogEntry> all = actual.entries();
        if (all.size() != expected) {
            failWithMessage("Expected %d persisted entries but there were %d:%n%s", expected, all.size(), describe(all));
        }
        return this;
    }

    static String describe(List<LogEntry> entries) {
        StringBuilder text = new StringBuilder();
        for (LogEntry entry : entries) {
            text.append("  ").append(PersistedLogs.describe(entry)).append(System.lineSeparator());
        }
        return entries.isEmpty() ? "  (none)" : text.toString();
    }
}
