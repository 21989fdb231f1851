package io.persistencelog.codec;

import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

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

    /**
     * An MDC in a stable order: MDC maps are hash maps, and sorted keys keep lines comparable. A map that
     * cannot be sorted (a null key from some custom MDC adapter) keeps its own order.
     */
    protected static Map<String, String> sortedMdc(Map<String, String> mdc) {
        try {
            return new TreeMap<>(mdc);
        }
        catch (RuntimeException ex) {
            return mdc;
        }
    }
}
