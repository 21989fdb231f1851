package io.persistencelog.backend.file;

import io.persistencelog.AppLogger;
import io.persistencelog.AppLoggerFactory;

/** Logs until killed; run in a forked JVM by {@link FileCrashSafetyTest}. */
public final class EndlessWriterMain {

    public static void main(String[] args) {
        AppLogger log = AppLoggerFactory.getAppLogger("crash");
        String padding = "x".repeat(Integer.parseInt(args[0]));
        for (long i = 0; ; i++) {
            log.info("entry", "i", i, "padding", padding);
        }
    }
}
