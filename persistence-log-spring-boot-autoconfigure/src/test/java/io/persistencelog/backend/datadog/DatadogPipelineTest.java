package io.persistencelog.backend.datadog;

import static org.assertj.core.api.Assertions.assertThat;

import io.persistencelog.LogLevel;
import io.persistencelog.engine.AsyncPersistencePipeline;
import io.persistencelog.engine.DefaultBackendRegistry;
import io.persistencelog.engine.LaneStats;
import io.persistencelog.engine.OverflowPolicy;
import io.persistencelog.engine.PipelineSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The Datadog backend in its lane of the real pipeline. */
class DatadogPipelineTest {

    private final FakeIntake intake = new FakeIntake();
    private AsyncPersistencePipeline pipeline;

    @AfterEach
    void stop() {
        if (pipeline != null) {
            pipeline.shutdown(Duration.ofSeconds(10));
        }
        intake.close();
    }

    private AsyncPersistencePipeline start(DatadogProperties settings) {
        PipelineSettings pipelineSettings = new PipelineSettings(20_000, OverflowPolicy.BLOCK, 100, Duration.ZERO,
                20_000, Duration.ofSeconds(10), LogLevel.TRACE, PipelineSettings.DEFAULT_MAX_VALUE_LENGTH,
                Clock.systemUTC());
        DefaultBackendRegistry registry = new DefaultBackendRegistry(Set.of("datadog"));
        // The Java form of the original Python design's register_backend('datadog', DatadogBackend).
        registry.register("datadog", () -> new DatadogBackend(settings));
        pipeline = new AsyncPersistencePipeline(pipelineSettings, registry);
        pipeline.start();
        return pipeline;
    }

    private LaneStats lane() {
        return pipeline.laneStats("datadog");
    }

    @Test
    void tenThousandEntriesThroughOutagesAndARateLimitArriveExactlyOnceEach() {
        intake.then(503).then(503).then(503).then(202).then(429, "Retry-After", "1").then(503).then(500);
        start(Settings.forIntake(intake.url()).maxRetries(5).build());

        for (int i = 0; i < 10_000; i++) {
            pipeline.log(LogLevel.INFO, "orders", "entry " + i, new Object[] {"seq", i});
        }

        assertThat(pipeline.flush(Duration.ofSeconds(60))).isTrue();
        List<JsonNode> arrived = intake.acceptedLogs();
        Set<Integer> seqs = new HashSet<>();
        for (JsonNode log : arrived) {
            seqs.add(log.get("seq").asInt());
        }
        assertThat(arrived).hasSize(10_000);
        assertThat(seqs).hasSize(10_000);
        assertThat(intake.received).allSatisfy(r -> assertThat(r.logs().size()).isBetween(1, 1000));
        assertThat(lane().persisted()).isEqualTo(10_000);
        assertThat(lane().failed()).isZero();
        assertThat(lane().dropped()).isZero();
        Map<String, Object> metrics = pipeline.registry().getAllMetrics().get("datadog");
        assertThat(metrics).containsEntry("retries", 6L).containsEntry("totalWrites", 10_000L)
                .containsEntry("failedWrites", 0L).containsEntry("entriesSent", 10_000L);
        assertThat(metrics.get("requests")).isEqualTo((long) intake.received.size());
    }

    @Test
    void aRejectedKeyStopsSendingAndShowsInTheBackendsMetrics() {
        intake.then(403);
        start(Settings.forIntake(intake.url()).build());

        for (int i = 0; i < 50; i++) {
            pipeline.log(LogLevel.INFO, "orders", "entry " + i, new Object[] {"seq", i});
        }
        assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
        for (int i = 50; i < 100; i++) {
            pipeline.log(LogLevel.INFO, "orders", "entry " + i, new Object[] {"seq", i});
        }
        assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();

        assertThat(intake.received).hasSize(1);
        assertThat(lane().failed()).isEqualTo(100);
        assertThat(lane().persisted()).isZero();
        Map<String, Object> metrics = pipeline.registry().getAllMetrics().get("datadog");
        assertThat(metrics).containsEntry("rejectedByAuth", true).containsEntry("failedWrites", 100L)
                .containsEntry("totalWrites", 0L).containsEntry("lastStatus", 403).containsEntry("requests", 1L);
        assertThat((String) metrics.get("lastError")).contains("rejected the API key");
        assertThat(metrics.toString()).doesNotContain(Settings.API_KEY);
        assertThat(pipeline.getMetrics()).containsEntry("failedLogs", 100L);
    }

    @Test
    void entriesWaitForAFullerRequestButShutdownSendsThemAtOnce() {
        start(Settings.forIntake(intake.url()).batchWait(Duration.ofMinutes(5)).build());

        for (int i = 0; i < 10; i++) {
            pipeline.log(LogLevel.WARN, "orders", "entry " + i, new Object[] {"seq", i});
        }
        // The batch wait is 5 minutes and the shutdown timeout 10 s: the entries arriving at all proves the
        // shutdown sent them at once instead of waiting for the batch to fill.
        pipeline.shutdown(Duration.ofSeconds(10));

        assertThat(intake.acceptedLogs()).hasSize(10);
        assertThat(intake.received).hasSize(1);
        assertThat(lane().persisted()).isEqualTo(10);
    }

    @Test
    void aFlushSendsWhatWaitsWithoutWaitingForTheBatchToFill() {
        start(Settings.forIntake(intake.url()).batchWait(Duration.ofMinutes(5)).build());

        pipeline.log(LogLevel.INFO, "orders", "only one", new Object[0]);

        assertThat(pipeline.flush(Duration.ofSeconds(5))).isTrue();
        assertThat(intake.acceptedLogs()).hasSize(1);
    }
}
