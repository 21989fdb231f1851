package io.persistencelog.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.persistencelog.LogBackend;
import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import io.persistencelog.engine.spool.Spool;
import io.persistencelog.engine.spool.SpoolSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spool's directory lock across the pipeline's lifecycle: released when a lane is abandoned at the
 * shutdown deadline, and when start() fails part-way, so the same JVM can start again.
 */
class SpoolLifecycleEdgesTest {

    @TempDir
    Path dir;

    private SpoolSettings spool() {
        return new SpoolSettings(dir, 64L << 20, 1L << 20, SpoolSettings.FsyncPolicy.NEVER,
                SpoolSettings.SpoolFullPolicy.DROP_NEWEST, PosixFilePermissions.fromString("rw-------"), 10_000);
    }

    private GuardSettings guard(Set<String> spooled) {
        return new GuardSettings(1, Duration.ofMillis(10), true, 3, Duration.ofMillis(100), Duration.ofMillis(400),
                spool(), spooled);
    }

    @Test
    void aLaneAbandonedAtTheDeadlineReleasesItsSpoolSoTheSameJvmCanStartAgain() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch writing = new CountDownLatch(1);
        AtomicBoolean hangOnce = new AtomicBoolean(true);
        AtomicInteger closes = new AtomicInteger();
        CollectingBackend afterRestart = new CollectingBackend("remote");
        DefaultBackendRegistry registry = new DefaultBackendRegistry(Set.of("remote"));
        registry.register("remote", () -> {
            if (!hangOnce.getAndSet(false)) {
                return afterRestart;
            }
            // A write that ignores interrupts (a socket read with no timeout): shutdown must give up on it.
            return new LogBackend() {
                public String name() {
                    return "remote";
                }

                public boolean write(LogEntry entry) {
                    writing.countDown();
                    boolean done = false;
                    while (!done) {
                        try {
                            release.await();
                            done = true;
                        }
                        catch (InterruptedException ignored) {
                            // keeps hanging, as a blocking socket read would
                        }
                    }
                    return false;
                }

                public void close() {
                    closes.incrementAndGet();
                }
            };
        });
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        AsyncPersistencePipeline pipeline = new AsyncPersistencePipeline(Pipelines.settings(1000, OverflowPolicy.DROP),
                registry, new PrintStream(err, true, StandardCharsets.UTF_8), System.out);
        pipeline.setGuardSettings(guard(Set.of("remote")));
        try {
            pipeline.start();
            for (int i = 0; i < 10; i++) {
                pipeline.log(LogLevel.INFO, "t", "m", null);
            }
            writing.await();
            pipeline.shutdown(Duration.ofMillis(200));
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("remote=10");
            LaneStats stats = pipeline.laneStats("remote");
            assertThat(stats.accepted()).isEqualTo(stats.persisted() + stats.failed() + stats.dropped() + stats.inFlight());

            // The lane is still stuck in write(); its spool directory must be free all the same.
            try (Spool other = new Spool(dir.resolve("remote"), spool())) {
                assertThat(other.pendingEntries()).isZero();
            }

            // context.stop() then start() in the same JVM: the new lane opens the same spool.
            pipeline.start();
            assertThat(pipeline.isRunning()).isTrue();
            pipeline.log(LogLevel.INFO, "t", "after restart", null);
            assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(afterRestart.entries).extracting(LogEntry::message).containsExactly("after restart");
            LaneStats after = pipeline.laneStats("remote");
            assertThat(after.accepted()).isEqualTo(after.persisted() + after.failed() + after.dropped() + after.inFlight());
        }
        finally {
            release.countDown();
            pipeline.shutdown(Duration.ofSeconds(5));
        }
    }

    @Test
    void aSpoolLockConflictDuringStartStopsTheLanesAlreadyStartedAndReleasesTheirLocks() throws Exception {
        AtomicInteger closedA = new AtomicInteger();
        AtomicInteger closedC = new AtomicInteger();
        Set<String> names = new LinkedHashSet<>(List.of("a", "b", "c"));
        DefaultBackendRegistry registry = new DefaultBackendRegistry(names);
        registry.register("a", () -> new CollectingBackend("a") {
            @Override
            public void close() {
                closedA.incrementAndGet();
            }
        });
        registry.register("b", () -> new CollectingBackend("b"));
        registry.register("c", () -> new CollectingBackend("c") {
            @Override
            public void close() {
                closedC.incrementAndGet();
            }
        });
        AsyncPersistencePipeline pipeline = new AsyncPersistencePipeline(Pipelines.settings(1000, OverflowPolicy.DROP),
                registry);
        pipeline.setGuardSettings(guard(names));
        // Another application context of this JVM holds b's spool.
        try (Spool held = new Spool(dir.resolve("b"), spool())) {
            assertThatThrownBy(pipeline::start).hasMessageContaining("in use by another process or application context");
        }
        // Lane a was started before b failed: it must not keep running, nor keep its backend or spool open.
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(
                t -> t.isAlive() && t.getName().startsWith("persistence-log-a"));
        assertThat(closedA).hasValue(1);
        assertThat(closedC).hasValue(1); // built by its factory, never got a lane
        try (Spool a = new Spool(dir.resolve("a"), spool())) {
            assertThat(a.pendingEntries()).isZero();
        }
        assertThat(pipeline.isRunning()).isFalse();

        // Once the other context let go, start works, and what was logged meanwhile is delivered.
        pipeline.log(LogLevel.INFO, "t", "waited", null);
        pipeline.start();
        try {
            assertThat(pipeline.isRunning()).isTrue();
            assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
            for (String name : names) {
                LaneStats stats = pipeline.laneStats(name);
                assertThat(stats.persisted()).as(name).isEqualTo(1);
                assertThat(stats.accepted()).isEqualTo(stats.persisted() + stats.failed() + stats.dropped() + stats.inFlight());
            }
        }
        finally {
            pipeline.shutdown(Duration.ofSeconds(5));
        }
    }
}
