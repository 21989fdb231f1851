package io.persistencelog.engine;

import io.persistencelog.codec.QueuedLogEntry;

import io.persistencelog.codec.Redactor;

import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Holds what an application logs before its pipeline runs ({@code AppLogger} calls and captured SLF4J
 * events made while the Spring context is still being built), so that it reaches the backends once the
 * pipeline starts — or, when the application fails to start, the backends built just to record the failure.
 *
 * <p>Bounded: the first {@link #DEFAULT_CAPACITY} entries are kept, the rest are only counted, and the
 * count is delivered as a WARN entry so the loss is visible. Holding an entry never blocks and never does
 * I/O; the lock is held only to add to a list, never while waiting, so virtual threads are not pinned.
 */
public final class StartupBuffer implements LogSink {

    public static final int DEFAULT_CAPACITY = 1_000;

    private final int capacity;
    private final List<LogEntry> entries = new ArrayList<>();
    private long overflow;
    private @Nullable LogSink target;
    private volatile LogLevel minLevel = LogLevel.INFO;
    private volatile Redactor redactor = Redactor.defaults();

    public StartupBuffer() {
        this(DEFAULT_CAPACITY);
    }

    public StartupBuffer(int capacity) {
        this.capacity = capacity;
    }

    /** Applies the application's {@code min-level} and redaction once its environment is known. */
    public void configure(LogLevel minLevel, Redactor redactor) {
        this.minLevel = minLevel;
        this.redactor = redactor;
    }

    @Override
    public boolean isEnabled(LogLevel level) {
        return level.compareTo(minLevel) >= 0;
    }

    @Override
    public Redactor redactor() {
        return redactor;
    }

    @Override
    public void log(LogLevel level, String logger, @Nullable String message, @Nullable Object @Nullable [] keyValues) {
        // The MDC is read now, on the caller's thread: by delivery time it is another request's, or gone.
        offer(new QueuedLogEntry(System.currentTimeMillis(), level, logger, message,
                Thread.currentThread().getName(), keyValues, redactor, MdcSnapshot.capture(), false));
    }

    @Override
    public boolean offer(LogEntry entry) {
        LogSink forward;
        synchronized (this) {
            forward = target;
            if (forward == null) {
                if (entries.size() < capacity) {
                    entries.add(entry);
                    return true;
                }
                overflow++;
                return false;
            }
        }
        // Delivered already: a caller that picked this buffer just before the hand-over still gets through.
        return forward.offer(entry);
    }

    /** Entries held so far. */
    public synchronized int size() {
        return entries.size();
    }

    /** Entries not kept because the buffer was full. */
    public synchronized long overflowCount() {
        return overflow;
    }

    /**
     * Hands every held entry to the sink (in logging order, without waiting: a full queue drops and counts),
     * then a WARN entry with the number not kept, if any; later entries go straight to the sink.
     */
    public void deliverTo(LogSink sink) {
        List<LogEntry> held;
        long lost;
        synchronized (this) {
            target = sink;
            held = new ArrayList<>(entries);
            entries.clear();
            lost = overflow;
        }
        for (LogEntry entry : held) {
            sink.offer(entry);
        }
        if (lost > 0) {
            sink.offer(new QueuedLogEntry(System.currentTimeMillis(), LogLevel.WARN, "io.persistencelog",
                    "Entries logged before the log pipeline started were not kept: the startup buffer holds the first "
                            + capacity,
                    Thread.currentThread().getName(), new Object[] { "not_kept", lost, "kept", held.size() }));
        }
    }

    /** Drops what is held (no pipeline will run in this application); later entries are refused. */
    public void discard() {
        synchronized (this) {
            entries.clear();
            target = NOWHERE;
        }
    }

    private static final LogSink NOWHERE = new LogSink() {
        @Override
        public boolean isEnabled(LogLevel level) {
            return false;
        }

        @Override
        public void log(LogLevel level, String logger, @Nullable String message,
                @Nullable Object @Nullable [] keyValues) {
        }

        @Override
        public boolean offer(LogEntry entry) {
            return false;
        }
    };
}
