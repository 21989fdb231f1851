package io.persistencelog.benchmarks;

import java.nio.file.Path;
import java.util.List;

/**
 * One logging set-up under test, writing JSON lines to a file in a directory of its own. Each JMH fork (or
 * each run of the plain-main harnesses) starts exactly one configuration, so no two frameworks share a JVM.
 */
interface Subject {

    /** Every configuration, in the order the report lists them. */
    List<String> CONFIGS = List.of("starter-echo-async", "starter-echo-off", "starter-echo-sync", "starter-capture",
            "log4j2-default", "log4j2-tuned", "logback-json", "logback-logstash", "boot-logstash");

    /**
     * How the subject is used. {@code LATENCY}: the starter drops when full (its default; the harness never
     * fills it). {@code THROUGHPUT}: everyone waits for room, so nothing is lost. {@code DELIVERY}: like
     * throughput, and Logback's file appender flushes every event (its default), because a line sitting in a
     * 256 KiB buffer is not delivered.
     */
    enum Use {
        LATENCY, THROUGHPUT, DELIVERY
    }

    void log(long seq);

    /** Drains everything accepted into the file and closes it; fails if the framework lost events. */
    void drainAndStop();

    static Subject start(String config, Workload.Kind kind, Path directory, Use use) {
        return switch (config) {
            case "starter-echo-async" -> StarterFixture.start(directory, kind, use, "async");
            case "starter-echo-off" -> StarterFixture.start(directory, kind, use, "off");
            case "starter-echo-sync" -> StarterFixture.start(directory, kind, use, "sync");
            case "starter-capture" -> CaptureFixture.start(directory, kind, use);
            case "log4j2-default" -> Log4j2Fixture.start(directory, kind, false);
            case "log4j2-tuned" -> Log4j2Fixture.start(directory, kind, true);
            case "logback-json" -> LogbackFixture.start(directory, kind, use, LogbackFixture.Encoding.JSON);
            case "logback-logstash" -> LogbackFixture.start(directory, kind, use, LogbackFixture.Encoding.LOGSTASH);
            case "boot-logstash" -> LogbackFixture.start(directory, kind, use, LogbackFixture.Encoding.BOOT_LOGSTASH);
            default -> throw new IllegalArgumentException("unknown configuration " + config + "; one of " + CONFIGS);
        };
    }
}
