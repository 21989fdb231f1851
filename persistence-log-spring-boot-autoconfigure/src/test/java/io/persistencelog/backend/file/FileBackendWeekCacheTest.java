package io.persistencelog.backend.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.persistencelog.BatchResult;
import io.persistencelog.LogEntry;
import io.persistencelog.testing.Entries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The backend names a week once and reuses it while entries stay in it, and groups a batch's lines per week
 * without a map: every entry must still land in the file {@link WeekFile#containing} names for it, whatever
 * the order of the entries, the zone's offsets and transitions, failures half-way and restarts.
 */
class FileBackendWeekCacheTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private static LogEntry entry(long millis, String message) {
        return Entries.entry(message).at(millis).logger("api").build();
    }

    /** Each message and the weekly file it was read back from (none twice). */
    private static Map<String, String> placement(Path directory) throws IOException {
        Map<String, String> where = new HashMap<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (!f.getFileName().toString().startsWith("wk")) {
                    continue;
                }
                for (String line : Files.readAllLines(f)) {
                    JsonNode n = JSON.readTree(line);
                    String previous = where.put(n.get("message").asString(), f.getFileName().toString());
                    assertThat(previous).as("written twice: " + line).isNull();
                }
            }
        }
        return where;
    }

    @Test
    void oddZonesAndClockStepsBothWaysPlaceEveryEntryInItsOwnWeek() throws IOException {
        for (String zoneId : List.of("Asia/Kathmandu", "America/St_Johns", "Pacific/Chatham",
                // Transitions at midnight (Sao Paulo until 2019), at 00:01 (Goose Bay until 2010), of 30 minutes
                // (Lord Howe) and a skipped day (Apia, 2011-12-30).
                "America/Sao_Paulo", "America/Goose_Bay", "Australia/Lord_Howe", "Pacific/Apia")) {
            ZoneId zone = ZoneId.of(zoneId);
            Path sub = dir.resolve(zoneId.replace('/', '_'));
            FileBackend backend = new FileBackend(FileProperties.of(sub, zone));
            // Instants near every week boundary and every transition.
            List<Long> instants = new ArrayList<>();
            long t = Instant.parse("2005-01-01T00:00:00Z").toEpochMilli();
            long stop = Instant.parse("2020-01-01T00:00:00Z").toEpochMilli();
            while (t < stop) {
                WeekFile w = WeekFile.containing(t, zone);
                for (long d : new long[] { -3_600_001L, -1, 0, 1_800_000L, 3_600_000L }) {
                    instants.add(w.endMillis() + d);
                }
                t = w.endMillis() + 1;
            }
            ZoneOffsetTransition tr = zone.getRules().nextTransition(Instant.parse("2005-01-01T00:00:00Z"));
            while (tr != null && tr.getInstant().toEpochMilli() < stop) {
                long at = tr.getInstant().toEpochMilli();
                for (long d = -7_200_000L; d <= 7_200_000L; d += 900_000L) {
                    instants.add(at + d);
                }
                instants.add(at - 1);
                tr = zone.getRules().nextTransition(tr.getInstant());
            }
            // Shuffled into batches of 1 to 40 entries: clock steps both ways, within a batch and between batches,
            // several weeks per batch. The expected file is the week named afresh for each entry.
            Random random = new Random(42);
            java.util.Collections.shuffle(instants, random);
            Map<String, String> expected = new HashMap<>();
            List<LogEntry> batch = new ArrayList<>();
            for (int i = 0; i < instants.size(); i++) {
                String message = "m" + i;
                expected.put(message, WeekFile.containing(instants.get(i), zone).fileName());
                batch.add(entry(instants.get(i), message));
                if (batch.size() == 1 + random.nextInt(40)) {
                    assertThat(backend.writeBatch(batch).failedCount()).isZero();
                    batch.clear();
                }
            }
            assertThat(backend.writeBatch(batch).failedCount()).isZero();
            // And in time order, as a live application logs them: the cached week is left at each boundary.
            List<Long> sorted = new ArrayList<>(instants);
            java.util.Collections.sort(sorted);
            batch.clear();
            for (int i = 0; i < sorted.size(); i++) {
                String message = "s" + i;
                expected.put(message, WeekFile.containing(sorted.get(i), zone).fileName());
                batch.add(entry(sorted.get(i), message));
                if (batch.size() == 500) {
                    assertThat(backend.writeBatch(batch).failedCount()).isZero();
                    batch.clear();
                }
            }
            assertThat(backend.writeBatch(batch).failedCount()).isZero();
            backend.close();
            assertThat(placement(sub)).as(zoneId).isEqualTo(expected);
        }
    }

    @Test
    void threeWeeksInterleavedWithAnUnencodableEntryInTheMiddle() throws IOException {
        FileBackend backend = new FileBackend(FileProperties.of(dir, ZoneOffset.UTC));
        long a = Instant.parse("2024-01-03T10:00:00Z").toEpochMilli();
        long b = Instant.parse("2024-01-10T10:00:00Z").toEpochMilli();
        long c = Instant.parse("2024-01-17T10:00:00Z").toEpochMilli();
        List<LogEntry> batch = new ArrayList<>();
        Map<String, String> expected = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            long at = i % 3 == 0 ? a : i % 3 == 1 ? b : c;
            if (i == 13) {
                batch.add(entry(Long.MAX_VALUE, "bad"));
                continue;
            }
            batch.add(entry(at + i, "e" + i));
            expected.put("e" + i, WeekFile.containing(at, ZoneOffset.UTC).fileName());
        }
        BatchResult result = backend.writeBatch(batch);
        // Refused (no week can hold it), not failed for a retry; the lines around it are written.
        assertThat(result.failedCount()).isEqualTo(1);
        assertThat(result.isFailed(13)).isTrue();
        assertThat(result.isPermanent(13)).isTrue();
        backend.close();
        assertThat(placement(dir)).isEqualTo(expected);
    }

    @Test
    void aDiskFillingUpInTheSecondOfThreeWeeksFailsExactlyTheLinesNotOnDisk() throws IOException {
        long a = Instant.parse("2024-01-03T10:00:00Z").toEpochMilli();
        long b = Instant.parse("2024-01-10T10:00:00Z").toEpochMilli();
        long c = Instant.parse("2024-01-17T10:00:00Z").toEpochMilli();
        List<LogEntry> batch = new ArrayList<>();
        // order: A B C A B C ... (file write order A, B, C); a bad entry in the middle.
        for (int i = 0; i < 30; i++) {
            long at = i % 3 == 0 ? a : i % 3 == 1 ? b : c;
            batch.add(i == 16 ? entry(Long.MAX_VALUE, "bad") : entry(at + i * 1000L, String.format("e%02d", i)));
        }
        long lineLength = new io.persistencelog.codec.JsonLineEncoder(32_768).encode(batch.get(0)).size();
        // All of A (10 lines), 3.5 lines of B.
        AtomicLong budget = new AtomicLong(10 * lineLength + 3 * lineLength + lineLength / 2);
        FileBackend backend = new FileBackend(FileProperties.of(dir, ZoneOffset.UTC), 32_768,
                FileBackendTest.diskFillingUpAfter(budget));
        BatchResult first = backend.writeBatch(batch);
        List<Integer> failed = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            if (first.isFailed(i)) {
                failed.add(i);
            }
        }
        // B lines: 1,4,7,10 on disk (3 whole: 1,4,7); failed: B from 10 on, all C, and 16 (rejected).
        List<Integer> expectedFailed = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            if ((i % 3 == 1 && i >= 10) || i % 3 == 2 || i == 16) {
                expectedFailed.add(i);
            }
        }
        assertThat(failed).isEqualTo(expectedFailed);
        assertThat(backend.getMetrics()).containsEntry("partialWrites", 1L);
        budget.set(Long.MAX_VALUE);
        List<LogEntry> retry = new ArrayList<>();
        for (int i : failed) {
            if (i != 16) {
                retry.add(batch.get(i));
            }
        }
        assertThat(backend.writeBatch(retry).failedCount()).isZero();
        backend.close();
        Map<String, String> where = placement(dir);
        assertThat(where).hasSize(29);
        for (int i = 0; i < 30; i++) {
            if (i != 16) {
                long at = i % 3 == 0 ? a : i % 3 == 1 ? b : c;
                assertThat(where.get(String.format("e%02d", i)))
                        .isEqualTo(WeekFile.containing(at, ZoneOffset.UTC).fileName());
            }
        }
    }

    @Test
    void afterCloseAClockStepBackStillReachesItsOwnWeek() throws IOException {
        // Retention of two weeks from the wall clock's week 3: the entry of week 1 after close() is one the
        // cache (left at week 3 by the previous run) must not send to week 3's file.
        java.time.Clock wallClock = java.time.Clock.fixed(Instant.parse("2024-01-17T10:00:00Z"), ZoneOffset.UTC);
        FileBackend backend = new FileBackend(new FileProperties(dir, ZoneOffset.UTC, 2, "rw-r-----"), 1000,
                new FileSystemAccess(FileProperties.parsePermissions("rw-r-----")), wallClock);
        backend.writeBatch(List.of(entry(Instant.parse("2024-01-17T10:00:00Z").toEpochMilli(), "now")));
        backend.close();
        backend.writeBatch(List.of(entry(Instant.parse("2024-01-03T10:00:00Z").toEpochMilli(), "old")));
        backend.writeBatch(List.of(entry(Instant.parse("2024-01-17T10:00:01Z").toEpochMilli(), "now2")));
        backend.close();
        Map<String, String> where = placement(dir);
        assertThat(where).containsEntry("now", "wk03_2024-01-15--2024-01-21.json")
                .containsEntry("now2", "wk03_2024-01-15--2024-01-21.json")
                .containsEntry("old", "wk01_2024-01-01--2024-01-07.json");
    }
}
