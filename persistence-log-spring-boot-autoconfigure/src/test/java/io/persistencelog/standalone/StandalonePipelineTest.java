package io.persistencelog.standalone;

import io.persistencelog.testing.ChildJvm;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AppLoggerFactory in a plain JVM: configured from the environment, drained by the shutdown hook. */
class StandalonePipelineTest {

    @TempDir
    Path dir;

    @Test
    void aPlainMainPersistsEverythingBeforeTheJvmExits() throws Exception {
        Process process = ChildJvm.of(StandaloneMain.class, 20000).env("LOG_PERSISTENCE_FILE_DIRECTORY", dir)
                .env("LOG_BACKENDS", "file,unknown-one").outputTo(dir.resolve("stdout.txt")).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();

        List<Path> weekly;
        try (var files = Files.list(dir)) {
            weekly = files.filter(p -> p.getFileName().toString().startsWith("wk")).toList();
        }
        assertThat(weekly).hasSize(1);
        List<String> lines = Files.readAllLines(weekly.get(0));
        assertThat(lines).hasSize(20_000);
        assertThat(lines.get(19_999)).contains("\"i\":19999").contains("\"logger\":\"standalone\"");
        assertThat(Files.readString(dir.resolve("stdout.txt"))).contains("unknown-one");
    }
}
