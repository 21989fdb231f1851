package io.persistencelog.backend.datadog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.persistencelog.LogLevel;
import io.persistencelog.engine.AsyncPersistencePipeline;
import io.persistencelog.engine.DefaultBackendRegistry;
import io.persistencelog.engine.GuardSettings;
import io.persistencelog.engine.LaneStats;
import io.persistencelog.engine.OverflowPolicy;
import io.persistencelog.engine.PipelineSettings;
import io.persistencelog.engine.spool.SpoolSettings;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** A storm of 500s longer than Datadog's own retries: with the spool on, nothing is lost or sent twice. */
class DatadogSpoolTest {

    private final FakeIntake intake = new FakeIntake();
    private AsyncPersistencePipeline pipeline;

    @TempDir
    Path spoolDir;

    @AfterEach
    void stop() {
        if (pipeline != null) {
            pipeline.shutdown(Duration.ofSeconds(10));
        }
        intake.close();
    }

    @Test
    void aLongOutageIsBridgedByTheSpoolExactlyOnceAndInOrder() {
        for (int i = 0; i < 40; i++) {
            intake.then(500);
        }
        PipelineSettings settings = new PipelineSettings(20_000, OverflowPolicy.BLOCK, 100, Duration.ZERO, 20_000,
                Duration.ofSeconds(10), LogLevel.TRACE, PipelineSettings.DEFAULT_MAX_VALUE_LENGTH, Clock.systemUTC());
        DefaultBackendRegistry registry = new DefaultBackendRegistry(Set.of("datadog"));
        registry.register("datadog", () -> new DatadogBackend(Settings.forIntake(intake.url()).maxRetries(1).build()));
        pipeline = new AsyncPersistencePipeline(settings, registry);
        pipeline.setGuardSettings(new GuardSettings(1, Duration.ofMillis(10), true, 2, Duration.ofMillis(50),
                Duration.ofMillis(200), new SpoolSettings(spoolDir, 64L << 20, 1L << 20, SpoolSettings.FsyncPolicy.BATCH,
                        SpoolSettings.SpoolFullPolicy.DROP_NEWEST, PosixFilePermissions.fromString("rw-------"),
                        PipelineSettings.DEFAULT_MAX_VALUE_LENGTH), Set.of("datadog")));
        pipeline.start();

        for (int i = 0; i < 5_000; i++) {
            pipeline.log(LogLevel.INFO, "orders", "entry " + i, new Object[] { "seq", i });
        }
        assertThat(pipeline.flush(Duration.ofSeconds(60))).isTrue();
        // Replay is done when the spool is empty (the last chunk is committed after the intake answered).
        await().atMost(Duration.ofSeconds(60)).until(() -> intake.acceptedLogs().size() >= 5_000
                && Long.valueOf(0).equals(pipeline.registry().getAllMetrics().get("datadog").get("spooled")));

        List<Integer> seqs = intake.acceptedLogs().stream().map((JsonNode log) -> log.get("seq").asInt()).toList();
        assertThat(seqs).containsExactlyElementsOf(IntStream.range(0, 5_000).boxed().toList());
        assertThat(intake.received.stream().filter(r -> !r.accepted()).count()).isGreaterThanOrEqualTo(40);
        LaneStats lane = pipeline.laneStats("datadog");
        assertThat(lane.failed()).isZero();
        assertThat(lane.dropped()).isZero();
        assertThat(lane.accepted()).isEqualTo(5_000).isEqualTo(lane.persisted() + lane.inFlight());
        assertThat(pipeline.registry().getAllMetrics().get("datadog")).containsEntry("spooled", 0L)
                .doesNotContainValue(Settings.API_KEY);
    }

    @Test
    void aPayloadDatadogRefusesIsNotSpooledSoItCannotBlockTheSpool() {
        intake.then(400);
        PipelineSettings settings = new PipelineSettings(1_000, OverflowPolicy.BLOCK, 100, Duration.ZERO, 1_000,
                Duration.ofSeconds(10), LogLevel.TRACE, PipelineSettings.DEFAULT_MAX_VALUE_LENGTH, Clock.systemUTC());
        DefaultBackendRegistry registry = new DefaultBackendRegistry(Set.of("datadog"));
        registry.register("datadog", () -> new DatadogBackend(Settings.forIntake(intake.url()).build()));
        pipeline = new AsyncPersistencePipeline(settings, registry);
        pipeline.setGuardSettings(new GuardSettings(3, Duration.ofMillis(10), true, 2, Duration.ofMillis(50),
                Duration.ofMillis(200), new SpoolSettings(spoolDir, 64L << 20, 1L << 20, SpoolSettings.FsyncPolicy.NEVER,
                        SpoolSettings.SpoolFullPolicy.DROP_NEWEST, PosixFilePermissions.fromString("rw-------"),
                        PipelineSettings.DEFAULT_MAX_VALUE_LENGTH), Set.of("datadog")));
        pipeline.start();

        pipeline.log(LogLevel.INFO, "orders", "refused", new Object[] { "seq", 0 });
        assertThat(pipeline.flush(Duration.ofSeconds(30))).isTrue();
        pipeline.log(LogLevel.INFO, "orders", "accepted", new Object[] { "seq", 1 });
        assertThat(pipeline.flush(Duration.ofSeconds(30))).isTrue();

        // The 400 was neither retried by the pipeline nor spooled; the next entry went straight through.
        assertThat(intake.received).hasSize(2);
        assertThat(intake.acceptedLogs()).extracting(log -> log.get("seq").asInt()).containsExactly(1);
        LaneStats lane = pipeline.laneStats("datadog");
        assertThat(lane.failed()).isEqualTo(1);
        assertThat(lane.persisted()).isEqualTo(1);
        assertThat(pipeline.registry().getAllMetrics().get("datadog")).containsEntry("spooled", 0L)
                .containsEntry("laneRetries", 0L).containsEntry("circuitState", "CLOSED");
    }
}
