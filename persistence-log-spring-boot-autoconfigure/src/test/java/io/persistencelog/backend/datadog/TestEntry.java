package io.persistencelog.backend.datadog;

import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A plain entry for tests. */
record TestEntry(Instant timestamp, LogLevel level, String logger, String message, String thread,
        Map<String, Object> fields, Throwable error) implements LogEntry {

    /** Recent, with milliseconds: Datadog drops logs older than 18 h, so the backend re-stamps older ones. */
    static final Instant AT = Instant.now().minusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
            .plusMillis(123);

    static TestEntry info(String message, Object... keyValues) {
        return of(LogLevel.INFO, message, null, keyValues);
    }

    static TestEntry of(LogLevel level, String message, Throwable error, Object... keyValues) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            fields.put((String) keyValues[i], keyValues[i + 1]);
        }
        return new TestEntry(AT, level, "com.example.Orders", message, "main", fields, error);
    }
}
