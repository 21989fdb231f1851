package io.persistencelog.engine;

import io.persistencelog.engine.spool.SpoolSettings;
import java.time.Duration;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Fault handling of each backend's lane: retries of failed batches, the circuit breaker that pauses a
 * backend that keeps failing, and (optionally) the disk spool.
 *
 * @param retryAttempts attempts per batch (1 = no retry) for backends that do not retry themselves
 * @param retryBackoff wait before the first retry; doubled for each further one
 * @param circuitEnabled whether a backend that keeps failing is paused and probed
 * @param failuresToOpen consecutive failed batches that pause the backend
 * @param pauseInitial first pause; doubled for every failed probe
 * @param pauseMax longest pause
 * @param spool spool settings, or null when spooling is off
 * @param spoolBackends backends whose failed or paused entries go to the spool
 */
public record GuardSettings(int retryAttempts, Duration retryBackoff, boolean circuitEnabled, int failuresToOpen,
        Duration pauseInitial, Duration pauseMax, @Nullable SpoolSettings spool, Set<String> spoolBackends) {

    public static final Set<String> DEFAULT_SPOOL_BACKENDS = Set.of("datadog", "slack", "kafka");
    /** Largest failures-to-open: the circuit breaker allocates a sliding window of this size up front. */
    public static final int MAX_FAILURES_TO_OPEN = 10_000;

    public GuardSettings {
        if (retryAttempts < 1) {
            throw new IllegalArgumentException("log-persistence.resilience.retry-attempts must be at least 1 but was "
                    + retryAttempts);
        }
        if (failuresToOpen < 1) {
            throw new IllegalArgumentException(
                    "log-persistence.resilience.failures-to-open must be at least 1 but was " + failuresToOpen);
        }
        if (circuitEnabled && failuresToOpen > MAX_FAILURES_TO_OPEN) {
            throw new IllegalArgumentException("log-persistence.resilience.failures-to-open must be at most "
                    + MAX_FAILURES_TO_OPEN + " but was " + failuresToOpen
                    + " (the breaker's window is allocated up front); to never pause a backend, set "
                    + "log-persistence.resilience.circuit-enabled=false");
        }
        requirePositive(retryBackoff, "retry-backoff");
        requirePositive(pauseInitial, "pause-initial");
        if (pauseMax.compareTo(pauseInitial) < 0) {
            throw new IllegalArgumentException("log-persistence.resilience.pause-max (" + pauseMax
                    + ") must be at least log-persistence.resilience.pause-initial (" + pauseInitial + ")");
        }
        spoolBackends = Set.copyOf(spoolBackends);
    }

    private static void requirePositive(Duration value, String property) {
        // Resilience4j's back-off functions refuse a zero interval, and only when a lane starts.
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("log-persistence.resilience." + property
                    + " must be greater than 0 but was " + value);
        }
    }

    public static GuardSettings defaults() {
        return new GuardSettings(2, Duration.ofMillis(200), true, 5, Duration.ofSeconds(1), Duration.ofMinutes(1),
                null, DEFAULT_SPOOL_BACKENDS);
    }

    public GuardSettings withSpool(@Nullable SpoolSettings spoolSettings) {
        return new GuardSettings(retryAttempts, retryBackoff, circuitEnabled, failuresToOpen, pauseInitial, pauseMax,
                spoolSettings, spoolBackends);
    }
}
