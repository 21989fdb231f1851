package io.persistencelog.engine;

import io.persistencelog.codec.Secrets;

import io.persistencelog.codec.SafeText;

import io.persistencelog.BatchResult;
import io.persistencelog.LogBackend;
import io.persistencelog.LogEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

// Longer than 350 lines on purpose: one backend's thread, its batching, guard, spool hand-off and exact settling of every
// batch (written, failed, dropped, lost at shutdown) share one position that flushes and shutdown read.
/**
 * One backend's own worker: its inbox of batches, its thread, its counters. A slow or failing backend
 * only fills its own inbox; the dispatcher and the other lanes never wait for it (unless the user chose
 * back-pressure with the BLOCK policy).
 */
final class Lane {

    private static final long IDLE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** Ends an idle wait so the lane notices it should finish; carries no entries. */
    private static final Batch WAKE_UP = new Batch(new LogEntry[0], 0, 0);

    final LogBackend backend;
    final LaneStats stats = new LaneStats();
    private final BackendGuard guard;
    private final LinkedBlockingQueue<Batch> inbox = new LinkedBlockingQueue<>();
    private final AsyncPersistencePipeline pipeline;
    private final Thread thread;
    /** Queue position up to which this lane has written every batch delivered to it. */
    private final AtomicLong doneThrough = new AtomicLong();
    /** End position of the latest batch delivered to the inbox (dispatcher only writes). */
    private volatile long deliveredThrough;
    /** End position of the latest batch dropped for this lane (dispatcher only writes). */
    private volatile long droppedThrough;
    private volatile boolean finishing;
    /** Set when shutdown gave up: a write that returns later must not settle entries already counted. */
    private volatile boolean abandoned;
    /** Batches taken from the inbox and not yet settled; guarded by {@code this}, shared with abandon(). */
    private final List<Batch> holding = new ArrayList<>();

    Lane(LogBackend backend, BackendGuard guard, AsyncPersistencePipeline pipeline, long startSequence) {
        this.backend = backend;
        this.guard = guard;
        guard.bind(stats);
        this.pipeline = pipeline;
        this.doneThrough.set(startSequence);
        this.deliveredThrough = startSequence;
        this.droppedThrough = startSequence;
        this.thread = new AsyncPersistencePipeline.PipelineThread(this::run, "persistence-log-" + backend.name());
    }

    String name() {
        return backend.name();
    }

    void start() {
        thread.start();
    }

    /**
     * Queue position up to which every entry is settled for this lane. Batches dropped for this lane are
     * settled at once, but count only when every batch delivered before them is written too. The reads are
     * ordered (dropped, then delivered, then written) against the dispatcher's writes (delivered before any
     * later drop), so this never runs ahead of an unwritten batch.
     */
    long doneThrough() {
        long dropped = droppedThrough;
        long delivered = deliveredThrough;
        long written = doneThrough.get();
        return written >= delivered ? Math.max(written, dropped) : written;
    }

    /** Called by the dispatcher only. */
    void deliver(Batch batch) {
        int size = batch.size();
        stats.accepted.add(size);
        stats.inFlight.addAndGet(size);
        deliveredThrough = batch.endSequence;
        inbox.add(batch);
    }

    /**
     * Called by the dispatcher only, when this lane is full under the DROP policy. Settled here and now
     * rather than queued behind the inbox: a queued note would keep the batch's entries reachable, so a
     * stalled backend would make the heap grow without bound.
     */
    void dropForLane(Batch batch) {
        stats.accepted.add(batch.size());
        stats.dropped.add(batch.size());
        batch.markAllFailed();
        pipeline.laneFinished(batch);
        droppedThrough = batch.endSequence;
        pipeline.signalProgress();
    }

    boolean hasRoomFor(int entries, int capacity) {
        return stats.inFlight.get() + entries <= capacity;
    }

    /**
     * Lets the lane finish what it holds, then flush and close its backend. A write in progress is not
     * interrupted: it may still succeed within the shutdown timeout.
     */
    void finish() {
        finishing = true;
        inbox.add(WAKE_UP);
    }

    boolean awaitTermination(long deadlineNanos) {
        joinUntil(thread, deadlineNanos);
        return !thread.isAlive();
    }

