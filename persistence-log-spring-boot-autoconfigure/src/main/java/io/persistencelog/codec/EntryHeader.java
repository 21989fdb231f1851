package io.persistencelog.codec;

import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import java.time.Instant;

/**
 * The part every entry the library builds shares: when, how severe, which logger and which thread. The
 * {@code AppLogger} entry and the captured Logback event differ only in how they produce their message and
 * fields.
 */
public abstract class EntryHeader implements LogEntry {

    private final long epochMillis;
    private final LogLevel level;
    private final String logger;
    private final String thread;

    protected EntryHeader(long epochMillis, LogLevel level, String logger, String thread) {
        this.epochMillis = epochMillis;
        this.level = level;
        this.logger = logger;
        this.thread = thread;
    }

    @Override
    public final Instant timestamp() {
        return Instant.ofEpochMilli(epochMillis);
    }

    @Override
    public final long epochMillis() {
        return epochMillis;
    }

    @Override
    public final LogLevel level() {
        return level;
    }

    @Override
    public final String logger() {
        return logger;
    }

    @Override
    public final String thread() {
        return thread;
    }
}
