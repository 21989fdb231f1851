package io.persistencelog;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A destination for log entries: a file, a vendor API, a broker, anything.
 *
 * <p>Each active backend runs in its own lane: one thread that calls {@link #writeBatch(List)} with
 * batches in arrival order, then {@link #flush()} and {@link #close()} on shutdown. The methods of one
 * backend are therefore never called concurrently and an implementation needs no locking. A backend
 * that is slow or failing only delays its own lane. Exceptions thrown by a backend are caught and
 * counted as failed writes; they never reach the code that logged.
 */
public interface LogBackend {

    /** Unique lower-case name used in {@code LOG_BACKENDS}, e.g. {@code "file"}. */
    String name();

    /** Persists one entry; {@code true} when it was persisted. */
    boolean write(LogEntry entry);

    /**
     * Persists a batch. The default writes entry by entry; backends that can write a batch at once (one
     * file flush, one HTTP request) override it.
     */
    default BatchResult writeBatch(List<LogEntry> entries) {
        BatchResult.Builder result = BatchResult.builder(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            try {
                if (!write(entries.get(i))) {
                    result.failed(i, "write returned false");
                }
            }
            catch (RuntimeException ex) {
                result.failed(i, ex.getClass().getSimpleName() + ": " + ex.getMessage());
            }
        }
        return result.build();
    }

    /**
     * Largest batch this backend wants per {@link #writeBatch(List)} call; 0 means "as the pipeline
     * dispatches them". Network backends raise it to send fewer, larger requests.
     */
    default int maxBatchSize() {
        return 0;
    }

    /**
     * Whether this backend already retries failed requests itself (network backends with their own
     * backoff). The pipeline then does not retry its failed batches a second time; its circuit breaker and
     * spool still apply.
     */
    default boolean retriesInternally() {
        return false;
    }

    /** How long the lane may wait to fill a batch up to {@link #maxBatchSize()}; zero = never wait. */
    default Duration maxBatchWait() {
        return Duration.ZERO;
    }

    /**
     * Backend-specific figures for the endpoint (e.g. {@code logDirectory}). The pipeline adds the
     * counters it keeps for every lane ({@code totalWrites}, {@code failedWrites}, {@code dropped},
     * {@code inFlight}, ...), so a backend only reports what is its own. Must not contain secrets.
     */
    default Map<String, Object> getMetrics() {
        return Map.of("backend", name());
    }

    /** Pushes buffered data out; called from the lane on shutdown. */
    default void flush() {
    }

    /** Releases resources; called from the lane after the final {@link #flush()}. */
    default void close() {
    }
}
