package io.persistencelog.test;

import io.persistencelog.LogBackend;
import io.persistencelog.LogEntry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Keeps every entry it is given, in order, for assertions. Selected as {@value #NAME} next to the
 * application's own backends by {@link AutoConfigurePersistedLogs}.
 */
public final class InMemoryLogBackend implements LogBackend {

    public static final String NAME = "memory";

    private final List<LogEntry> entries = new CopyOnWriteArrayList<>();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean write(LogEntry entry) {
        entries.add(entry);
        return true;
    }

    /** What was written so far (a copy); use {@link PersistedLogs#entries()} to wait for the pipeline first. */
    public List<LogEntry> entries() {
        return List.copyOf(entries);
    }

    public void clear() {
        entries.clear();
    }
}
