package io.persistencelog.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.persistencelog.AppLogger;
import io.persistencelog.AppLoggerFactory;
import io.persistencelog.LogEntry;
import io.persistencelog.engine.AsyncPersistencePipeline;
import io.persistencelog.engine.CollectingBackend;
import io.persistencelog.engine.LaneStats;
import io.persistencelog.engine.spool.Spool;
import io.persistencelog.engine.spool.SpoolSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Issue #12 points 5, 8, 11 together: {@code context.stop()} releases the file backend's directory lock and
 * every spool lock, {@code context.start()} takes them again, twice in a row, and nothing is lost or counted
 * twice on the way.
 */
class LifecycleLocksTests {

    @TempDir
    Path dir;

    @Configuration(proxyBeanMethods = false)
    static class Backends {
        @Bean
        CollectingBackend remoteBackend() {
            return new CollectingBackend("remote");
        }
    }

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LogPersistenceAutoConfiguration.class))
                .withUserConfiguration(Backends.class)
                .withPropertyValues("log-persistence.backends=file,remote",
                        "log-persistence.file.directory=" + dir.resolve("logs"),
                        "log-persistence.spool.enabled=true", "log-persistence.spool.directory=" + dir.resolve("spool"),
                        "log-persistence.spool.backends=remote");
    }

    @Test
    void stopReleasesTheFileAndSpoolLocksAndStartTakesThemAgainTwiceInARow() {
        runner().run(context -> {
            AsyncPersistencePipeline pipeline = context.getBean(AsyncPersistencePipeline.class);
            CollectingBackend remote = context.getBean(CollectingBackend.class);
            AppLogger log = AppLoggerFactory.getAppLogger("locks-test");
            int logged = 0;
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 50; i++) {
                    log.info("round" + round, "i", i);
                    logged++;
                }
                assertThat(pipeline.flush(Duration.ofSeconds(10))).as("round %d: %s", round, pipeline.getMetrics())
                        .isTrue();
                assertThat(lines()).hasSize(logged);
                if (round == 2) {
                    break;
                }
                context.stop();
                // Stopped: another writer may take both directories now, and must let go again.
                try (Spool other = new Spool(dir.resolve("spool").resolve("remote"), spoolSettings())) {
                    assertThat(other.pendingEntries()).isZero();
                }
                context.start();
            }
            assertThat(remote.entries).extracting(LogEntry::message).hasSize(logged);
            for (String name : List.of("file", "remote")) {
                // Lanes are built anew by start(): their figures cover the last run; the pipeline's carry on.
                LaneStats stats = Objects.requireNonNull(pipeline.laneStats(name));
                assertThat(stats.persisted()).as(name).isEqualTo(50);
                assertThat(stats.accepted()).as(name)
                        .isEqualTo(stats.persisted() + stats.failed() + stats.dropped() + stats.inFlight());
            }
            assertThat(pipeline.getMetrics()).containsEntry("lostOnShutdown", 0L)
                    .containsEntry("persisted", (long) logged).containsEntry("enqueued", (long) logged);
        });
    }

    @Test
    void aSecondContextOnTheSameSpoolFailsAtStartupAndTheFirstKeepsWorking() {
        runner().run(first -> {
            assertThat(first).hasNotFailed();
            runner().run(second -> assertThat(second).hasFailed().getFailure()
                    .rootCause().hasMessageContaining("in use by another process or application context"));
            AsyncPersistencePipeline pipeline = first.getBean(AsyncPersistencePipeline.class);
            AppLoggerFactory.getAppLogger("locks-test").info("still here");
            assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(first.getBean(CollectingBackend.class).entries).extracting(LogEntry::message)
                    .contains("still here");
        });
    }

    private SpoolSettings spoolSettings() {
        return new SpoolSettings(dir.resolve("spool"), 64L << 20, 1L << 20, SpoolSettings.FsyncPolicy.NEVER,
                SpoolSettings.SpoolFullPolicy.DROP_NEWEST, PosixFilePermissions.fromString("rw-------"), 10_000);
    }

    private List<String> lines() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("logs"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json")).flatMap(p -> {
                try {
                    return Files.readAllLines(p, StandardCharsets.UTF_8).stream();
                }
                catch (IOException ex) {
                    throw new IllegalStateException(ex);
                }
            }).filter(l -> !l.isBlank()).toList();
        }
    }
}
