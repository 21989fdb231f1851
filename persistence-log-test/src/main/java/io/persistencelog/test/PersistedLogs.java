package io.persistencelog.test;

import io.persistencelog.LogEntry;
import io.persistencelog.LogPersistenceHandler;
import java.time.Duration;
import java.util.List;

/**
 * The entries the application persisted, as a test sees them. Every read first waits — with
 * {@link LogPersistenceHandler#flush}, never a sleep — until what was logged before the read has reached the
 * in-memory backend, so assertions are deterministic.
 */
public final class PersistedLogs {

    /** How long a read waits for the pipeline before it fails the test. */
    public static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(30);

    private final LogPersistenceHandler handler;
    private final InMemoryLogBackend backend;

    public PersistedLogs(LogPersistenceHandler handler, InMemoryLogBackend backend) {
        this.handler = handler;
        this.backend = backend;
    }

    /** Every entry persisted so far, after waiting for the pipeline. */
    public List<LogEntry> entries() {
        flush();
        return backend.entries();
    }

    /** Forgets what was persisted so far (after waiting for the pipeline). Runs before each test method. */
    public void clear() {
        flush();
        backend.clear();
    }

    private void flush() {
        if (!handler.flush(FLUSH_TIMEOUT)) {
            throw new AssertionError("The log pipeline did not persist what was logged within " + FLUSH_TIMEOUT
                    + "; its figures: " + handler.getMetrics());
        }
    }

    @Override
    public String toString() {
        return "PersistedLogs" + backend.entries().stream().map(PersistedLogs::describe).toList();
    }

    static String describe(LogEntry entry) {
        Throwable error = entry.error();
        return entry.level() + " " + entry.logger() + " \"" + entry.message() + "\" " + entry.fields()
                + (error == null ? "" : " error=" + error.getClass().getName());
    }
}
