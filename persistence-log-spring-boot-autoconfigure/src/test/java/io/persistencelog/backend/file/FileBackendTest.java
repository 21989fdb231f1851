package io.persistencelog.backend.file;

import io.persistencelog.testing.Entries;
import static org.assertj.core.api.Assertions.assertThat;

import io.persistencelog.BatchResult;
import io.persistencelog.LogEntry;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class FileBackendTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

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

    @Test
    void aFailingDiskFailsTheBatchAndTheNextBatchTriesAgain() throws IOException {
        AtomicBoolean diskFull = new AtomicBoolean(true);
        FileSystemAccess flakyDisk = new FileSystemAccess(FileProperties.parsePermissions("rw-r-----")) {
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
                        if (diskFull.get()) {
                            throw new IOException("No space left on device");
                        }
                        real.write(b, off, len);
                    }

                    @Override
                    public void close() throws IOException {
                        real.close();
                    }
                };
            }
        };
        FileBackend backend = new FileBackend(FileProperties.of(dir, ZoneOffset.UTC), 32_768, flakyDisk);
        BatchResult failed = backend.writeBatch(List.of(entry("2024-01-08T10:00:00Z", "lost")));
        assertThat(failed.failedCount()).isEqualTo(1);
        assertThat(failed.failureReason()).contains("No space left on device");

        diskFull.set(false);
        BatchResult ok = backend.writeBatch(List.of(entry("2024-01-08T10:00:01Z", "kept")));
        backend.close();
        assertThat(ok.failedCount()).isZero();
        assertThat(lines("wk02_2024-01-08--2024-01-14.json")).extracting(n -> n.get("message").asString())
                .containsExactly("kept");
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
        FileBackend backend = new FileBackend(new FileProperties(dir, ZoneOffset.UTC, 2, "rw-r-----"), 1000);
        backend.writeBatch(List.of(entry("2024-01-08T10:00:00Z", "x")));
        backend.close();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly(
                    "unrelated.txt", "wk01_2024-01-01--2024-01-07.json", "wk02_2024-01-08--2024-01-14.json");
        }
    }
}
