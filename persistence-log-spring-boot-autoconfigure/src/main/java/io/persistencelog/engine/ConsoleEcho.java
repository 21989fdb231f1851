package io.persistencelog.engine;

import io.persistencelog.codec.ClassPresence;
import io.persistencelog.codec.QueuedLogEntry;

import io.persistencelog.codec.Redactor;

import io.persistencelog.LogEntry;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.jctools.queues.SpscArrayQueue;
import org.jspecify.annotations.Nullable;

/**
 * The asynchronous console echo ({@link ConsoleEchoMode#ASYNC}): the dispatcher hands every batch to it, and
 * its own thread writes the entries whose caller asked for an echo through an {@link EchoWriter}. The caller
 * of {@code AppLogger} therefore pays only the enqueue, and a slow console (a pipe nobody reads, a remote
 * terminal) slows neither the caller nor the backends.
 *
 * <p>Bounded: at most {@code capacity} entries wait. When the console cannot keep up, further batches are
 * skipped for the console only (they are persisted normally), counted in {@link #dropped()}, and the echo
 * says how many it skipped once it catches up.
 */
final class ConsoleEcho {

    private static final long IDLE_PARK_NANOS = 50_000_000L;
    private static final boolean LOGBACK_PRESENT = ClassPresence.isPresent(
            "ch.qos.logback.classic.LoggerContext", ConsoleEcho.class);

    private final EchoWriter writer;
    private final Supplier<Redactor> redactor;
    private final int capacity;
    private final SpscArrayQueue<LogEntry[]> batches = new SpscArrayQueue<>(1024);
    private final Thread thread;
    /** Entries handed over and not yet written; only the dispatcher adds, only the echo thread subtracts. */
    private final AtomicLong pending = new AtomicLong();
    /** Echoed entries handed over / written (or failed), for {@link #awaitIdle}. */
    private final AtomicLong handed = new AtomicLong();
    private final AtomicLong done = new AtomicLong();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder written = new LongAdder();
    private long reportedDropped;
    private volatile boolean parked;
    private volatile boolean stopping;
    /**
     * Set when a stop's deadline passed with the thread still busy (a console that does not return): what
     * still waits is counted as skipped and is not written when the console returns.
     */
    private volatile boolean abandoned;

    ConsoleEcho(EchoWriter writer, Supplier<Redactor> redactor, int capacity) {
        this.writer = writer;
        this.redactor = redactor;
        this.capacity = capacity;
        this.thread = new Thread(this::run, "persistence-log-console-echo");
        this.thread.setDaemon(true);
    }

    /**
     * A fresh echo with the same writer and counters, for a pipeline started again after a stop: a thread
     * runs only once, and the stopped one would leave every later line unechoed and every flush waiting.
     */
    ConsoleEcho restarted() {
        return restartedWith(writer);
    }

    /** A fresh echo writing through {@code writer}, carrying this one's counters (they are the pipeline's). */
    ConsoleEcho restartedWith(EchoWriter writer) {
        ConsoleEcho next = new ConsoleEcho(writer, redactor, capacity);
        next.dropped.add(dropped());
        next.written.add(written.sum());
        next.reportedDropped = reportedDropped;
        return next;
    }

    /** The echo writer for SLF4J's current binding (Logback), or null when there is none. */
    static @Nullable EchoWriter forCurrentBinding() {
        if (!LOGBACK_PRESENT) {
            return null;
        }
        try {
            return LogbackEcho.forCurrentBinding();
        }
        catch (LinkageError ex) {
            return null;
        }
    }

    void start() {
        if (thread.getState() == Thread.State.NEW) {
            thread.start();
        }
    }

    /** Dispatcher thread only. The array is shared with the lanes and only read here. */
    void accept(LogEntry[] entries) {
        int count = 0;
        for (LogEntry entry : entries) {
            if (entry instanceof QueuedLogEntry queued && queued.echo()) {
                count++;
            }
        }
        if (count == 0) {
            return;
        }
        if (pending.get() + count > capacity || !batches.offer(entries)) {
            dropped.add(count);
            return;
        }
        pending.addAndGet(count);
        handed.addAndGet(count);
        if (parked) {
            LockSupport.unpark(thread);
        }
    }

    private void run() {
        while (true) {
            LogEntry[] entries = batches.relaxedPoll();
            if (entries == null) {
                // Caught up: say how many lines were skipped now, not only when (if ever) the next one comes.
                reportSkipped();
                if (stopping && batches.isEmpty()) {
                    return;
                }
                parked = true;
                try {
                    if (batches.isEmpty() && !stopping) {
                        LockSupport.parkNanos(this, IDLE_PARK_NANOS);
                    }
                }
                finally {
                    parked = false;
                }
                continue;
            }
            reportSkipped();
            Redactor r = redactor.get();
            for (LogEntry entry : entries) {
                if (entry instanceof QueuedLogEntry queued && queued.echo()) {
                    if (abandoned) {
                        return; // what is still pending stays counted as skipped (see dropped())
                    }
                    // No longer waiting once handed to the writer, so a stuck write is not counted as skipped.
                    pending.decrementAndGet();
                    try {
                        writer.write(queued, r);
                        written.increment();
                    }
                    catch (Throwable ex) {
                        InternalErrors.report("console echo", ex);
                    }
                    done.incrementAndGet();
                }
            }
        }
    }

    private void reportSkipped() {
        long now = dropped.sum();
        if (now > reportedDropped) {
            long skipped = now - reportedDropped;
            reportedDropped = now;
            try {
                writer.notice("persistence-log: the console could not keep up, so " + skipped
                        + " AppLogger lines were not echoed to it (they were persisted normally)");
            }
            catch (Throwable ex) {
                InternalErrors.report("console echo", ex);
            }
        }
    }

    /** Waits until everything handed over so far is written, or the deadline passes. */
    boolean awaitIdle(long deadlineNanos) {
        long target = handed.get();
        while (done.get() < target) {
            if (System.nanoTime() - deadlineNanos > 0 || !thread.isAlive()) {
                return done.get() >= target;
            }
            LockSupport.unpark(thread);
            LockSupport.parkNanos(100_000);
        }
        return true;
    }

    /** Writes what is waiting (until the deadline) and ends the thread. */
    void stop(long deadlineNanos) {
        stopping = true;
        LockSupport.unpark(thread);
        if (thread.isAlive()) {
            long remaining = deadlineNanos - System.nanoTime();
            if (remaining > 0) {
                try {
                    java.util.concurrent.TimeUnit.NANOSECONDS.timedJoin(thread, remaining);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
            if (thread.isAlive()) {
                abandoned = true;
            }
        }
    }

    /**
     * Echoed entries skipped because the console could not keep up, including those a stop left waiting for
     * a console that did not return by its deadline.
     */
    long dropped() {
        return dropped.sum() + (abandoned ? pending.get() : 0);
    }

    long written() {
        return written.sum();
    }

}
