package io.persistencelog.engine;

import io.persistencelog.BatchResult;
import io.persistencelog.LogBackend;
import io.persistencelog.LogEntry;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Replays a filled spool to a destination that records every entry it receives (one line per entry in
 * a file, written as it arrives) and hangs for good after {@code hangAfter} entries, in the middle of a
 * replayed chunk: run in a forked JVM by {@link SpoolCrashTest}, which kills it there.
 */
public final class ReplayingCrashMain {

    public static void main(String[] args) throws Exception {
        Path spoolDir = Path.of(args[0]);
        Path delivered = Path.of(args[1]);
        int hangAfter = Integer.parseInt(args[2]);
        OutputStream out = new FileOutputStream(delivered.toFile(), true);
        CountDownLatch never = new CountDownLatch(1);
        LogBackend destination = new LogBackend() {
            private int received;

            public String name() {
                return "remote";
            }

            public boolean write(LogEntry entry) {
                return writeBatch(List.of(entry)).failedCount() == 0;
            }

            @Override
            public BatchResult writeBatch(List<LogEntry> entries) {
                for (LogEntry entry : entries) {
                    if (received == hangAfter) {
                        try {
                            never.await(); // the destination stops answering mid-request
                        }
                        catch (InterruptedException ex) {
                            Thread.currentThread().interrupt();
                        }
                        return BatchResult.failed(entries.size(), "interrupted");
                    }
                    try {
                        out.write((entry.fields().get("i") + "\n").getBytes(StandardCharsets.US_ASCII));
                        out.flush(); // in the kernel: survives the kill of this process
                    }
                    catch (IOException ex) {
                        throw new UncheckedIOException(ex);
                    }
                    received++;
                }
                return BatchResult.persisted(entries.size());
            }
        };
        SpoolCrashTest.pipeline(spoolDir, destination);
        never.await();
    }
}
