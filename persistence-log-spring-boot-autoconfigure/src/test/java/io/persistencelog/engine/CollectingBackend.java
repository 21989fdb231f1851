package io.persistencelog.engine;

import io.persistencelog.LogBackend;
import io.persistencelog.LogEntry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Test backend that keeps what it receives. */
public class CollectingBackend implements LogBackend {

    private final String name;
    public final List<LogEntry> entries = new CopyOnWriteArrayList<>();

    public CollectingBackend(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean write(LogEntry entry) {
        entries.add(entry);
        return true;
    }
}