    /** Waits for a thread until the deadline at the latest; an interrupt is kept for the caller. */
    static void joinUntil(Thread thread, long deadlineNanos) {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining > 0) {
            try {
                TimeUnit.NANOSECONDS.timedJoin(thread, remaining);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }

    boolean isAlive() {
        return thread.isAlive();
    }

    /**
     * Called by shutdown when this lane did not finish in time. Every batch it still holds (in its inbox or
     * being written) is settled here as lost, once; a write that returns later settles nothing. The
     * thread is interrupted and still flushes and closes its backend on its way out; its spool is closed
     * here and now.
     */
    long abandon() {
        List<Batch> lost = new ArrayList<>();
        synchronized (this) {
            abandoned = true;
            lost.addAll(holding);
            holding.clear();
            inbox.drainTo(lost);
        }
        long count = settleLost(lost);
        long inFlight = stats.inFlight.getAndSet(0);
        stats.dropped.add(inFlight);
        thread.interrupt();
        // The thread may never come back (a write that ignores interrupts): release the spool's directory
        // lock now, or a restart in this JVM (context.stop() then start()) cannot open the spool again.
        guard.close();
        return count;
    }

    private long settleLost(List<Batch> batches) {
        long count = 0;
        for (Batch batch : batches) {
            if (batch == WAKE_UP) {
                continue;
            }
            count += batch.size();
            batch.markLost();
            pipeline.laneFinished(batch);
            doneThrough.accumulateAndGet(batch.endSequence, Math::max);
        }
        if (count > 0) {
            pipeline.lostByLane(name(), (int) Math.min(Integer.MAX_VALUE, count));
        }
        pipeline.signalProgress();
        return count;
    }

    private void run() {
        List<Batch> group = new ArrayList<>();
        try {
            while (true) {
                Batch first = takeFirst();
                if (first == null || first == WAKE_UP) {
                    if (finishing && inbox.isEmpty()) {
                        break;
                    }
                    idle();
                    continue;
                }
                group.clear();
                group.add(first);
                if (!hold(group)) {
                    break;
                }
                try {
                    fill(group);
                }
                catch (Throwable ex) {
                    // An Error here (a backend's maxBatchSize(), an OOM) fails this group, counted; the lane goes on.
                    if (!hold(group)) {
                        break;
                    }
                    failGroup(group, ex);
                    continue;
                }
                if (!hold(group)) {
                    break;
                }
                process(group);
            }
        }
        finally {
            // Interrupted by an abandoning shutdown: clear the flag so the backend's flush and close
            // (a FileChannel, a socket) are not cut short by it.
            Thread.interrupted();
            closeBackend();
        }
    }

    /**
     * Records the batches this lane now holds, so an abandoning shutdown can account for them. False when
     * shutdown has already abandoned this lane: the group is settled as lost here and the lane stops.
     */
    private boolean hold(List<Batch> group) {
        synchronized (this) {
            if (!abandoned) {
                holding.clear();
                holding.addAll(group);
                return true;
            }
        }
        settleLost(group);
        return false;
    }

    private void idle() {
        try {
            guard.onIdle();
        }
        catch (Throwable ex) {
            stats.recordFailure(System.currentTimeMillis(), "spool replay failed: " + describe(ex));
        }
        stats.circuitState = guard.state();
    }

    private void failGroup(List<Batch> group, Throwable ex) {
        int size = 0;
        for (Batch batch : group) {
            size += batch.size();
        }
        BatchResult failed = BatchResult.failed(size, describe(ex));
        account(size, failed);
        settle(group, failed);
    }

    private @Nullable Batch takeFirst() {
        try {
            return finishing ? inbox.poll() : inbox.poll(IDLE_POLL_NANOS, TimeUnit.NANOSECONDS);
        }
        catch (InterruptedException ex) {
            // Only abandon() interrupts, when shutdown has given up on this lane.
            finishing = true;
            return inbox.poll();
        }
    }

    /** Adds more waiting batches, up to the backend's preferred batch size and wait. */
    private void fill(List<Batch> group) {
        int wanted = backend.maxBatchSize();
        int count = group.get(0).size();
        if (wanted <= count) {
            return;
        }
        Duration wait = backend.maxBatchWait();
        long deadline = System.nanoTime() + wait.toNanos();
        while (count < wanted) {
            Batch next = inbox.poll();
            if (next == WAKE_UP) {
                return;
            }
            if (next == null) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0 || finishing || pipeline.isFlushRequested()) {
                    return;
                }
                try {
                    next = inbox.poll(Math.min(remaining, IDLE_POLL_NANOS), TimeUnit.NANOSECONDS);
                }
                catch (InterruptedException ex) {
                    next = inbox.poll();
                }
                if (next == null) {
                    continue;
                }
                if (next == WAKE_UP) {
                    return;
                }
            }
            group.add(next);
            count += next.size();
        }
    }

    private void process(List<Batch> group) {
        BatchResult result;
        try {
            List<LogEntry> toWrite = collect(group);
            result = toWrite.isEmpty() ? BatchResult.persisted(0) : write(toWrite);
        }
        catch (Throwable ex) {
            failGroup(group, ex);
            return;
        }
        settle(group, result);
    }

    private void settle(List<Batch> group, BatchResult result) {
        synchronized (this) {
            if (abandoned) {
                return; // shutdown already settled these as lost
            }
            holding.clear();
        }
        int offset = 0;
        for (Batch batch : group) {
            for (int i = 0; i < batch.size(); i++) {
                if (result.isFailed(offset + i)) {
                    batch.markFailed(i);
                }
            }
            offset += batch.size();
            // Counted before the position moves: see AsyncPersistencePipeline.laneFinished.
            pipeline.laneFinished(batch);
            doneThrough.accumulateAndGet(batch.endSequence, Math::max);
        }
        pipeline.signalProgress();
    }

    private static List<LogEntry> collect(List<Batch> group) {
        if (group.size() == 1) {
            return Arrays.asList(group.get(0).entries);
        }
        List<LogEntry> all = new ArrayList<>();
        for (Batch batch : group) {
            all.addAll(Arrays.asList(batch.entries));
        }
        return all;
    }

    private BatchResult write(List<LogEntry> entries) {
        int size = entries.size();
        long start = System.nanoTime();
        BatchResult result;
        try {
            result = guard.write(entries);
        }
        catch (Throwable ex) {
            // e.g. interrupted during a retry back-off, or an Error on the spool path: this batch fails,
            // counted, and the lane goes on.
            result = BatchResult.failed(size, describe(ex));
        }
        stats.circuitState = guard.state();
        long took = System.nanoTime() - start;
        stats.writeLatency.recordNanos(took);
        stats.lastWriteNanos = took;
        stats.batches.increment();
        account(size, result);
        return result;
    }

    private void account(int size, BatchResult result) {
        if (abandoned) {
            return; // shutdown already counted these entries as dropped
        }
        int failedCount = result.failedCount();
        stats.persisted.add(size - failedCount);
        stats.failed.add(failedCount);
        stats.inFlight.addAndGet(-size);
        long now = System.currentTimeMillis();
        if (failedCount > 0) {
            stats.recordFailure(now, result.failureReason());
        }
        else {
            stats.recordSuccess(now);
        }
    }

    private void closeBackend() {
        guard.close();
        try {
            backend.flush();
        }
        catch (Throwable ex) {
            stats.recordFailure(System.currentTimeMillis(), "flush failed: " + describe(ex));
        }
        try {
            backend.close();
        }
        catch (Throwable ex) {
            stats.recordFailure(System.currentTimeMillis(), "close failed: " + describe(ex));
        }
    }

    static String describe(Throwable ex) {
        String message = SafeText.toText(ex.getMessage());
        return Secrets.mask(ex.getClass().getSimpleName() + ": " + message);
    }

    Map<String, Object> metrics() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("backend", backend.name());
        try {
            map.putAll(backend.getMetrics());
        }
        catch (Throwable ex) {
            map.put("metricsError", describe(ex));
        }
        map.putAll(stats.toMap());
        map.putAll(guard.metrics());
        map.putIfAbsent("retries", guard.metrics().get("laneRetries"));
        map.put("backend", backend.name());
        map.replaceAll((key, value) -> value instanceof String text ? Secrets.mask(text) : value);
        return map;
    }
}
