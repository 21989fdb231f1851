package io.persistencelog;

import org.jspecify.annotations.Nullable;

/**
 * Structured logger whose entries are persisted asynchronously and echoed to the console through SLF4J.
 *
 * <p>{@code keyValues} alternate keys and values: {@code log.info("User logged in", "user_id", 123)}. A
 * {@link Throwable} anywhere among them (or as the last argument) becomes the entry's error. No call
 * ever throws: odd lengths, non-String keys and null values are kept and made visible in the entry.
 */
public interface AppLogger {

    String name();

    default void trace(String message, @Nullable Object... keyValues) {
        log(LogLevel.TRACE, message, keyValues);
    }

    default void debug(String message, @Nullable Object... keyValues) {
        log(LogLevel.DEBUG, message, keyValues);
    }

    default void info(String message, @Nullable Object... keyValues) {
        log(LogLevel.INFO, message, keyValues);
    }

    default void warn(String message, @Nullable Object... keyValues) {
        log(LogLevel.WARN, message, keyValues);
    }

    default void error(String message, @Nullable Object... keyValues) {
        log(LogLevel.ERROR, message, keyValues);
    }

    void log(LogLevel level, String message, @Nullable Object... keyValues);

    /** Caller-side cost of this logger's calls; zeros when the logger was created without timing. */
    TimingStats getTimingStats();
}
