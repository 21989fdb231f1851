package io.persistencelog.backend.file;

import io.persistencelog.codec.QueuedLogEntry;
import io.persistencelog.testing.Entries;
import static org.assertj.core.api.Assertions.assertThat;

import io.persistencelog.BatchResult;
import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import java.time.Instant;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class FileBackendTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final io.persistencelog.codec.JsonLineEncoder JSON_LINE =
            new io.persistencelog.codec.JsonLineEncoder(1000);

    @TempDir
    Path dir;

    private static LogEntry entry(String instant, String message, Object... keyValues) {
        return Entries.entry(message, keyValues).at(instant).logger("api").build();
    }

    private List<JsonNode> lines(String fileName) throws IOException {
        return Files.readAllLines(dir.resolve(fileName)).stream().map(JSON::readTree).toList();
    }

    @Test
    void writesOneJsonObjectPerLineWithFieldsAtTopLevel() throws IOException {
        FileBackend backend = new FileBackend(FileProperties.of(dir, ZoneOffset.UTC));
        BatchResult result = backend.writeBatch(List.of(
                entry("2024-01-08T10:15:30.123Z", "User logged in", "user_id", 123, "name", "ann", "ratio", 0.5),
                entry("2024-01-09T00:00:00Z", "second")));
        backend.close();

        assertThat(result.failedCount()).isZero();
        List<JsonNode> lines = lines("wk02_2024-01-08--2024-01-14.json");
        assertThat(lines).hasSize(2);
        JsonNode first = lines.get(0);
        assertThat(first.get("timestamp").asString()).isEqualTo("2024-01-08T10:15:30.123Z");
        assertThat(first.get("level").asString()).isEqualTo("INFO");
        assertThat(first.get("logger").asString()).isEqualTo("api");
        assertThat(first.get("message").asString()).isEqualTo("User logged in");
        assertThat(first.get("thread").asString()).isEqualTo("main");
        assertThat(first.get("user_id").isNumber()).isTrue();
        assertThat(first.get("user_id").asInt()).isEqualTo(123);
        assertThat(first.get("ratio").asDouble()).isEqualTo(0.5);
        assertThat(first.get("name").asString()).isEqualTo("ann");
    }

    @Test
    void reservedNamesAreKeptUnderFieldsPrefixAndThrowablesBecomeErrorObjects() throws IOException {
        FileBackend backend = new FileBackend(FileProperties.of(dir, ZoneOffset.UTC));
        IllegalStateException failure = new IllegalStateException("disk on fire", new IOException("root"));
        backend.writeBatch(List.of(entry("2024-01-08T10:00:00Z", "failed", "message", "user text", "level", 7,
                failure)));
        backend.close();

        JsonNode line = lines("wk02_2024-01-08--2024-01-14.json").get(0);
        assertThat(line.get("message").asString()).isEqualTo("failed");
        assertThat(line.get("fields.message").asString()).isEqualTo("user text");
        assertThat(line.get("fields.level").asInt()).isEqualTo(7);
        assertThat(line.get("level").asString()).isEqualTo("INFO");
        JsonNode error = line.get("error");
        assertThat(error.get("type").asString()).isEqualTo("java.lang.IllegalStateException");
        assertThat(error.get("message").asString()).isEqualTo("disk on fire");
        assertThat(error.get("stack").asString()).contains("FileBackendTest").contains("Caused by: java.io.IOException: root");
    }

    @Test
    void entriesGoToTheFileOfTheirWeekInTheConfiguredZone() throws IOException {
        FileBackend backend = new FileBackend(FileProperties.of(dir, ZoneId.of("Asia/Tokyo")));
        backend.writeBatch(List.of(entry("2024-01-14T14:59:59Z", "sunday in tokyo"),
                entry("2024-01-14T15:00:00Z", "monday in tokyo"), entry("2024-01-14T14:00:00Z", "late arrival")));
        backend.close();

        assertThat(lines("wk02_2024-01-08--2024-01-14.json")).extracting(n -> n.get("message").asString())
                .containsExactly("sunday in tokyo", "late arrival");
        assertThat(lines("wk03_2024-01-15--2024-01-21.json")).extracting(n -> n.get("message").asString())
                .containsExactly("monday in tokyo");
    }

    @Test
    void createsTheDirectoryOnDemandWithOwnerOnlyWritePermissions() throws IOException {
        Path nested = dir.resolve("a/b/c");
        FileBackend backend = new FileBackend(FileProperties.of(nested, ZoneOffset.UTC));
        backend.writeBatch(List.of(entry("2024-01-08T10:00:00Z", "x")));
        backend.close();
        Path file = nested.resolve("wk02_2024-01-08--2024-01-14.json");
        assertThat(file).exists();
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r-----");
        }
    }

    @Test
    void aTornLastLineIsCutBackWhenTheFileIsOpened() throws IOException {
        Path file = dir.resolve("wk02_2024-01-08--2024-01-14.json");
        Files.writeString(file, "{\"message\":\"complete\"}\n{\"message\":\"torn", StandardCharsets.UTF_8);
        FileBackend backend = new FileBackend(FileProperties.of(dir, ZoneOffset.UTC));
        backend.writeBatch(List.of(entry("2024-01-08T10:00:00Z", "after restart")));
        backend.close();

        assertThat(lines("wk02_2024-01-08--2024-01-14.json")).extracting(n -> n.get("message").asString())
                .containsExactly("complete", "after restart");
        assertThat(backend.getMetrics()).containsEntry("repairedFiles", 1L);
    }

    /** A disk that fills up after {@code budget} more bytes: the write that crosses it stores part, then fails. */
    static FileSystemAccess diskFillingUpAfter(AtomicLong budget) {
        return new FileSystemAccess(FileProperties.parsePermissions("rw-r-----")) {
            @Override
            OutputStream openAppend(Path file) throws IOException {
                OutputStream real = super.openAppend(file);
                return new OutputStream() {
                    @Override
                    public void write(int b) throws IOException {
                        write(new byte[] { (byte) b }, 0, 1);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        long room = budget.get();
                        if (room >= len) {
                            budget.addAndGet(-len);
                            real.write(b, off, len);
                            return;
                        }
                        if (room > 0) {
                            real.write(b, off, (int) room); // part of the bytes reach the file
                            real.flush();
                            budget.set(0);
                        }
                        throw new IOException("No space left on device");
                    }

                    @Override
                    public void flush() throws IOException {
                        real.flush();
                    }

                    @Override
                    public void close() throws IOException {
                        real.close();
                    }
                };
            }
        };
    }

    @Test
    void aFailingDiskFailsTheBatchAndTheNextBatchTriesAgain() throws IOException {
        AtomicLong budget = new AtomicLong(0);
        FileBackend backend = new FileBackend(FileProperties.of(dir, ZoneOffset.UTC), 32_768, diskFillingUpAfter(budget));
        BatchResult failed = backend.writeBatch(List.of(entry("2024-01-08T10:00:00Z", "lost")));
        assertThat(failed.failedCount()).isEqualTo(1);
        assertThat(failed.failureReason()).contains("No space left on device");

        budget.set(Long.MAX_VALUE);
        BatchResult ok = backend.writeBatch(List.of(entry("2024-01-08T10:00:01Z", "kept")));
        backend.close();
        assertThat(ok.failedCount()).isZero();
        assertThat(lines("wk02_2024-01-08--2024-01-14.json")).extracting(n -> n.get("message").asString())
                .containsExactly("kept");
    }

    @Test
    void aDiskFillingUpHalfWayKeepsTheLinesOnDiskAndTheRetryWritesEachLineOnce() throws IOException {
        List<LogEntry> batch = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            batch.add(entry("2024-01-08T10:00:0" + i + "Z", "line " + i));
        }
        long lineLength = JSON_LINE.encode(batch.get(0)).size();
        // Room for four and a half lines: the fifth is cut in the middle.
        AtomicLong budget = new AtomicLong(4 * lineLength + lineLength / 2);
        FileBackend backend = new FileBackend(FileProperties.of(dir, ZoneOffset.UTC), 32_768, diskFillingUpAfter(budget));
        BatchResult first = backend.writeBatch(batch);
        assertThat(first.failedCount()).as("lines already on disk are not failures").isEqualTo(6);
        for (int i = 0; i < 10; i++) {
            assertThat(first.isFailed(i)).as("entry " + i).isEqualTo(i >= 4);
        }
        assertThat(first.failureReason()).contains("No space left on device");
        assertThat(backend.getMetrics()).containsEntry("partialWrites", 1L); // README fault table

        budget.set(Long.MAX_VALUE);
        List<LogEntry> retry = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            if (first.isFailed(i)) {
                retry.add(batch.get(i));
            }
        }
        assertThat(backend.writeBatch(retry).failedCount()).isZero();
        backend.close();
        assertThat(lines("wk02_2024-01-08--2024-01-14.json")).extracting(n -> n.get("message").asString())
                .containsExactly("line 0", "line 1", "line 2", "line 3", "line 4", "line 5", "line 6", "line 7",
                        "line 8", "line 9");
    }

    @Test
    void aStrayWeeklyNameOrAThrowingDiskLeavesNoStreamOpenAndNoLineTwice() throws IOException {
        Files.writeString(dir.resolve("wk99_2024-02-30--2024-03-07.json"), "{}\n"); // no such date
        List<OutputStream> opened = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<OutputStream> closed = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicBoolean explode = new AtomicBoolean();
        FileSystemAccess tracking = new FileSystemAccess(FileProperties.parsePermissions("rw-r-----")) {
            @Override
            OutputStream openAppend(Path file) throws IOException {
                OutputStream real = super.openAppend(file);
                OutputStream tracked = new java.io.FilterOutputStream(real) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        if (explode.get()) {
                            throw new IllegalStateException("not an I/O error");
                        }
                        real.write(b, off, len);
                    }

                    @Override
                    public void close() throws IOException {
                        closed.add(this);
                        super.close();
                    }
                };
                opened.add(tracked);
                return tracked;
            }
        };
        FileBackend backend = new FileBackend(new FileProperties(dir, ZoneOffset.UTC, 2, "rw-r-----"), 1000, tracking);
        BatchResult ok = backend.writeBatch(List.of(entry("2024-01-08T10:00:00Z", "a"),
                entry("2024-01-08T10:00:01Z", "b")));
        assertThat(ok.failedCount()).isZero();

        explode.set(true);
        BatchResult failed = backend.writeBatch(List.of(entry("2024-01-08T10:00:02Z", "c")));
        assertThat(failed.failedCount()).isEqualTo(1);
        assertThat(closed).as("a non-I/O failure closes every stream").containsExactlyInAnyOrderElementsOf(opened);

        explode.set(false);
        assertThat(backend.writeBatch(List.of(entry("2024-01-08T10:00:02Z", "c"))).failedCount()).isZero();
        backend.close();
        assertThat(closed).containsExactlyInAnyOrderElementsOf(opened);
        assertThat(lines("wk02_2024-01-08--2024-01-14.json")).extracting(n -> n.get("message").asString())
                .containsExactly("a", "b", "c");
        assertThat(dir.resolve("wk99_2024-02-30--2024-03-07.json")).exists();
    }

    @Test
    void aSecondWriterOnTheSameDirectoryFailsClearlyInsteadOfInterleaving() throws IOException {
        FileBackend first = new FileBackend(FileProperties.of(dir, ZoneOffset.UTC));
        assertThat(first.writeBatch(List.of(entry("2024-01-08T10:00:00Z", "first"))).failedCount()).isZero();
        FileBackend second = new FileBackend(FileProperties.of(dir, ZoneOffset.UTC));
        BatchResult refused = second.writeBatch(List.of(entry("2024-01-08T10:00:01Z", "second")));
        assertThat(refused.failedCount()).isEqualTo(1);
        assertThat(refused.failureReason()).contains("in use by another process or application context")
                .contains("log-persistence.file.directory");
        first.close();
        assertThat(second.writeBatch(List.of(entry("2024-01-08T10:00:02Z", "second"))).failedCount()).isZero();
        second.close();
        assertThat(lines("wk02_2024-01-08--2024-01-14.json")).extracting(n -> n.get("message").asString())
                .containsExactly("first", "second");
    }

    @Test
    void anEntryStampedInTheFutureDoesNotMakeRetentionDeleteTheCurrentFiles() throws IOException {
        long now = System.currentTimeMillis();
        Files.writeString(dir.resolve("wk01_2000-01-03--2000-01-09.json"), "{}\n"); // really old: goes
        FileBackend backend = new FileBackend(new FileProperties(dir, ZoneOffset.UTC, 4, "rw-r-----"), 1000);
        List<LogEntry> before = new java.util.ArrayList<>();
        List<LogEntry> after = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            before.add(new QueuedLogEntry(now, LogLevel.INFO, "api", "before " + i, "main", null));
            after.add(new QueuedLogEntry(now, LogLevel.INFO, "api", "after " + i, "main", null));
        }
        assertThat(backend.writeBatch(before).failedCount()).isZero();
        // The application's clock jumps a year ahead for one entry (a VM snapshot restore), then back.
        long yearAhead = now + java.time.Duration.ofDays(365).toMillis();
        assertThat(backend.writeBatch(List.of(new QueuedLogEntry(yearAhead, LogLevel.INFO, "api", "future", "main",
                null))).failedCount()).isZero();
        assertThat(backend.writeBatch(after).failedCount()).isZero();
        backend.close();

        String current = WeekFile.containing(now, ZoneOffset.UTC).fileName();
        assertThat(lines(current)).hasSize(200);
        assertThat(lines(WeekFile.containing(yearAhead, ZoneOffset.UTC).fileName())).hasSize(1);
        assertThat(dir.resolve("wk01_2000-01-03--2000-01-09.json")).doesNotExist();
    }

    @Test
    void entriesGoingBackAndForthAcrossAWeekBoundaryEachLandInTheirOwnWeek() throws IOException {
        // Sunday 2024-03-31 is the night Berlin moves to summer time: the week ends at 22:00 UTC.
        FileBackend backend = new FileBackend(FileProperties.of(dir, ZoneId.of("Europe/Berlin")));
        List<LogEntry> batch = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            batch.add(entry("2024-03-31T21:59:59.999Z", "last of week 13 #" + i));
            batch.add(entry("2024-03-31T22:00:00Z", "first of week 14 #" + i));
        }
        assertThat(backend.writeBatch(batch).failedCount()).isZero();
        assertThat(backend.writeBatch(List.of(entry("2024-03-31T21:00:00Z", "week 13 again"),
                entry("2024-04-07T21:59:59.999Z", "last of week 14"), entry("2024-04-07T22:00:00Z", "week 15")))
                .failedCount()).isZero();
        backend.close();

        assertThat(lines("wk13_2024-03-25--2024-03-31.json")).extracting(line -> line.get("message").asString())
                .containsExactly("last of week 13 #0", "last of week 13 #1", "last of week 13 #2",
                        "last of week 13 #3", "last of week 13 #4", "week 13 again");
        assertThat(lines("wk14_2024-04-01--2024-04-07.json")).extracting(line -> line.get("message").asString())
                .containsExactly("first of week 14 #0", "first of week 14 #1", "first of week 14 #2",
                        "first of week 14 #3", "first of week 14 #4", "last of week 14");
        assertThat(lines("wk15_2024-04-08--2024-04-14.json")).hasSize(1);
    }

    @Test
    void anUnwritableDirectoryFailsWithoutThrowing() throws IOException {
        Path blocker = dir.resolve("not-a-dir");
        Files.writeString(blocker, "a file where the directory should be");
        FileBackend backend = new FileBackend(FileProperties.of(blocker.resolve("logs"), ZoneOffset.UTC));
        BatchResult result = backend.writeBatch(List.of(entry("2024-01-08T10:00:00Z", "x")));
        assertThat(result.failedCount()).isEqualTo(1);
        assertThat(result.failureReason()).contains("cannot write to");
    }

    @Test
    void retentionKeepsOnlyTheConfiguredNumberOfWeeks() throws IOException {
        Files.writeString(dir.resolve("wk50_2023-12-11--2023-12-17.json"), "{}\n");
        Files.writeString(dir.resolve("wk51_2023-12-18--2023-12-24.json"), "{}\n");
        Files.writeString(dir.resolve("wk01_2024-01-01--2024-01-07.json"), "{}\n");
        Files.writeString(dir.resolve("unrelated.txt"), "keep me");
        // Retention counts weeks back from the wall clock: here it says it is that Monday.
        java.time.Clock wallClock = java.time.Clock.fixed(Instant.parse("2024-01-08T12:00:00Z"), ZoneOffset.UTC);
        FileBackend backend = new FileBackend(new FileProperties(dir, ZoneOffset.UTC, 2, "rw-r-----"), 1000,
                new FileSystemAccess(FileProperties.parsePermissions("rw-r-----")), wallClock);
        backend.writeBatch(List.of(entry("2024-01-08T10:00:00Z", "x")));
        backend.close();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> !n.equals(FileBackend.LOCK_FILE))
                    .sorted().toList()).containsExactly(
                    "unrelated.txt", "wk01_2024-01-01--2024-01-07.json", "wk02_2024-01-08--2024-01-14.json");
        }
    }
}
