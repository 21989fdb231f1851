package io.persistencelog.backend.console;

import io.persistencelog.BatchLogBackend;
import io.persistencelog.BatchResult;
import io.persistencelog.LogEntry;
import io.persistencelog.codec.JsonLineEncoder;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Writes entries as JSON Lines to a stream (stdout by default), one flush per batch.
 *
 * <p>Given a plain {@link OutputStream}, each batch's own I/O error fails that batch only. Given a
 * {@link PrintStream} (such as {@code System.out}), errors are only visible through its sticky
 * {@link PrintStream#checkError()} flag, which nobody outside the stream can clear: the batch during which
 * the flag turns on is failed, and later batches are not failed for that same old error (the lane's last
 * error still names it).
 */
public final class ConsoleBackend extends BatchLogBackend {

    /** The backend's name in {@code LOG_BACKENDS}. */
    public static final String NAME = "console";

    private final @Nullable PrintStream printStream;
    private final OutputStream out;
    private final JsonLineEncoder encoder;
    private final int maxValueLength;
    /** The PrintStream's error flag as of the previous batch; a flag already on says nothing new. */
    private boolean errorSeen;

    public ConsoleBackend(PrintStream out, int maxValueLength) {
        this((OutputStream) out, maxValueLength);
    }

    /** Writes to a raw stream: an I/O error fails exactly the batch it happened in. */
    public ConsoleBackend(OutputStream out, int maxValueLength) {
        this.printStream = out instanceof PrintStream ps ? ps : null;
        this.out = out;
        this.encoder = new JsonLineEncoder(maxValueLength);
        this.maxValueLength = maxValueLength;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public synchronized BatchResult writeBatch(List<LogEntry> entries) {
        try {
            for (LogEntry entry : entries) {
                var line = encoder.encode(entry);
                out.write(line.array(), 0, line.size());
            }
            out.flush();
        }
        catch (IOException ex) {
            return BatchResult.failed(entries.size(), "console stream failed: " + ex.getMessage());
        }
        PrintStream ps = printStream;
        if (ps != null) {
            // PrintStream swallows I/O errors; checkError reports them, but the flag never clears.
            boolean error = ps.checkError();
            boolean fresh = error && !errorSeen;
            errorSeen = error;
            if (fresh) {
                return BatchResult.failed(entries.size(), "console stream reported an error");
            }
        }
        return BatchResult.persisted(entries.size());
    }

    @Override
    public String toString() {
        return "ConsoleBackend[" + (out == System.out ? "stdout" : "stream") + ", maxValueLength=" + maxValueLength + "]";
    }
}
