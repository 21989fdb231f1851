package io.persistencelog.engine;

import io.persistencelog.LogEntry;
import java.util.BitSet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A group of entries the dispatcher hands to every lane at once. Lanes share it read-only; the last
 * lane to finish it reports the entries that every backend persisted and those at least one lost.
 */
final class Batch {

    final LogEntry[] entries;
    /** Queue position just after this batch's last entry; flush waits on it. */
    final long endSequence;
    private final AtomicInteger pendingLanes;
    private final BitSet failed;
    /** Set when a lane still held this batch when shutdown gave up on it. */
    private volatile boolean lost;

    Batch(LogEntry[] entries, long endSequence, int lanes) {
        this.entries = entries;
        this.endSequence = endSequence;
        this.pendingLanes = new AtomicInteger(lanes);
        this.failed = new BitSet(entries.length);
    }

    int size() {
        return entries.length;
    }

    synchronized void markFailed(int index) {
        failed.set(index);
    }

    synchronized void markAllFailed() {
        failed.set(0, entries.length);
    }

    void markLost() {
        lost = true;
    }

    boolean isLost() {
        return lost;
    }

    /** Returns the number of entries some backend lost when this was the last lane, else -1. */
    int laneDone() {
        if (pendingLanes.decrementAndGet() != 0) {
            return -1;
        }
        synchronized (this) {
            return failed.cardinality();
        }
    }
}
