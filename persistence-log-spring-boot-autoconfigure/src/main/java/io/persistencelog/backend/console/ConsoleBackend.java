package io.persistencelog.backend.console;

import io.persistencelog.BatchLogBackend;
import io.persistencelog.BatchResult;
import io.persistencelog.LogEntry;
import io.persistencelog.codec.JsonLineEncoder;
import java.io.PrintStream;
import java.util.List;

/** Writes entries as JSON Lines to a stream (stdout by default), one flush per batch. */
public final class ConsoleBackend extends BatchLogBackend {

    /** The backend's name in {@code LOG_BACKENDS}. */
    public static final String NAME = "console";

    private final PrintStream out;
    private final JsonLineEncoder encoder;

    private final int maxValueLength;

    public ConsoleBackend(PrintStream out, int maxValueLength) {
        this.out = out;
        this.maxValueLength = maxValueLength;
        this.encoder = new JsonLineEncoder(maxValueLength);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public BatchResult writeBatch(List<LogEntry> entries) {
        for (LogEntry entry : entries) {
            var line = encoder.encode(entry);
            out.write(line.array(), 0, line.size());
        }
        out.flush();
        // PrintStream swallows I/O errors; checkError reports them.
        return out.checkError() ? BatchResult.failed(entries.size(), "console stream reported an error")
                : BatchResult.persisted(entries.size());
    }

    @Override
    public String toString() {
        return "ConsoleBackend[" + (out == System.out ? "stdout" : "stream") + ", maxValueLength=" + maxValueLength + "]";
    }
}
