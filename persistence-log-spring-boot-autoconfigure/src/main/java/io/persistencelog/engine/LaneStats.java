package io.persistencelog.engine;

import io.persistencelog.codec.Secrets;

import io.persistencelog.engine.spool.Spool;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * Counters of one lane. The invariant {@code accepted = persisted + dropped + failed + inFlight} holds
 * whenever the lane is idle, and at any moment up to the entries being counted right then.
 */
public final class LaneStats {

    final LongAdder accepted = new LongAdder();
    final LongAdder persisted = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder batches = new LongAdder();
    /** Entries handed to the lane and not yet settled; also bounds the lane's memory. */
    final AtomicLong inFlight = new AtomicLong();
    final LatencyHistogram writeLatency = new LatencyHistogram();
    volatile long lastWriteNanos;
    /** Circuit breaker state of the backend: CLOSED (writing), OPEN (paused), HALF_OPEN (probing). */
    volatile String circuitState = "CLOSED";
    private volatile @Nullable String lastError;
    private volatile long lastSuccessAt;
    private volatile long lastFailureAt;
    /** When the current run of failures began; 0 while the backend is healthy. */
    private volatile long failingSince;
    /**
     * When the destination behind a spool began failing; 0 while it delivers. Separate from
     * {@link #failingSince}: a spooled batch counts as persisted, yet the destination is still down.
     */
    private volatile long destinationFailingSince;
    /**
     * System.nanoTime() when each run of failures began: how long a backend has been failing is measured on
     * the monotonic clock, so a wall-clock step (NTP, a VM snapshot restore) or an application Clock that is
     * pinned or offset cannot turn a fresh failure DOWN at once, nor keep a lasting one UP.
     */
    private volatile long failingSinceNanos;
    private volatile long destinationFailingSinceNanos;
    /** The backend's spool, or null without one; read for its figures only. */
    volatile @Nullable Spool spool;
    /** Spool drops counted before the current outage began, so only drops of this outage turn health DOWN. */
    private volatile long spoolDroppedBeforeOutage;

    void recordSuccess(long nowMillis) {
        lastSuccessAt = nowMillis;
        failingSince = 0;
    }

    void recordFailure(long nowMillis, @Nullable String reason) {
        lastFailureAt = nowMillis;
        if (failingSince == 0) {
            failingSinceNanos = System.nanoTime();
            failingSince = nowMillis;
        }
        lastError = reason == null ? "unknown error" : Secrets.mask(reason);
    }

    void recordDestinationFailure(long nowMillis, @Nullable String reason) {
        lastFailureAt = nowMillis;
        if (destinationFailingSince == 0) {
            spoolDroppedBeforeOutage = spoolDropped();
            destinationFailingSinceNanos = System.nanoTime();
            destinationFailingSince = nowMillis;
        }
        lastError = reason == null ? "unknown error" : Secrets.mask(reason);
    }

    void recordDestinationSuccess() {
        destinationFailingSince = 0;
    }

    public long accepted() {
        return accepted.sum();
    }

    public long persisted() {
        return persisted.sum();
    }

    public long failed() {
        return failed.sum();
    }

    public long dropped() {
        return dropped.sum();
    }

    public long inFlight() {
        return inFlight.get();
    }

    public long batches() {
        return batches.sum();
    }

    public @Nullable String lastError() {
        return lastError;
    }

    /**
     * Epoch millis since which every write failed, or 0 when the last write succeeded. With a spool, also
     * since when the destination has been failing while the spool absorbs its entries.
     */
    public long failingSince() {
        long own = failingSince;
        long destination = destinationFailingSince;
        if (own == 0 || destination == 0) {
            return Math.max(own, destination);
        }
        return Math.min(own, destination);
    }

    /**
     * How long the current run of failures has lasted, measured on the monotonic clock (0 while healthy):
     * what health compares with its threshold. {@link #failingSince()} is the wall-clock time shown.
     */
    public Duration failingFor() {
        long now = System.nanoTime();
        long longest = 0;
        if (failingSince != 0) {
            longest = Math.max(longest, now - failingSinceNanos);
        }
        if (destinationFailingSince != 0) {
            longest = Math.max(longest, now - destinationFailingSinceNanos);
        }
        return Duration.ofNanos(longest);
    }

    /** Whether the backend has a spool; the spool figures below are 0 without one. */
    public boolean spooling() {
        return spool != null;
    }

    /** Entries waiting in the spool for the destination. */
    public long spooledEntries() {
        Spool s = spool;
        return s == null ? 0 : s.pendingEntries();
    }

    /** How full the spool is, 0 to 100. */
    public double spoolFillPercent() {
        Spool s = spool;
        return s == null ? 0 : s.fillPercent();
    }

    /** Entries the full spool dropped since the destination began failing; 0 once it delivers again. */
    public long spoolDroppedThisOutage() {
        return destinationFailingSince == 0 ? 0 : Math.max(0, spoolDropped() - spoolDroppedBeforeOutage);
    }

    /** Entries the full spool deleted (drop-oldest) or refused (drop-newest). */
    public long spoolDropped() {
        Spool s = spool;
        return s == null ? 0 : s.droppedWhenFull();
    }

    public String circuitState() {
        return circuitState;
    }

    public LatencyHistogram.Snapshot writeLatency() {
        return writeLatency.snapshot();
    }

    Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("accepted", accepted());
        map.put("totalWrites", persisted());
        map.put("failedWrites", failed());
        map.put("dropped", dropped());
        map.put("inFlight", inFlight());
        map.put("batches", batches());
        map.put("lastError", lastError);
        map.put("lastSuccessAt", instantOrNull(lastSuccessAt));
        map.put("lastFailureAt", instantOrNull(lastFailureAt));
        map.put("failingSince", instantOrNull(failingSince()));
        map.putAll(writeLatency().toMap("writeLatency"));
        return map;
    }

    private static @Nullable String instantOrNull(long epochMillis) {
        return epochMillis == 0 ? null : Instant.ofEpochMilli(epochMillis).toString();
    }
}
