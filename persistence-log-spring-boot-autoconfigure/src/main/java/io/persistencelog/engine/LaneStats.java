package io.persistencelog.engine;

import io.persistencelog.codec.Secrets;

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

    void recordSuccess(long nowMillis) {
        lastSuccessAt = nowMillis;
        failingSince = 0;
    }

    void recordFailure(long nowMillis, @Nullable String reason) {
        lastFailureAt = nowMillis;
        if (failingSince == 0) {
            failingSince = nowMillis;
        }
        lastError = reason == null ? "unknown error" : Secrets.mask(reason);
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

    /** Epoch millis since which every write failed, or 0 when the last write succeeded. */
    public long failingSince() {
        return failingSince;
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
        map.put("failingSince", instantOrNull(failingSince));
        map.putAll(writeLatency().toMap("writeLatency"));
        return map;
    }

    private static @Nullable String instantOrNull(long epochMillis) {
        return epochMillis == 0 ? null : Instant.ofEpochMilli(epochMillis).toString();
    }
}
