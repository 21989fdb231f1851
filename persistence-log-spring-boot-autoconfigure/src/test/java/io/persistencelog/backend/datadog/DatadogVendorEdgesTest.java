package io.persistencelog.backend.datadog;

import io.persistencelog.testing.Entries;

import static org.assertj.core.api.Assertions.assertThat;

import io.persistencelog.BatchResult;
import io.persistencelog.LogEntry;
import io.persistencelog.config.SettingsSource;
import io.persistencelog.testing.TestSettings;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** Issue #12 points 9 and 13: Datadog behaviour checked against its documentation. */
class DatadogVendorEdgesTest {

    private final FakeIntake intake = new FakeIntake();
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final AtomicLong wallMillis = new AtomicLong(Instant.parse("2026-06-01T12:00:00Z").toEpochMilli());

    @AfterEach
    void stop() {
        intake.close();
    }

    private DatadogBackend backend(DatadogProperties settings) {
        return new DatadogBackend(settings, d -> true, () -> 1.0, nanos::get, wallMillis::get);
    }

    private static LogEntry at(Instant time, String message) {
        return Entries.entry(message).at(time).logger("l").plain();
    }

    @ParameterizedTest
    @CsvSource({
        "uk1.datadoghq.com, https://http-intake.logs.uk1.datadoghq.com/api/v2/logs",
        "us2.ddog-gov.com, https://http-intake.logs.us2.ddog-gov.com/api/v2/logs"})
    void theUkAndSecondGovSitesStart(String site, String intake) {
        assertThat(Settings.builder(Settings.API_KEY).site(site).build().intakeUri()).isEqualTo(URI.create(intake));
    }

    @Test
    void ddTagsAndDdHostnameAreReadOutsideSpringWithoutOverridingConfiguredKeys() {
        SettingsSource env = TestSettings.source(Map.of("log-persistence.datadog.tags", "team:core"),
                Map.of("DD_API_KEY", Settings.API_KEY, "DD_TAGS", "team:other layer:api,region:eu",
                        "DD_HOSTNAME", "web-7"));

        DatadogProperties settings = env.bind(DatadogProperties.PREFIX, DatadogProperties.class)
                .withFallbacks(env::property);

        assertThat(settings.tags()).containsExactly("team:core", "layer:api", "region:eu");
        assertThat(settings.resolvedHostname()).isEqualTo("web-7");
    }

    @Test
    void afterARejectedKeySendingPausesThenOneRequestProbesAndAnAcceptedProbeResumes() {
        intake.then(401).then(403);
        DatadogBackend backend = backend(Settings.forIntake(intake.url()).rejectedPause(Duration.ofMinutes(5)).build());

        assertThat(backend.writeBatch(entries(3)).failedCount()).isEqualTo(3);
        assertThat(backend.writeBatch(entries(2)).failedCount()).isEqualTo(2); // within the pause: not sent
        assertThat(intake.received).hasSize(1);

        nanos.addAndGet(Duration.ofMinutes(5).toNanos());
        BatchResult probe = backend.writeBatch(entries(2)); // the probe is refused again (403): paused again
        assertThat(probe.failedCount()).isEqualTo(2);
        assertThat(probe.failureReason()).contains("rejected the API key").contains("probes again");
        assertThat(intake.received).hasSize(2);
        assertThat(backend.writeBatch(entries(1)).failedCount()).isEqualTo(1);
        assertThat(intake.received).hasSize(2);

        nanos.addAndGet(Duration.ofMinutes(5).toNanos());
        assertThat(backend.writeBatch(entries(4)).failedCount()).isZero(); // the key works again
        assertThat(backend.isRejectedByAuth()).isFalse();
        assertThat(backend.writeBatch(entries(1)).failedCount()).isZero();
        assertThat(intake.received).hasSize(4);
        assertThat(intake.acceptedLogs()).hasSize(5);
    }

