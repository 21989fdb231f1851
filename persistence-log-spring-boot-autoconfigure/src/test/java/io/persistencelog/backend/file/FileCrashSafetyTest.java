package io.persistencelog.backend.file;

import io.persistencelog.testing.ChildJvm;
import static org.assertj.core.api.Assertions.assertThat;

import io.persistencelog.LogLevel;
import io.persistencelog.codec.QueuedLogEntry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/** A JVM killed with SIGKILL mid-write leaves at most one torn line, which the next start repairs. */
class FileCrashSafetyTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    @Test
    void killDashNineThenRestartLeavesValidJsonLines() throws Exception {
        Path output = dir.resolveSibling(dir.getFileName() + "-writer.out");
        Process process = ChildJvm.of(EndlessWriterMain.class, 3000).env("LOG_PERSISTENCE_FILE_DIRECTORY", dir)
                .env("LOG_PERSISTENCE_QUEUE_WHEN_FULL", "block").outputTo(output).start();
        try {
            Path file = weeklyFile();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (Files.size(file) < 1_000_000 && System.nanoTime() < deadline) {
                Thread.onSpinWait(); // wait until about 300 entries are written and appends are ongoing
            }
            long size = Files.size(file);
            while (Files.size(file) == size && System.nanoTime() < deadline) {
                Thread.onSpinWait(); // the file is growing: an append is in progress right now
            }
            assertThat(process.isAlive()).as("writer still running").isTrue();
        }
        finally {
            process.destroyForcibly(); // SIGKILL on Unix
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        Path file = weeklyFile();
        List<String> afterCrash = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(afterCrash).hasSizeGreaterThan(100);
        for (int i = 0; i < afterCrash.size() - 1; i++) {
            JSON.readTree(afterCrash.get(i)); // every line but the last is a complete object
        }

        FileBackend restarted = new FileBackend(FileProperties.of(dir, ZoneOffset.UTC));
        restarted.writeBatch(List.of(new QueuedLogEntry(System.currentTimeMillis(), LogLevel.INFO, "crash",
                "after restart", "main", null)));
        restarted.close();

        List<String> afterRestart = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (String line : afterRestart) {
            assertThat(JSON.readTree(line).isObject()).isTrue();
        }
        assertThat(afterRestart.get(afterRestart.size() - 1)).contains("after restart");
        assertThat(afterRestart.size()).isBetween(afterCrash.size(), afterCrash.size() + 1);
    }

    @Test
    void aSecondWriterWhileAnotherProcessWritesIsRefusedAndNeverCutsItsTail() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                EndlessWriterMain.class.getName(), "3000");
        builder.environment().put("LOG_PERSISTENCE_FILE_DIRECTORY", dir.toString());
        builder.environment().put("LOG_PERSISTENCE_QUEUE_WHEN_FULL", "block");
        builder.environment().remove("LOG_BACKENDS");
        Path output = dir.resolveSibling(dir.getFileName() + "-writer2.out");
        builder.redirectErrorStream(true).redirectOutput(output.toFile());
        Process process = builder.start();
        try {
            Path file = weeklyFile();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> Files.size(file) > 200_000);
            // The live writer's file usually ends in a line being appended: a second writer must neither
            // cut that tail (torn-line repair) nor put its own lines in between.
            for (int i = 0; i < 20; i++) {
                FileBackend intruder = new FileBackend(FileProperties.of(dir, ZoneOffset.UTC));
                io.persistencelog.BatchResult result = intruder.writeBatch(List.of(new QueuedLogEntry(
                        System.currentTimeMillis(), LogLevel.INFO, "intruder", "intruder " + i, "main", null)));
                intruder.close();
                assertThat(result.failedCount()).isEqualTo(1);
                assertThat(result.failureReason()).contains("log-persistence.file.directory");
                assertThat(intruder.getMetrics()).containsEntry("repairedFiles", 0L);
            }
            assertThat(process.isAlive()).as("writer still running").isTrue();
        }
        finally {
            process.destroyForcibly();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        List<String> lines = Files.readAllLines(weeklyFile(), StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size() - 1; i++) {
            assertThat(JSON.readTree(lines.get(i)).get("logger").asString()).isEqualTo("crash");
        }
    }

    private Path weeklyFile() {
        return org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> {
            try (var files = Files.list(dir)) {
                return files.filter(p -> p.getFileName().toString().startsWith("wk")).findFirst().orElse(null);
            }
        }, java.util.Objects::nonNull);
    }
}
