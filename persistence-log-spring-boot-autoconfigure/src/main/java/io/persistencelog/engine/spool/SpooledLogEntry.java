package io.persistencelog.engine.spool;

import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** An entry read back from the spool. */
record SpooledLogEntry(long epochMillis, LogLevel level, String logger, String message, String thread,
        Map<String, Object> fields, @Nullable Throwable error) implements LogEntry {

    @Override
    public Instant timestamp() {
        return Instant.ofEpochMilli(epochMillis);
    }
}
