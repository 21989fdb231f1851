package io.persistencelog.engine;

import io.persistencelog.codec.QueuedLogEntry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

import io.persistencelog.BatchResult;
import io.persistencelog.LogBackend;
import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import io.persistencelog.backend.console.ConsoleBackend;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Issue #12: the pipeline's edges (breaker off, small lanes, shutdown at the deadline, re-entrancy, worker death). */
class PipelineEdgesTest {

    private static GuardSettings guard(int attempts, Duration backoff, boolean circuit) {
        return new GuardSettings(attempts, backoff, circuit, 2, Duration.ofSeconds(30), Duration.ofMinutes(1), null,
                Set.of());
    }

    private static AsyncPersistencePipeline pipeline(PipelineSettings settings, GuardSettings guard,
            LogBackend... backends) {
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        for (LogBackend b : backends) {
            names.add(b.name());
        }
        DefaultBackendRegistry registry = new DefaultBackendRegistry(names);
        for (LogBackend b : backends) {
            registry.register(b);
        }
        AsyncPersistencePipeline pipeline = new AsyncPersistencePipeline(settings, registry,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        pipeline.setGuardSettings(guard);
        pipeline.start();
        return pipeline;
    }

    private static PipelineSettings settings(int queue, OverflowPolicy policy, int batch, int lane, Duration timeout) {
        return new PipelineSettings(queue, policy, batch, Duration.ZERO, lane, timeout, LogLevel.TRACE,
                PipelineSettings.DEFAULT_MAX_VALUE_LENGTH, Clock.systemUTC());
    }

    /** Every accepted entry ends exactly once: persisted, failed (dropped for a backend) or lost on shutdown. */
    private static void assertAccounted(AsyncPersistencePipeline pipeline) {
        Map<String, Object> m = pipeline.getMetrics();
        long enqueued = ((Number) m.get("enqueued")).longValue();
        long persisted = ((Number) m.get("persisted")).longValue();
        long failed = ((Number) m.get("failedLogs")).longValue();
        long lost = ((Number) m.get("lostOnShutdown")).longValue();
        assertThat(persisted + failed + lost).as("persisted %d + failed %d + lost %d", persisted, failed, lost)
                .isEqualTo(enqueued);
    }

    // ------------------------------------------------------------ 1. breaker disabled

    @Test
    void aDisabledCircuitMeansNoBreakerAtAll() {
        AtomicInteger calls = new AtomicInteger();
        LogBackend failing = new LogBackend() {
            public String name() {
                return "down";
            }

            public boolean write(LogEntry entry) {
                calls.incrementAndGet();
                return false;
            }
        };
        BackendGuard guard = new BackendGuard(failing, guard(1, Duration.ofMillis(1), false), null);
        QueuedLogEntry entry = new QueuedLogEntry(0, LogLevel.INFO, "t", "m", "main", null);
        for (int i = 0; i < 20; i++) {
            assertThat(guard.write(List.of(entry)).failedCount()).isEqualTo(1);
        }
        // Never paused: every batch reached the backend.
        assertThat(calls).hasValue(20);
        assertThat(guard.state()).isEqualTo("DISABLED");
        assertThat(guard.metrics()).containsEntry("circuitState", "DISABLED");
    }

    @Test
    void aStandaloneBuildThatFailsWithAnErrorIsNotRetriedOnEveryCall() {
        AtomicInteger builds = new AtomicInteger();
        PipelineHolder.StandaloneSlot slot = new PipelineHolder.StandaloneSlot();
        for (int i = 0; i < 5; i++) {
            assertThat(slot.get(() -> {
                builds.incrementAndGet();
                throw new OutOfMemoryError("Java heap space");
            })).isNull();
        }
        assertThat(builds).hasValue(1);
    }

    // ------------------------------------------------------------ 2. lane capacity below batch size

    @Test
    void aLaneSmallerThanABatchIsRefusedNamingBothProperties() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> settings(1000, OverflowPolicy.BLOCK, 100, 50, Duration.ofSeconds(5)))
                .withMessageContaining("log-persistence.lane.capacity")
                .withMessageContaining("log-persistence.batch.size");
        // Equal is fine: one batch fits an empty lane.
        assertThat(settings(1000, OverflowPolicy.BLOCK, 100, 100, Duration.ofSeconds(5)).laneCapacity())
                .isEqualTo(100);
    }

    // ------------------------------------------------------------ 7. shutdown at the deadline

    @Test
    @Timeout(120)
    void shutdownAtAZeroDeadlineStopsTheDispatcherFirstAndAccountsEachEntryOnce() {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger written = new AtomicInteger();
        LogBackend slow = new LogBackend() {
            public String name() {
                return "slow";
            }

            public boolean write(LogEntry entry) {
                throw new UnsupportedOperationException();
            }

            @Override
            public BatchResult writeBatch(List<LogEntry> entries) {
                try {
                    release.await(5, TimeUnit.MILLISECONDS);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                written.addAndGet(entries.size());
                return BatchResult.persisted(entries.size());
            }
        };
        CollectingBackend fast = new CollectingBackend("fast");
        AsyncPersistencePipeline pipeline = pipeline(settings(100_000, OverflowPolicy.DROP, 10, 100_000,
                Duration.ZERO), guard(1, Duration.ofMillis(1), true), slow, fast);
        for (int i = 0; i < 20_000; i++) {
            pipeline.log(LogLevel.INFO, "t", "m", null);
        }
        pipeline.shutdown(Duration.ZERO);

        assertThat(pipeline.dispatcherAlive()).as("dispatcher still running after shutdown").isFalse();
        await().atMost(Duration.ofSeconds(60)).until(() -> !pipeline.anyLaneAlive());
        assertAccounted(pipeline);
        long lost = (Long) pipeline.getMetrics().get("lostOnShutdown");
        assertThat(lost).isLessThanOrEqualTo(20_000);
        // Per backend: what each lane wrote plus what it lost is what it was handed.
        LaneStats slowStats = pipeline.laneStats("slow");
        // A write still running when shutdown gave up may land afterwards: that one batch (10 entries) is
        // counted as lost, never as persisted, so the counters never claim more than the backend wrote.
        assertThat(written.get() - slowStats.persisted()).isBetween(0L, 10L);
        assertThat(slowStats.accepted()).isEqualTo(slowStats.persisted() + slowStats.failed() + slowStats.dropped());
        assertThat(fast.entries.size() - pipeline.laneStats("fast").persisted()).isBetween(0L, 10L);
        @SuppressWarnings("unchecked")
        Map<String, Long> byBackend = (Map<String, Long>) pipeline.getMetrics().get("lostOnShutdownByBackend");
        // Each entry counts once in lostOnShutdown, however many places held it.
        assertThat(byBackend.values().stream().mapToLong(Long::longValue).sum()).isGreaterThanOrEqualTo(lost);
        release.countDown();
    }

    @Test
    @Timeout(60)
    void entriesLostByTwoBackendsAreCountedOncePerEntry() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        CountDownLatch writingA = new CountDownLatch(1);
        CountDownLatch writingB = new CountDownLatch(1);
        LogBackend a = hanging("a", writingA, never);
        LogBackend b = hanging("b", writingB, never);
        AsyncPersistencePipeline pipeline = pipeline(settings(1000, OverflowPolicy.DROP, 100, 1000,
                Duration.ofMillis(200)), guard(1, Duration.ofMillis(1), true), a, b);
        for (int i = 0; i < 10; i++) {
            pipeline.log(LogLevel.INFO, "t", "m", null);
        }
        writingA.await();
        writingB.await();
        pipeline.shutdown(Duration.ofMillis(200));
        assertThat(pipeline.getMetrics()).containsEntry("lostOnShutdown", 10L);
        assertThat(pipeline.getMetrics()).containsEntry("lostOnShutdownByBackend", Map.of("a", 10L, "b", 10L));
        assertAccounted(pipeline);
        never.countDown();
    }

    @Test
    @Timeout(120)
    void callsRacingTheShutdownAreNeverLeftUncountedInTheQueue() throws Exception {
        for (int round = 0; round < 20; round++) {
            CollectingBackend backend = new CollectingBackend("race");
            AsyncPersistencePipeline pipeline = pipeline(settings(1 << 16, OverflowPolicy.DROP, 100, 1 << 16,
                    Duration.ZERO), guard(1, Duration.ofMillis(1), true), backend);
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> producers = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Thread producer = new Thread(() -> {
                    try {
                        go.await();
                    }
                    catch (InterruptedException ex) {
                        return;
                    }
                    for (int i = 0; i < 5_000; i++) {
                        pipeline.log(LogLevel.INFO, "t", "m", null);
                    }
                });
                producer.start();
                producers.add(producer);
            }
            go.countDown();
            pipeline.shutdown(Duration.ZERO);
            for (Thread producer : producers) {
                producer.join();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> !pipeline.anyLaneAlive());
            assertThat(pipeline.queueSize()).as("entries left in the queue after shutdown").isZero();
            assertAccounted(pipeline);
            assertThat(pipeline.enqueuedCount() + pipeline.droppedCount()).isEqualTo(20_000);
        }
    }

    private static LogBackend hanging(String name, CountDownLatch writing, CountDownLatch never) {
        return new LogBackend() {
            public String name() {
                return name;
            }

            public boolean write(LogEntry entry) {
                writing.countDown();
                try {
                    never.await();
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                return false;
            }
        };
    }

    // ------------------------------------------------------------ 10. re-entrancy and worker death

    @Test
    @Timeout(60)
    void aBackendThatLogsNeverDeadlocksUnderBlock() {
        AtomicReference<AsyncPersistencePipeline> self = new AtomicReference<>();
        AtomicInteger outer = new AtomicInteger();
        LogBackend chatty = new LogBackend() {
            public String name() {
                return "chatty";
            }

            public boolean write(LogEntry entry) {
                throw new UnsupportedOperationException();
            }

            @Override
            public BatchResult writeBatch(List<LogEntry> entries) {
                for (LogEntry e : entries) {
                    if ("outer".equals(e.message())) {
                        outer.incrementAndGet();
                        for (int i = 0; i < 20; i++) {
                            self.get().log(LogLevel.INFO, "inner", "inner", null);
                        }
                    }
                }
                return BatchResult.persisted(entries.size());
            }
        };
        AsyncPersistencePipeline pipeline = pipeline(settings(8, OverflowPolicy.BLOCK, 8, 8, Duration.ofSeconds(5)),
                guard(1, Duration.ofMillis(1), true), chatty);
        self.set(pipeline);
        for (int i = 0; i < 200; i++) {
            pipeline.log(LogLevel.INFO, "outer", "outer", null);
        }
        assertThat(pipeline.flush(Duration.ofSeconds(30))).isTrue();
        assertThat(outer).hasValue(200);
        pipeline.shutdown(Duration.ofSeconds(10));
        assertAccounted(pipeline);
    }

    @Test
    @Timeout(60)
    void anErrorInALaneIsCountedAndTheLaneGoesOn() {
        AtomicBoolean thrown = new AtomicBoolean();
        CollectingBackend backend = new CollectingBackend("erratic") {
            @Override
            public int maxBatchSize() {
                if (thrown.compareAndSet(false, true)) {
                    throw new StackOverflowError("deep");
                }
                return 0;
            }
        };
        AsyncPersistencePipeline pipeline = pipeline(settings(1000, OverflowPolicy.DROP, 10, 1000,
                Duration.ofSeconds(5)), guard(1, Duration.ofMillis(1), true), backend);
        pipeline.log(LogLevel.INFO, "t", "first", null);
        assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
        pipeline.log(LogLevel.INFO, "t", "second", null);
        assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(backend.entries).extracting(LogEntry::message).containsExactly("second");
        LaneStats stats = pipeline.laneStats("erratic");
        assertThat(stats.failed()).isEqualTo(1);
        assertThat(stats.lastError()).contains("StackOverflowError");
        pipeline.shutdown(Duration.ofSeconds(10));
        assertAccounted(pipeline);
    }

    @Test
    @Timeout(60)
    void aLaneInterruptedDuringARetryBackoffStillFlushesAndClosesItsBackend() {
        AtomicInteger calls = new AtomicInteger();
        AtomicBoolean flushed = new AtomicBoolean();
        AtomicBoolean closed = new AtomicBoolean();
        LogBackend failing = new LogBackend() {
            public String name() {
                return "failing";
            }

            public boolean write(LogEntry entry) {
                calls.incrementAndGet();
                return false;
            }

            @Override
            public void flush() {
                flushed.set(true);
            }

            @Override
            public void close() {
                closed.set(true);
            }
        };
        AsyncPersistencePipeline pipeline = pipeline(settings(1000, OverflowPolicy.DROP, 10, 1000,
                Duration.ofMillis(100)), guard(3, Duration.ofMinutes(10), true), failing);
        pipeline.log(LogLevel.INFO, "t", "m", null);
        await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() == 1);
        pipeline.shutdown(Duration.ofMillis(100));
        await().atMost(Duration.ofSeconds(10)).until(closed::get);
        assertThat(flushed).isTrue();
        assertThat(pipeline.anyLaneAlive()).isFalse();
        assertAccounted(pipeline);
    }

    // ------------------------------------------------------------ 12. console

    @Test
    void oneConsoleErrorDoesNotFailEveryLaterBatch() {
        AtomicBoolean broken = new AtomicBoolean(true);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        OutputStream flaky = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] { (byte) b }, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (broken.get()) {
                    throw new IOException("EPIPE");
                }
                sink.write(b, off, len);
            }
        };
        ConsoleBackend console = new ConsoleBackend(flaky, 1000);
        QueuedLogEntry entry = new QueuedLogEntry(0, LogLevel.INFO, "t", "m", "main", null);
        assertThat(console.writeBatch(List.of(entry)).failedCount()).isEqualTo(1);
        broken.set(false);
        assertThat(console.writeBatch(List.of(entry, entry)).failedCount()).isZero();
        assertThat(sink.toString(StandardCharsets.UTF_8).lines()).hasSize(2);
    }
}