    @Test
    void entriesDatadogWouldDropForTheirAgeAreReStampedKeepingTheirOwnTime() {
        DatadogBackend backend = backend(Settings.forIntake(intake.url()).build());
        Instant now = Instant.ofEpochMilli(wallMillis.get());
        Instant dayOld = now.minus(Duration.ofHours(20));
        Instant recent = now.minus(Duration.ofHours(2));
        Instant farAhead = now.plus(Duration.ofHours(3));

        BatchResult result = backend.writeBatch(List.of(at(dayOld, "old"), at(recent, "recent"), at(farAhead, "ahead")));

        assertThat(result.failedCount()).isZero();
        List<JsonNode> logs = intake.acceptedLogs();
        assertThat(logs).hasSize(3);
        assertThat(logs.get(0).get("timestamp").asLong()).isEqualTo(now.toEpochMilli());
        assertThat(logs.get(0).get("persistence_log").get("original_timestamp").asString()).isEqualTo(dayOld.toString());
        assertThat(logs.get(1).get("timestamp").asLong()).isEqualTo(recent.toEpochMilli());
        assertThat(logs.get(1).has("persistence_log")).isFalse();
        assertThat(logs.get(2).get("timestamp").asLong()).isEqualTo(now.toEpochMilli());
        assertThat(logs.get(2).get("persistence_log").get("original_timestamp").asString()).isEqualTo(farAhead.toString());
        assertThat(backend.getMetrics()).containsEntry("restamped", 2L);
    }

    @Test
    void theAgeLimitsAreExactAndARetriedEntryIsCountedOnceWithTheTimeOfItsLastSend() {
        intake.then(503);
        DatadogBackend backend = backend(Settings.forIntake(intake.url()).maxRetries(0).build());
        Instant now = Instant.ofEpochMilli(wallMillis.get());
        Instant atLimit = now.minus(Duration.ofHours(17));
        Instant pastLimit = atLimit.minusMillis(1);
        Instant aheadLimit = now.plus(Duration.ofHours(1));
        Instant pastAhead = aheadLimit.plusMillis(1);
        List<LogEntry> batch = List.of(at(atLimit, "at"), at(pastLimit, "past"), at(aheadLimit, "ahead"),
                at(pastAhead, "pastAhead"));

        assertThat(backend.writeBatch(batch).failedCount()).isEqualTo(4); // 503: nothing delivered
        assertThat(backend.getMetrics()).containsEntry("restamped", 0L);

        // The retry comes two hours later: the entry that was just inside the limit is now past it.
        wallMillis.addAndGet(Duration.ofHours(2).toMillis());
        Instant later = Instant.ofEpochMilli(wallMillis.get());
        assertThat(backend.writeBatch(batch).failedCount()).isZero();

        List<JsonNode> logs = intake.acceptedLogs();
        assertThat(logs).hasSize(4);
        assertThat(logs.get(0).get("timestamp").asLong()).isEqualTo(later.toEpochMilli());
        assertThat(logs.get(1).get("timestamp").asLong()).isEqualTo(later.toEpochMilli());
        assertThat(logs.get(2).get("timestamp").asLong()).isEqualTo(aheadLimit.toEpochMilli());
        assertThat(logs.get(3).get("timestamp").asLong()).isEqualTo(pastAhead.toEpochMilli());
        assertThat(backend.getMetrics()).containsEntry("restamped", 2L);
    }

    @Test
    void atTheLimitsAnEntryKeepsItsOwnTimeAndOneMillisecondPastItIsReStamped() {
        DatadogBackend backend = backend(Settings.forIntake(intake.url()).build());
        Instant now = Instant.ofEpochMilli(wallMillis.get());
        List<LogEntry> batch = List.of(at(now.minus(Duration.ofHours(17)), "at"),
                at(now.minus(Duration.ofHours(17)).minusMillis(1), "past"),
                at(now.plus(Duration.ofHours(1)), "ahead"), at(now.plus(Duration.ofHours(1)).plusMillis(1), "beyond"));

        assertThat(backend.writeBatch(batch).failedCount()).isZero();

        List<JsonNode> logs = intake.acceptedLogs();
        assertThat(logs.get(0).has("persistence_log")).isFalse();
        assertThat(logs.get(1).get("timestamp").asLong()).isEqualTo(now.toEpochMilli());
        assertThat(logs.get(2).has("persistence_log")).isFalse();
        assertThat(logs.get(3).get("timestamp").asLong()).isEqualTo(now.toEpochMilli());
        assertThat(backend.getMetrics()).containsEntry("restamped", 2L);
    }

    private static List<LogEntry> entries(int count) {
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            entries.add(Entries.info("m" + i, "seq", i));
        }
        return entries;
    }
}
