package io.persistencelog.engine;

import io.persistencelog.codec.QueuedLogEntry;

import io.persistencelog.testing.ChildJvm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.persistencelog.LogBackend;
import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import io.persistencelog.engine.spool.Spool;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL while spooling, then restart with the backend back: every spooled entry arrives, once. SIGKILL
 * while replaying: nothing is lost and at most one replay chunk arrives twice.
 */
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
        try (var files = Files.walk(spoolDir)) {
            return files.filter(p -> p.toString().endsWith(".seg")).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    /**
     * SIGKILL in the middle of a replayed chunk: on restart the spool resumes at the last delivered chunk,
     * so at most one chunk ({@link BackendGuard#REPLAY_CHUNK}) arrives twice and nothing is missing.
     */
    @Test
    void killedWhileReplayingResendsAtMostOneSmallChunkAndLosesNothing() throws Exception {
        int total = 3_000;
        int hangAfter = 1_550;
        GuardSettings guard = SpoolingCrashMain.guard(spoolDir);
        try (Spool spool = new Spool(spoolDir.resolve("remote"), guard.spool())) {
            List<LogEntry> entries = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                entries.add(new QueuedLogEntry(1_700_000_000_000L + i, LogLevel.INFO, "crash", "m", "main",
                        new Object[] { "i", i }));
            }
            assertThat(spool.append(entries)).isEqualTo(total);
        }
        Path delivered = spoolDir.resolveSibling(spoolDir.getFileName() + "-delivered.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ReplayingCrashMain.class.getName(), spoolDir.toString(), delivered.toString(),
                String.valueOf(hangAfter)).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(delivered)
                    && Files.readAllLines(delivered).size() >= hangAfter);
        }
        finally {
            process.destroyForcibly(); // SIGKILL while a replayed chunk is half delivered
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        List<Integer> before = Files.readAllLines(delivered).stream().map(Integer::valueOf).toList();
        assertThat(before).hasSize(hangAfter);

        ResilienceTest.FlakyBackend back = new ResilienceTest.FlakyBackend("remote");
        AsyncPersistencePipeline restarted = pipeline(spoolDir, back);
        await().atMost(Duration.ofSeconds(60)).until(() -> Long.valueOf(0)
                .equals(restarted.registry().getAllMetrics().get("remote").get("spooled")));
        restarted.shutdown(Duration.ofSeconds(5));
        List<Integer> after = back.persisted;
        Set<Integer> all = new HashSet<>(before);
        all.addAll(after);
        assertThat(all).hasSize(total); // nothing lost
        Set<Integer> twice = new HashSet<>(before);
        twice.retainAll(new HashSet<>(after));
        assertThat(twice).as("entries sent again after the kill").hasSizeLessThanOrEqualTo(BackendGuard.REPLAY_CHUNK);
        assertThat(after).isSorted();
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
