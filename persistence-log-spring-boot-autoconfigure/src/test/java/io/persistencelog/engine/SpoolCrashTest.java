package io.persistencelog.engine;

import io.persistencelog.testing.ChildJvm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.persistencelog.LogBackend;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGKILL while spooling, then restart with the backend back: every spooled entry arrives, once. */
class SpoolCrashTest {

    private static final int SAFE = 3_000;

    @TempDir
    Path spoolDir;

    static AsyncPersistencePipeline pipeline(Path spoolDir, LogBackend backend) {
        DefaultBackendRegistry registry = new DefaultBackendRegistry(Set.of(backend.name()));
        registry.register(backend);
        AsyncPersistencePipeline pipeline = new AsyncPersistencePipeline(Pipelines.settings(10_000,
                OverflowPolicy.BLOCK), registry);
        pipeline.setGuardSettings(SpoolingCrashMain.guard(spoolDir));
        pipeline.start();
        return pipeline;
    }

    private long spoolBytes() throws java.io.IOException {
        try (var files = java.nio.file.Files.walk(spoolDir)) {
            return files.filter(p -> p.toString().endsWith(".seg")).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    @Test
    void killedWhileSpoolingThenRestartedLosesNothingThatWasSpooled() throws Exception {
        Process process = ChildJvm.of(SpoolingCrashMain.class, spoolDir, SAFE).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("SPOOLED")) {
                // wait until the first entries are on disk
            }
            assertThat(line).isEqualTo("SPOOLED " + SAFE);
            long spooledBytes = spoolBytes();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (spoolBytes() <= spooledBytes && System.nanoTime() < deadline) {
                Thread.onSpinWait(); // kill only once it is appending again: mid-write
            }
        }
        finally {
            process.destroyForcibly(); // SIGKILL
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        ResilienceTest.FlakyBackend back = new ResilienceTest.FlakyBackend("remote");
        AsyncPersistencePipeline restarted = pipeline(spoolDir, back);
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            Object spooled = restarted.registry().getAllMetrics().get("remote").get("spooled");
            return Long.valueOf(0).equals(spooled) && back.persisted.size() >= SAFE;
        });
        List<Integer> ids = back.persisted;
        Set<Integer> unique = new HashSet<>(ids);
        assertThat(unique).hasSameSizeAs(ids); // nothing replayed twice
        for (int i = 0; i < SAFE; i++) {
            assertThat(unique).contains(i);
        }
        // What was replayed is a gap-free prefix of what was logged: order kept, nothing skipped.
        assertThat(ids).isSorted();
        assertThat(ids.get(ids.size() - 1)).isEqualTo(ids.size() - 1);
        restarted.shutdown(Duration.ofSeconds(5));
    }
}
