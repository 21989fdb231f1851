package io.persistencelog.standalone;

import io.persistencelog.AppLogger;
import io.persistencelog.AppLoggerFactory;

/** A plain {@code main} with no Spring: run in a forked JVM by {@link StandalonePipelineTest}. */
public final class StandaloneMain {

    public static void main(String[] args) {
        AppLogger log = AppLoggerFactory.getAppLogger("standalone");
        int count = Integer.parseInt(args[0]);
        for (int i = 0; i < count; i++) {
            log.info("standalone entry", "i", i);
        }
        // No explicit shutdown: the JVM shutdown hook must drain the queue.
    }
}
