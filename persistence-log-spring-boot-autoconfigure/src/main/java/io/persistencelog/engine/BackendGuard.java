package io.persistencelog.engine;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.persistencelog.BatchResult;
import io.persistencelog.LogBackend;
import io.persistencelog.LogEntry;
import io.persistencelog.engine.spool.Spool;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

// Longer than 350 lines on purpose: retries, the circuit breaker and their interplay with a backend that retries by itself
// are one policy per lane; splitting it would scatter when an entry counts as failed.
/**
 * Stands between a lane and its backend. A failed batch is retried (Resilience4j {@link Retry}) unless the
 * backend retries itself; a backend whose batches keep failing is paused by a Resilience4j
 * {@link CircuitBreaker} with a growing pause, probed with one batch, and resumed when the probe succeeds.
 * With a spool, entries that failed or arrived while the backend was paused go to disk and are replayed
 * in order once it recovers; while the spool holds anything, new entries queue behind it.
 *
 * <p>With a spool, "persisted" for the lane means delivered or safely on disk; the spool's own figures
 * ({@code spooled}, {@code spoolReplayed}, ...) tell the two apart.
 */
final class BackendGuard {

    /**
     * Entries replayed per backend call. The cursor moves after each delivered chunk, so a process killed
     * during replay sends at most this many entries again after the restart (at-least-once, bounded).
     */
    static final int REPLAY_CHUNK = 100;

    private final LogBackend backend;
    /** Null when the circuit is disabled: no breaker at all, every batch goes to the backend. */
    private final @Nullable CircuitBreaker breaker;
    private final @Nullable Retry retry;
    private final @Nullable Spool spool;
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong pausedRejections = new AtomicLong();
    private final AtomicLong spoolRejected = new AtomicLong();
    private volatile @Nullable String spoolError;
    private @Nullable String lastFailure;
    /** The lane's counters: told when the destination itself fails or recovers, even while the spool hides it. */
    private @Nullable LaneStats stats;

