package io.persistencelog.engine;

import io.persistencelog.codec.QueuedLogEntry;

import static org.assertj.core.api.Assertions.assertThat;

import io.persistencelog.LogBackend;
import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ShutdownTest {

    @Test
    void shutdownDrainsEverythingAcceptedThenFlushesAndClosesBackends() {
        AtomicBoolean flushed = new AtomicBoolean();
        AtomicBoolean closed = new AtomicBoolean();
        CollectingBackend backend = new CollectingBackend("c") {
            @Override
            public void flush() {
                flushed.set(true);
            }

            @Override
            public void close() {
                assertThat(flushed).isTrue();
                closed.set(true);
            }
        };
        AsyncPersistencePipeline pipeline = Pipelines.started(Pipelines.settings(100_000, OverflowPolicy.DROP), backend);
        for (int i = 0; i < 50_000; i++) {
            pipeline.log(LogLevel.INFO, "t", "m", new Object[] { "i", i });
        }
        pipeline.shutdown(Duration.ofSeconds(30));
        assertThat(backend.entries).hasSize(50_000);
        assertThat(closed).isTrue();
        assertThat(pipeline.isRunning()).isFalse();
    }

    @Test
    void whatCannotBeDrainedInTimeIsCountedAndReportedOnStderr() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        CountDownLatch writing = new CountDownLatch(1);
        LogBackend hanging = new LogBackend() {
            public String name() {
                return "hanging";
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
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        DefaultBackendRegistry registry = new DefaultBackendRegistry(Set.of("hanging"));
        registry.register(hanging);
        AsyncPersistencePipeline pipeline = new AsyncPersistencePipeline(Pipelines.settings(1000, OverflowPolicy.DROP),
                registry, new PrintStream(err, true, StandardCharsets.UTF_8), System.out);
        pipeline.start();
        for (int i = 0; i < 10; i++) {
            pipeline.log(LogLevel.INFO, "t", "m", null);
        }
        writing.await();
        pipeline.shutdown(Duration.ofMillis(300));

        assertThat(err.toString(StandardCharsets.UTF_8)).contains("shutdown timed out").contains("hanging=10");
        assertThat(pipeline.getMetrics()).containsEntry("lostOnShutdown", 10L);
        LaneStats stats = pipeline.laneStats("hanging");
        assertThat(stats.accepted()).isEqualTo(stats.persisted() + stats.failed() + stats.dropped() + stats.inFlight());
        assertThat(stats.dropped()).isEqualTo(10);

        // After shutdown a log call is refused, counted and printed; it never throws.
        long droppedBefore = pipeline.droppedCount();
        assertThat(pipeline.submit(new QueuedLogEntry(0, LogLevel.INFO, "t", "late", "main", null))).isFalse();
        assertThat(pipeline.droppedCount()).isEqualTo(droppedBefore + 1);
        never.countDown();
    }

    @Test
    void entriesLoggedBeforeStartWaitInTheQueue() {
        CollectingBackend backend = new CollectingBackend("c");
        DefaultBackendRegistry registry = new DefaultBackendRegistry(Set.of("c"));
        registry.register(backend);
        AsyncPersistencePipeline pipeline = new AsyncPersistencePipeline(Pipelines.settings(1000, OverflowPolicy.DROP),
                registry);
        pipeline.log(LogLevel.INFO, "t", "early", null);
        pipeline.start();
        assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(backend.entries).extracting(LogEntry::message).containsExactly("early");
        pipeline.shutdown(Duration.ofSeconds(5));
    }

    @Test
    void aBackendRegisteredAfterStartForASelectedNameStartsAtOnce() {
        DefaultBackendRegistry registry = new DefaultBackendRegistry(Set.of("late"));
        AsyncPersistencePipeline pipeline = new AsyncPersistencePipeline(Pipelines.settings(1000, OverflowPolicy.DROP),
                registry);
        pipeline.start();
        assertThat(registry.getUnknownBackends()).containsExactly("late");
        CollectingBackend late = new CollectingBackend("late");
        registry.register("late", () -> late);
        assertThat(registry.getUnknownBackends()).isEmpty();
        pipeline.log(LogLevel.INFO, "t", "after", null);
        assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(late.entries).hasSize(1);
        pipeline.shutdown(Duration.ofSeconds(5));
    }
}
