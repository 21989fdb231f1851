package io.persistencelog.engine;

import io.persistencelog.codec.Redactor;

import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import java.time.Clock;
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

    /**
     * Like {@link #log(LogLevel, String, String, Object[])}; with {@code echoToConsole} the sink writes the
     * console line itself, on its side (only asked when {@link #consoleEcho()} is {@code ASYNC}). Never throws.
     */
    default void log(LogLevel level, String logger, @Nullable String message, @Nullable Object @Nullable [] keyValues,
            boolean echoToConsole) {
        log(level, logger, message, keyValues);
    }

    /** How {@code AppLogger} calls reach the console with this sink; {@code SYNC} unless it echoes itself. */
    default ConsoleEchoMode consoleEcho() {
        return ConsoleEchoMode.SYNC;
    }

    /**
     * Hands over an entry built elsewhere (e.g. a captured Logback event) without ever waiting, whatever
     * {@code queue.when-full} says: when the queue is full the entry is dropped and counted. A logging call
     * inside some library must never stall (or deadlock) on the pipeline. Never throws.
     */
    boolean offer(LogEntry entry);

    /** Clock that stamps entries built by {@link #log}; a context's {@code Clock} bean when it has one. */
    default Clock clock() {
        return Clock.systemUTC();
    }
}
