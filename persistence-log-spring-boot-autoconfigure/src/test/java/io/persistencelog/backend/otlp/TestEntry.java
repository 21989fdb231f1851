package io.persistencelog.backend.otlp;

import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A plain entry for tests. */
record TestEntry(Instant timestamp, LogLevel level, String logger, String message, String thread,
        Map<String, Object> fields, Throwable error) implements LogEntry {

    static final Instant AT = Instant.parse("2024-01-08T10:15:30.123456789Z");

    static TestEntry info(String message, Object... keyValues) {
        return of(LogLevel.INFO, message, null, keyValues);
    }

    static TestEntry of(LogLevel level, String message, Throwable error, Object... keyValues) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            fields.put((String) keyValues[i], keyValues[i + 1]);
        }
        return new TestEntry(AT, level, "com.example.Orders", message, "worker-1", fields, error);
    }
}
