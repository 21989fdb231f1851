package io.persistencelog.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fault injection: failing, flapping and recovering backends, with and without the spool. */
class ResilienceTest {

    @TempDir
    Path dir;

    /** A backend that fails while {@link #down} is set, and records what it persisted. */
    static class FlakyBackend implements LogBackend {
        final String name;
        final AtomicBoolean down = new AtomicBoolean();
        final AtomicInteger calls = new AtomicInteger();
        final List<Integer> persisted = new CopyOnWriteArrayList<>();

        FlakyBackend(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean write(LogEntry entry) {
            throw new UnsupportedOperationException();
        }

        @Override
        public BatchResult writeBatch(List<LogEntry> entries) {
            calls.incrementAndGet();
            if (down.get()) {
                return BatchResult.failed(entries.size(), "503 Service Unavailable");
            }
            entries.forEach(e -> persisted.add(((Number) e.fields().get("i")).intValue()));
            return BatchResult.persisted(entries.size());
        }
    }

    private AsyncPersistencePipeline pipeline(GuardSettings guard, LogBackend... backends) {
        Set<String> names = new java.util.LinkedHashSet<>();
        for (LogBackend b : backends) {
            names.add(b.name());
        }
        DefaultBackendRegistry registry = new DefaultBackendRegistry(names);
        for (LogBackend b : backends) {
            registry.register(b);
        }
        AsyncPersistencePipeline pipeline = new AsyncPersistencePipeline(Pipelines.settings(100_000,
                OverflowPolicy.BLOCK), registry);
        pipeline.setGuardSettings(guard);
        pipeline.start();
        return pipeline;
    }

    private static GuardSettings guard(int attempts, SpoolSettings spool) {
        return new GuardSettings(attempts, Duration.ofMillis(10), true, 3, Duration.ofMillis(100),
                Duration.ofMillis(400), spool, Set.of("remote"));
    }

    private SpoolSettings spool() {
        return new SpoolSettings(dir, 64L << 20, 1L << 20, SpoolSettings.FsyncPolicy.NEVER,
                SpoolSettings.SpoolFullPolicy.DROP_NEWEST, PosixFilePermissions.fromString("rw-------"), 10_000);
    }

    private static void log(AsyncPersistencePipeline pipeline, int from, int count) {
        for (int i = from; i < from + count; i++) {
            pipeline.log(LogLevel.INFO, "t", "m", new Object[] { "i", i });
        }
    }

    @Test
    void aFailedBatchIsRetriedOnce() {
        AtomicInteger attempts = new AtomicInteger();
        CollectingBackend delegate = new CollectingBackend("once");
        LogBackend failsFirst = new LogBackend() {
            public String name() {
                return "once";
            }

            public boolean write(LogEntry entry) {
                if (attempts.incrementAndGet() == 1) {
                    return false;
                }
                return delegate.write(entry);
            }
        };
        AsyncPersistencePipeline p = pipeline(guard(2, null), failsFirst);
        p.log(LogLevel.INFO, "t", "m", new Object[] { "i", 1 });
        assertThat(p.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(delegate.entries).hasSize(1);
        LaneStats stats = p.laneStats("once");
        assertThat(stats.persisted()).isEqualTo(1);
        assertThat(stats.failed()).isZero();
        assertThat(p.registry().getAllMetrics().get("once")).containsEntry("laneRetries", 1L);
        p.shutdown(Duration.ofSeconds(5));
    }

    @Test
    void aBackendThatKeepsFailingIsPausedProbedAndResumed() {
        FlakyBackend remote = new FlakyBackend("remote");
        remote.down.set(true);
        AsyncPersistencePipeline p = pipeline(guard(1, null), remote);
        for (int batch = 0; batch < 20; batch++) {
            log(p, batch, 1);
            assertThat(p.flush(Duration.ofSeconds(10))).isTrue();
        }
        // Three failed batches opened the circuit: later batches failed fast without calling the backend.
        assertThat(remote.calls.get()).isLessThan(20);
        assertThat(p.laneStats("remote").circuitState()).isIn("OPEN", "HALF_OPEN");
        assertThat(p.laneStats("remote").lastError()).contains("paused").contains("503");
        LaneStats stats = p.laneStats("remote");
        assertThat(stats.failed()).isEqualTo(20);

        remote.down.set(false);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            log(p, 100, 1);
            assertThat(p.flush(Duration.ofSeconds(5))).isTrue();
            assertThat(p.laneStats("remote").circuitState()).isEqualTo("CLOSED");
        });
        assertThat(remote.persisted).isNotEmpty();
        assertThat(stats.accepted()).isEqualTo(stats.persisted() + stats.failed() + stats.dropped() + stats.inFlight());
        p.shutdown(Duration.ofSeconds(5));
    }