    BackendGuard(LogBackend backend, GuardSettings settings, @Nullable Spool spool) {
        this.backend = backend;
        this.spool = spool;
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .slidingWindow(settings.failuresToOpen(), settings.failuresToOpen(),
                        CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .failureRateThreshold(100f)
                .permittedNumberOfCallsInHalfOpenState(1)
                .waitIntervalFunctionInOpenState(IntervalFunction.ofExponentialBackoff(settings.pauseInitial(), 2.0,
                        settings.pauseMax()))
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .build();
        // Disabled means no breaker, not a breaker that never opens: Resilience4j allocates its sliding
        // window eagerly, so a "huge window" stand-in costs gigabytes.
        this.breaker = settings.circuitEnabled() ? CircuitBreaker.of(backend.name(), config) : null;
        boolean retriesHere = settings.retryAttempts() > 1 && !backend.retriesInternally();
        this.retry = retriesHere ? Retry.of(backend.name(), RetryConfig.<BatchResult>custom()
                .maxAttempts(settings.retryAttempts())
                .intervalFunction(IntervalFunction.ofExponentialBackoff(settings.retryBackoff(), 2.0))
                .retryOnResult(result -> result.failedCount() > 0)
                .failAfterMaxAttempts(false)
                .build()) : null;
    }

    /**
     * Lets the lane's figures show the destination's health and the spool's state: with a spool a failed
     * batch still counts as persisted (it is on disk), but the destination is failing all the same.
     */
    void bind(LaneStats laneStats) {
        this.stats = laneStats;
        laneStats.spool = spool;
    }

    String state() {
        CircuitBreaker b = breaker;
        return b == null ? "DISABLED" : b.getState().name();
    }

    private boolean tryAcquirePermission() {
        CircuitBreaker b = breaker;
        return b == null || b.tryAcquirePermission();
    }

    private void releasePermission() {
        CircuitBreaker b = breaker;
        if (b != null) {
            b.releasePermission();
        }
    }

    boolean isPaused() {
        CircuitBreaker b = breaker;
        if (b == null) {
            return false;
        }
        CircuitBreaker.State s = b.getState();
        return s == CircuitBreaker.State.OPEN || s == CircuitBreaker.State.HALF_OPEN;
    }

    BatchResult write(List<LogEntry> entries) {
        Spool s = spool;
        if (s != null && !s.isEmpty()) {
            // Keep the order: newcomers wait behind what is already spooled.
            BatchResult spooled = toSpool(s, entries);
            replay(s, 1);
            return spooled;
        }
        if (!tryAcquirePermission()) {
            pausedRejections.addAndGet(entries.size());
            if (s != null) {
                return toSpool(s, entries);
            }
            return BatchResult.failed(entries.size(), "backend paused after repeated failures (circuit "
                    + state() + "); last error: " + lastFailure);
        }
        BatchResult result = attempt(entries);
        if (s != null && result.failedCount() > 0 && !result.allFailuresPermanent()) {
            return spoolFailed(s, entries, result);
        }
        return result;
    }

    /** Called by the idle lane: replays the spool when the backend accepts calls again. */
    void onIdle() {
        Spool s = spool;
        if (s != null && !s.isEmpty()) {
            replay(s, 10);
        }
    }

    private BatchResult attempt(List<LogEntry> entries) {
        long start = System.nanoTime();
        BatchResult result = callBackend(entries);
        Retry r = retry;
        if (r != null && result.failedCount() > 0 && !result.allFailuresPermanent()) {
            result = retryFailed(r, entries, result);
        }
        record(result, System.nanoTime() - start);
        return result;
    }

    /** Retries only the failed entries, waiting as the Retry's interval function says. */
    private BatchResult retryFailed(Retry r, List<LogEntry> entries, BatchResult first) {
        Retry.Context<BatchResult> context = r.context();
        boolean[] failed = new boolean[entries.size()];
        boolean[] permanent = new boolean[entries.size()];
        for (int i = 0; i < failed.length; i++) {
            failed[i] = first.isFailed(i);
            permanent[i] = first.isPermanent(i);
        }
        BatchResult last = first;
        // onResult sleeps for the backoff and is true while attempts remain; refused entries are not retried.
        while (!last.allFailuresPermanent() && context.onResult(last)) {
            retries.incrementAndGet();
            List<LogEntry> again = new ArrayList<>();
            List<Integer> positions = new ArrayList<>();
            for (int i = 0; i < failed.length; i++) {
                if (failed[i] && !permanent[i]) {
                    again.add(entries.get(i));
                    positions.add(i);
                }
            }
            last = callBackend(again);
            for (int k = 0; k < positions.size(); k++) {
                failed[positions.get(k)] = last.isFailed(k);
                permanent[positions.get(k)] = last.isPermanent(k);
            }
        }
        context.onComplete();
        String reason = String.valueOf(last.failureReason() != null ? last.failureReason() : first.failureReason());
        BatchResult.Builder merged = BatchResult.builder(entries.size());
        for (int i = 0; i < failed.length; i++) {
            if (failed[i] && permanent[i]) {
                merged.rejected(i, reason);
            }
            else if (failed[i]) {
                merged.failed(i, reason);
            }
        }
        return merged.build();
    }

    private BatchResult callBackend(List<LogEntry> entries) {
        try {
            BatchResult result = backend.writeBatch(entries);
            if (result == null || result.size() != entries.size()) {
                return BatchResult.failed(entries.size(), "writeBatch returned an invalid result");
            }
            return result;
        }
        catch (Throwable ex) {
            return BatchResult.failed(entries.size(), Lane.describe(ex));
        }
    }

    private void record(BatchResult result, long nanos) {
        // A refusal (400, 413) proves the backend is up: only transient failures count against it.
        LaneStats s = stats;
        CircuitBreaker b = breaker;
        if (!entriesAllFailed(result) || result.allFailuresPermanent()) {
            if (b != null) {
                b.onSuccess(nanos, TimeUnit.NANOSECONDS);
            }
            if (s != null) {
                s.recordDestinationSuccess();
            }
        }
        else {
            lastFailure = result.failureReason();
            if (b != null) {
                b.onError(nanos, TimeUnit.NANOSECONDS, new BackendFailure(String.valueOf(result.failureReason())));
            }
            if (s != null && spool != null) {
                s.recordDestinationFailure(System.currentTimeMillis(), result.failureReason());
            }
        }
    }

    private static boolean entriesAllFailed(BatchResult result) {
        return result.size() > 0 && result.failedCount() == result.size();
    }

    private void replay(Spool s, int maxChunks) {
        for (int i = 0; i < maxChunks && !s.isEmpty(); i++) {
            if (!tryAcquirePermission()) {
                return;
            }
            List<LogEntry> chunk;
            try {
                chunk = s.peek(REPLAY_CHUNK);
            }
            catch (IOException | RuntimeException ex) {
                releasePermission();
                spoolError = Lane.describe(ex);
                return;
            }
            if (chunk.isEmpty()) {
                releasePermission();
                return;
            }
            long start = System.nanoTime();
            BatchResult result = callBackend(chunk);
            record(result, System.nanoTime() - start);
            if (entriesAllFailed(result) && !result.allFailuresPermanent()) {
                return; // stays on disk; the breaker decides when to probe again
            }
            try {
                if (result.failedCount() > 0) {
                    // Partly delivered: keep what failed for a passing reason (queued again, at the end);
                    // what the backend refused for good is dropped and counted, or it would block the spool.
                    // Appended before the chunk is consumed: if that append fails the chunk stays on disk
                    // (sent again: duplicates, never a loss).
                    List<LogEntry> rest = new ArrayList<>();
                    int refused = 0;
                    for (int k = 0; k < chunk.size(); k++) {
                        if (result.isPermanent(k)) {
                            refused++;
                        }
                        else if (result.isFailed(k)) {
                            rest.add(chunk.get(k));
                        }
                    }
                    int stored = rest.isEmpty() ? 0 : s.append(rest);
                    String appendError = s.lastAppendError();
                    if (stored < rest.size() && appendError != null) {
                        spoolError = appendError;
                        return; // not consumed: replayed again later
                    }
                    s.commit();
                    spoolRejected.addAndGet(refused);
                    return;
                }
                s.commit();
            }
            catch (IOException | RuntimeException ex) {
                spoolError = Lane.describe(ex);
                return;
            }
        }
    }

    private BatchResult toSpool(Spool s, List<LogEntry> entries) {
        try {
            int stored = s.append(entries);
            if (stored == entries.size()) {
                return BatchResult.persisted(entries.size());
            }
            String appendError = s.lastAppendError();
            String reason = appendError == null ? "spool full" : "cannot spool: " + appendError;
            if (appendError != null) {
                spoolError = appendError;
            }
            BatchResult.Builder result = BatchResult.builder(entries.size());
            for (int i = stored; i < entries.size(); i++) {
                result.failed(i, reason);
            }
            return result.build();
        }
        catch (IOException | RuntimeException ex) {
            spoolError = Lane.describe(ex);
            return BatchResult.failed(entries.size(), "cannot spool: " + spoolError);
        }
    }

    private BatchResult spoolFailed(Spool s, List<LogEntry> entries, BatchResult result) {
        List<LogEntry> failed = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        BatchResult.Builder merged = BatchResult.builder(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            if (result.isPermanent(i)) {
                merged.rejected(i, String.valueOf(result.failureReason())); // refused for good: not spooled
            }
            else if (result.isFailed(i)) {
                failed.add(entries.get(i));
                positions.add(i);
            }
        }
        BatchResult spooled = toSpool(s, failed);
        for (int k = 0; k < positions.size(); k++) {
            if (spooled.isFailed(k)) {
                merged.failed(positions.get(k), String.valueOf(spooled.failureReason()));
            }
        }
        return merged.build();
    }

    Map<String, Object> metrics() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("circuitState", state());
        m.put("laneRetries", retries.get());
        m.put("pausedRejections", pausedRejections.get());
        Spool s = spool;
        if (s != null) {
            m.putAll(s.metrics());
            m.put("spoolRejected", spoolRejected.get());
            m.put("spoolError", spoolError);
        }
        return m;
    }

    void close() {
        Spool s = spool;
        if (s != null) {
            try {
                s.close();
            }
            catch (IOException ex) {
                spoolError = Lane.describe(ex);
            }
        }
    }

    /** What the circuit breaker records for a failed batch. */
    static final class BackendFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BackendFailure(String reason) {
            super(reason, null, false, false);
        }
    }
}
