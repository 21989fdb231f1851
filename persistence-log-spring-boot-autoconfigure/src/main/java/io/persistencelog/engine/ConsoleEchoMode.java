package io.persistencelog.engine;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * How an {@code AppLogger} call reaches the console ({@code log-persistence.console-echo}).
 *
 * <ul>
 * <li>{@link #ASYNC} (the default): the pipeline's echo thread hands the call to the logger's Logback
 * appenders as an event that carries the caller's thread name, the entry's timestamp and the caller's MDC,
 * so the application's own pattern, colours and appenders apply while the caller pays no more than the
 * enqueue. Lines of different threads may appear slightly later than, and interleaved differently from, the
 * application's other console output.</li>
 * <li>{@link #SYNC}: the calling thread writes the console line itself, before the call returns, so the
 * console shows calls in exactly the order they were made (the cost of formatting and writing the line is
 * the caller's).</li>
 * <li>{@link #OFF}: {@code AppLogger} calls reach only the backends.</li>
 * </ul>
 */
public enum ConsoleEchoMode {
    ASYNC, SYNC, OFF;

    public static final String PROPERTY = "log-persistence.console-echo";

    /** Parses {@code async}, {@code sync} or {@code off} (any case); null or blank means the default. */
    public static ConsoleEchoMode parse(@Nullable String value, String source) {
        if (value == null || value.isBlank()) {
            return ASYNC;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(source + " must be one of async, sync, off but was '" + value.trim()
                    + "'; set it to async (the default), sync or off");
        }
    }
}