    @Test
    void withTheSpoolAnOutageLosesNothingAndOrderIsKept() {
        FlakyBackend remote = new FlakyBackend("remote");
        CollectingBackend local = new CollectingBackend("local");
        AsyncPersistencePipeline p = pipeline(guard(1, spool()), remote, local);
        log(p, 0, 1000);
        assertThat(p.flush(Duration.ofSeconds(10))).isTrue();
        remote.down.set(true);
        log(p, 1000, 5000);
        assertThat(p.flush(Duration.ofSeconds(30))).isTrue();
        assertThat(p.registry().getAllMetrics().get("remote").get("spooled")).isNotEqualTo(0L);
        remote.down.set(false);
        log(p, 6000, 1000);
        assertThat(p.flush(Duration.ofSeconds(30))).isTrue();
        await().atMost(Duration.ofSeconds(20)).until(() -> remote.persisted.size() == 7000);

        assertThat(remote.persisted).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 7000).boxed().toList());
        assertThat(local.entries).hasSize(7000);
        LaneStats stats = p.laneStats("remote");
        assertThat(stats.failed()).isZero();
        assertThat(stats.dropped()).isZero();
        assertThat(stats.accepted()).isEqualTo(7000).isEqualTo(stats.persisted() + stats.inFlight());
        assertThat(p.registry().getAllMetrics().get("remote")).containsEntry("spooled", 0L);
        p.shutdown(Duration.ofSeconds(5));
    }

    @Test
    void theSpoolSurvivesARestartAndIsReplayed() {
        FlakyBackend before = new FlakyBackend("remote");
        before.down.set(true);
        AsyncPersistencePipeline first = pipeline(guard(1, spool()), before);
        log(first, 0, 500);
        assertThat(first.flush(Duration.ofSeconds(10))).isTrue();
        first.shutdown(Duration.ofSeconds(5));
        assertThat(before.persisted).isEmpty();

        FlakyBackend after = new FlakyBackend("remote");
        AsyncPersistencePipeline second = pipeline(guard(1, spool()), after);
        log(second, 500, 10);
        assertThat(second.flush(Duration.ofSeconds(10))).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> after.persisted.size() == 510);
        assertThat(after.persisted).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 510).boxed().toList());
        second.shutdown(Duration.ofSeconds(5));
    }

    @Test
    void aBackendThatReturnsFalseOrHangsIsCountedAndOthersContinue() throws Exception {
        LogBackend falsy = new LogBackend() {
            public String name() {
                return "falsy";
            }

            public boolean write(LogEntry entry) {
                return false;
            }
        };
        java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
        LogBackend hanging = new LogBackend() {
            public String name() {
                return "hanging";
            }

            public boolean write(LogEntry entry) {
                try {
                    never.await();
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                return true;
            }
        };
        CollectingBackend good = new CollectingBackend("good");
        AsyncPersistencePipeline p = pipeline(guard(2, null), falsy, hanging, good);
        log(p, 0, 2000);
        assertThat(p.flushBackend("good", Duration.ofSeconds(10))).isTrue();
        assertThat(p.flushBackend("falsy", Duration.ofSeconds(10))).isTrue();
        assertThat(good.entries).hasSize(2000);
        LaneStats falsyStats = p.laneStats("falsy");
        assertThat(falsyStats.failed()).isEqualTo(2000);
        assertThat(falsyStats.lastError()).contains("write returned false");
        LaneStats hangingStats = p.laneStats("hanging");
        assertThat(hangingStats.inFlight()).isPositive();
        assertThat(hangingStats.accepted()).isEqualTo(hangingStats.persisted() + hangingStats.failed()
                + hangingStats.dropped() + hangingStats.inFlight());
        p.shutdown(Duration.ofMillis(300));
        assertThat(hangingStats.accepted()).isEqualTo(hangingStats.persisted() + hangingStats.failed()
                + hangingStats.dropped() + hangingStats.inFlight());
        assertThat(p.getMetrics().get("lostOnShutdown")).isEqualTo(hangingStats.dropped());
        never.countDown();
    }
}
