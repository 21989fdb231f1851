package io.persistencelog.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.persistencelog.BatchResult;
import io.persistencelog.LogBackend;
import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import java.lang.ref.WeakReference;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** A full lane under the DROP policy: bounded memory, and flush never runs ahead of unwritten batches. */
class LaneOverloadTest {

    @Test
    void entriesDroppedForAStalledLaneDoNotStayReachable() {
        StalledBackend stalled = new StalledBackend("stalled");
        PipelineSettings settings = new PipelineSettings(64, OverflowPolicy.DROP, 16, Duration.ZERO, 64,
                Duration.ofSeconds(1), LogLevel.TRACE, 1000, Clock.systemUTC());
        AsyncPersistencePipeline pipeline = Pipelines.started(settings, stalled);
        try {
            for (int i = 0; i < 64; i++) {
                pipeline.log(LogLevel.INFO, "test", "fill", new Object[] { "i", i });
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> pipeline.laneStats("stalled").inFlight() == 64);
            List<WeakReference<Object>> dropped = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                Object payload = new Object();
                dropped.add(new WeakReference<>(payload));
                pipeline.log(LogLevel.INFO, "test", "over", new Object[] { "payload", payload });
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> pipeline.queueSize() == 0);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                System.gc();
                assertThat(dropped).allSatisfy(ref -> assertThat(ref.get()).isNull());
            });
            LaneStats lane = pipeline.laneStats("stalled");
            assertThat(lane.accepted()).isEqualTo(lane.persisted() + lane.dropped() + lane.failed() + lane.inFlight());
        }
        finally {
            stalled.release.countDown();
            pipeline.shutdown(Duration.ofSeconds(5));
        }
    }

    @Test
    void flushWaitsForDeliveredBatchesEvenWhenLaterOnesWereDropped() {
        StalledBackend stalled = new StalledBackend("stalled");
        PipelineSettings settings = new PipelineSettings(1024, OverflowPolicy.DROP, 16, Duration.ZERO, 16,
                Duration.ofSeconds(1), LogLevel.TRACE, 1000, Clock.systemUTC());
        AsyncPersistencePipeline pipeline = Pipelines.started(settings, stalled);
        try {
            for (int i = 0; i < 16; i++) {
                pipeline.log(LogLevel.INFO, "test", "delivered", null);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> pipeline.laneStats("stalled").inFlight() == 16);
            for (int i = 0; i < 100; i++) {
                pipeline.log(LogLevel.INFO, "test", "dropped for the lane", null);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> pipeline.laneStats("stalled").dropped() == 100);
            // The dropped batches are settled, but the first one is still being written.
            assertThat(pipeline.flushBackend("stalled", Duration.ofMillis(200))).isFalse();
            stalled.release.countDown();
            assertThat(pipeline.flushBackend("stalled", Duration.ofSeconds(10))).isTrue();
            assertThat(stalled.written).isEqualTo(16);
            assertThat(pipeline.persistedCount()).isEqualTo(16);
            assertThat(pipeline.failedCount()).isEqualTo(100);
        }
        finally {
            stalled.release.countDown();
            pipeline.shutdown(Duration.ofSeconds(5));
        }
    }

    private static final class StalledBackend implements LogBackend {
        private final String name;
        final CountDownLatch release = new CountDownLatch(1);
        volatile int written;

        StalledBackend(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
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
            written += entries.size();
            return BatchResult.persisted(entries.size());
        }
    }
}
