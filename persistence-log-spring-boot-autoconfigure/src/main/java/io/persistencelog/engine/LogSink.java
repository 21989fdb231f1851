package io.persistencelog.engine;

import io.persistencelog.LogLevel;
import org.jspecify.annotations.Nullable;

/** Where {@code AppLogger} calls go: builds the entry on the caller's thread and enqueues it. */
public interface LogSink {

    boolean isEnabled(LogLevel level);

    /** Masking applied to fields before they leave the process (also used for the console echo). */
    default Redactor redactor() {
        return Redactor.defaults();
    }

    /** Never throws. */
    void log(LogLevel level, String logger, @Nullable String message, @Nullable Object @Nullable [] keyValues);
}
