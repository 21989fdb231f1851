package io.persistencelog.backend.datadog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.persistencelog.LogLevel;
import io.persistencelog.engine.AsyncPersistencePipeline;
import io.persistencelog.engine.DefaultBackendRegistry;
import io.persistencelog.engine.GuardSettings;
import io.persistencelog.engine.OverflowPolicy;
import io.persistencelog.engine.PipelineSettings;
import io.persistencelog.engine.spool.SpoolSettings;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Issue #12 point 9: entries replayed from the spool after an outage longer than Datadog's 18 hours are not
 * silently dropped by Datadog: they arrive re-stamped, keeping their own time, and are counted.
 */
class DatadogOldEntriesSpoolTest {

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
    void entriesSpooledLongerThanDatadogKeepsThemArriveReStampedWithTheirOwnTime() {
        for (int i = 0; i < 5; i++) {
            intake.then(503);
        }
        // The entries were logged 20 hours ago (as if the outage had lasted that long).
        Instant loggedAt = Instant.now().minus(Duration.ofHours(20)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        PipelineSettings settings = new PipelineSettings(1_000, OverflowPolicy.BLOCK, 100, Duration.ZERO, 1_000,
                Duration.ofSeconds(10), LogLevel.TRACE, PipelineSettings.DEFAULT_MAX_VALUE_LENGTH,
                Clock.fixed(loggedAt, ZoneOffset.UTC));
        DefaultBackendRegistry registry = new DefaultBackendRegistry(Set.of("datadog"));
        registry.register("datadog", () -> new DatadogBackend(Settings.forIntake(intake.url()).maxRetries(0).build()));
        pipeline = new AsyncPersistencePipeline(settings, registry);
        pipeline.setGuardSettings(new GuardSettings(1, Duration.ofMillis(10), true, 2, Duration.ofMillis(50),
                Duration.ofMillis(200), new SpoolSettings(spoolDir, 64L << 20, 1L << 20, SpoolSettings.FsyncPolicy.NEVER,
                        SpoolSettings.SpoolFullPolicy.DROP_NEWEST, PosixFilePermissions.fromString("rw-------"),
                        PipelineSettings.DEFAULT_MAX_VALUE_LENGTH), Set.of("datadog")));
        pipeline.start();

        for (int i = 0; i < 50; i++) {
            pipeline.log(LogLevel.INFO, "orders", "entry " + i, new Object[] { "seq", i });
        }
        assertThat(pipeline.flush(Duration.ofSeconds(30))).isTrue();
        await().atMost(Duration.ofSeconds(60)).until(() -> intake.acceptedLogs().size() >= 50
                && Long.valueOf(0).equals(pipeline.registry().getAllMetrics().get("datadog").get("spooled")));

        List<JsonNode> logs = intake.acceptedLogs();
        assertThat(logs).hasSize(50);
        long recent = Instant.now().minus(Duration.ofHours(1)).toEpochMilli();
        assertThat(logs).allSatisfy(log -> {
            assertThat(log.get("timestamp").asLong()).isGreaterThan(recent);
            assertThat(log.get("persistence_log").get("original_timestamp").asString()).isEqualTo(loggedAt.toString());
        });
        assertThat(intake.received.stream().filter(r -> !r.accepted()).count()).isGreaterThanOrEqualTo(1);
        assertThat((Long) pipeline.registry().getAllMetrics().get("datadog").get("restamped"))
                .isGreaterThanOrEqualTo(50L);
        assertThat(pipeline.laneStats("datadog").failed()).isZero();
    }
}
