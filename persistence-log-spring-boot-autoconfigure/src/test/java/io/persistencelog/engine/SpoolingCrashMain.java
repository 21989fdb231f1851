package io.persistencelog.engine;

import io.persistencelog.BatchResult;
import io.persistencelog.LogBackend;
import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import io.persistencelog.engine.spool.SpoolSettings;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Logs to a backend that is down, with the spool on, until killed: run in a forked JVM by
 * {@link SpoolCrashTest}. Prints how many entries are safely spooled before it keeps writing.
 */
public final class SpoolingCrashMain {

    public static void main(String[] args) {
        Path spoolDir = Path.of(args[0]);
        int safe = Integer.parseInt(args[1]);
        LogBackend down = new LogBackend() {
            public String name() {
                return "remote";
            }

            public boolean write(LogEntry entry) {
                return false;
            }

            @Override
            public BatchResult writeBatch(List<LogEntry> entries) {
                return BatchResult.failed(entries.size(), "connection refused");
            }
        };
        AsyncPersistencePipeline pipeline = SpoolCrashTest.pipeline(spoolDir, down);
        for (int i = 0; i < safe; i++) {
            pipeline.log(LogLevel.INFO, "crash", "m", new Object[] { "i", i });
        }
        pipeline.flush(Duration.ofSeconds(30));
        System.out.println("SPOOLED " + safe);
        System.out.flush();
        for (int i = safe; ; i++) {
            pipeline.log(LogLevel.INFO, "crash", "m", new Object[] { "i", i });
        }
    }

    static GuardSettings guard(Path spoolDir) {
        return new GuardSettings(1, Duration.ofMillis(10), true, 2, Duration.ofMillis(50), Duration.ofMillis(100),
                new SpoolSettings(spoolDir, 256L << 20, 1L << 20, SpoolSettings.FsyncPolicy.BATCH,
                        SpoolSettings.SpoolFullPolicy.DROP_NEWEST, PosixFilePermissions.fromString("rw-------"), 1000),
                Set.of("remote"));
    }
}
