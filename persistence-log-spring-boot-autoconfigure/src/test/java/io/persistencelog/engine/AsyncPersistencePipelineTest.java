package io.persistencelog.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.persistencelog.BatchResult;
import io.persistencelog.LogBackend;
import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AsyncPersistencePipelineTest {

    /**
     * A flush that answers true promises that what it waited for is accounted for: the lane that settles an
     * entry last must add it to the pipeline's counts before a flush can see the lane past it. (A lane used to
     * move its position first, so a flush could return between the two and a caller read 0 failed entries.)
     */
    @Test
    void aFlushThatReturnsTrueSeesTheCountsOfEverythingItWaitedFor() {
        LogBackend refusing = new LogBackend() {
            public String name() {
                return "refusing";
            }

            public boolean write(LogEntry entry) {
                return false;
            }
        };
        LogBackend accepting = new LogBackend() {
            public String name() {
                return "accepting";
            }

            public boolean write(LogEntry entry) {
                return true;
            }
        };
        AsyncPersistencePipeline pipeline = Pipelines.started(Pipelines.settings(64, OverflowPolicy.BLOCK), accepting,
                refusing);
        try {
            for (int i = 1; i <= 3_000; i++) {
                pipeline.log(LogLevel.INFO, "test", "m", null);
                assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
                assertThat(pipeline.failedCount()).as("failed entries seen by flush %d", i).isEqualTo(i);
            }
        }
        finally {
            pipeline.shutdown(Duration.ofSeconds(10));
        }
    }

    @Test
    void everyBackendReceivesEveryEntryInOrder() {
        CollectingBackend a = new CollectingBackend("a");
        CollectingBackend b = new CollectingBackend("b");
        AsyncPersistencePipeline pipeline = Pipelines.started(Pipelines.settings(1024, OverflowPolicy.BLOCK), a, b);
        for (int i = 0; i < 10_000; i++) {
            pipeline.log(LogLevel.INFO, "test", "m" + i, new Object[] { "i", i });
        }
        assertThat(pipeline.flush(Duration.ofSeconds(30))).isTrue();
        assertThat(a.entries).hasSize(10_000);
        assertThat(b.entries).hasSize(10_000);
        for (int i = 0; i < 10_000; i++) {
            assertThat(a.entries.get(i).fields()).containsEntry("i", i);
        }
        assertThat(pipeline.persistedCount()).isEqualTo(10_000);
        pipeline.shutdown(Duration.ofSeconds(5));
    }

    @Test
    void failingAndStalledBackendsDoNotDelayOthersNorReachCallers() throws Exception {
        CollectingBackend good = new CollectingBackend("good");
        LogBackend throwing = new LogBackend() {
            public String name() {
                return "throwing";
            }

            public boolean write(LogEntry entry) {
                throw new IllegalStateException("boom");
            }
        };
        CountDownLatch release = new CountDownLatch(1);
        LogBackend stalled = new LogBackend() {
            public String name() {
                return "stalled";
            }

            public boolean write(LogEntry entry) {
                return true;
            }

            @Override
            public BatchResult writeBatch(List<LogEntry> entries) {
                try {
                    release.await();
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                return BatchResult.persisted(entries.size());
            }
        };
        AsyncPersistencePipeline pipeline = Pipelines.started(Pipelines.settings(100_000, OverflowPolicy.DROP), good,
                throwing, stalled);
        for (int i = 0; i < 5_000; i++) {
            pipeline.log(LogLevel.INFO, "test", "m", new Object[] { "i", i });
        }
        assertThat(pipeline.flushBackend("good", Duration.ofSeconds(10))).isTrue();
        assertThat(good.entries).hasSize(5_000);
        // The stalled backend still holds its first batch (it waits until released): the good lane did not
        // wait for it. A condition, not a stopwatch.
        assertThat(pipeline.laneStats("stalled").persisted()).isZero();
        assertThat(pipeline.flushBackend("throwing", Duration.ofSeconds(10))).isTrue();
        assertThat(pipeline.laneStats("throwing").failed()).isEqualTo(5_000);
        assertThat(pipeline.laneStats("throwing").lastError()).contains("boom");
        release.countDown();
        assertThat(pipeline.flush(Duration.ofSeconds(30))).isTrue();
        LaneStats stalledStats = pipeline.laneStats("stalled");
        assertThat(stalledStats.persisted()).isEqualTo(5_000);
        pipeline.shutdown(Duration.ofSeconds(5));
    }

    @Test
    void overflowWithStalledBackendDropsAndCountsWithoutBlocking() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger written = new AtomicInteger();
        LogBackend stalled = new LogBackend() {
            public String name() {
                return "stalled";
            }

            public boolean write(LogEntry entry) {
                try {
                    release.await();
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                written.incrementAndGet();
                return true;
            }
        };
        PipelineSettings settings = new PipelineSettings(64, OverflowPolicy.DROP, 16, Duration.ZERO, 64,
                Duration.ofSeconds(10), LogLevel.TRACE, 1000, java.time.Clock.systemUTC());
        AsyncPersistencePipeline pipeline = Pipelines.started(settings, stalled);
        int logged = 10_000;
        for (int i = 0; i < logged; i++) {
            pipeline.log(LogLevel.INFO, "test", "m", null);
        }
        // The caller got here although the backend never returned: nothing blocked.
        assertThat(pipeline.droppedCount()).isGreaterThan(0);
        release.countDown();
        assertThat(pipeline.flush(Duration.ofSeconds(30))).isTrue();
        LaneStats lane = pipeline.laneStats("stalled");
        assertThat(pipeline.enqueuedCount() + pipeline.droppedCount()).isEqualTo(logged);
        assertThat(lane.accepted()).isEqualTo(pipeline.enqueuedCount());
        assertThat(lane.accepted()).isEqualTo(lane.persisted() + lane.dropped() + lane.failed() + lane.inFlight());
        assertThat(written.get() + lane.dropped() + pipeline.droppedCount()).isEqualTo(logged);
        assertThat(pipeline.persistedCount() + pipeline.failedCount() + pipeline.droppedCount()).isEqualTo(logged);
        pipeline.shutdown(Duration.ofSeconds(5));
    }
}
