package io.persistencelog;

import java.util.List;

/**
 * A {@link LogBackend} that writes batches (one flush, one request, one producer round): it implements
 * {@link #writeBatch(List)}, and a single entry is written as a batch of one.
 */
public abstract class BatchLogBackend implements LogBackend {

    @Override
    public boolean write(LogEntry entry) {
        return writeBatch(List.of(entry)).failedCount() == 0;
    }

    @Override
    public abstract BatchResult writeBatch(List<LogEntry> entries);
}
