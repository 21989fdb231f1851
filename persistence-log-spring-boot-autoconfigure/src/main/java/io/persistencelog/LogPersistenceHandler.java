package io.persistencelog;

import java.time.Duration;
import java.util.Map;

/** The queue between callers and backends, with its background drain. */
public interface LogPersistenceHandler {

    /**
     * Hands an entry to the pipeline. Never throws and never does I/O; under the {@code drop} policy never
     * blocks. Returns false when the entry was not accepted (queue full or stopped); it is then counted as
     * dropped and printed to the console.
     */
    boolean submit(LogEntry entry);

    /** Queue figures: {@code queueSize}, {@code queueCapacity}, {@code enqueued}, {@code persisted}, ... */
    Map<String, Object> getMetrics();

    /**
     * Waits until every entry accepted before this call has been written by every active backend (or counted
     * as failed or dropped). Returns false if that did not happen within the timeout.
     */
    boolean flush(Duration timeout);

    /** Stops accepting, drains what was accepted, then flushes and closes the backends. Idempotent. */
    void shutdown(Duration timeout);

    boolean isRunning();
}
