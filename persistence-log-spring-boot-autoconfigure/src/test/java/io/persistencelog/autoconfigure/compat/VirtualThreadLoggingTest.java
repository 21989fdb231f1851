package io.persistencelog.autoconfigure.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.persistencelog.AppLogger;
import io.persistencelog.AppLoggerFactory;
import io.persistencelog.autoconfigure.LogPersistenceAutoConfiguration;
import io.persistencelog.engine.AsyncPersistencePipeline;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import ch.qos.logback.classic.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.task.AsyncTaskExecutor;
import tools.jackson.databind.json.JsonMapper;

/**
 * Thousands of virtual threads (Boot's {@code applicationTaskExecutor} with
 * {@code spring.threads.virtual.enabled=true}) log at once into a 16-entry queue under
 * {@code queue.when-full=block}: every entry reaches the weekly file, and JFR sees no carrier pinned by a
 * persistence-log frame while the callers wait for room. Needs JDK 21+; on 17 it is skipped (the JDK 25 leg
 * of {@code .ci/run} runs it).
 */
class VirtualThreadLoggingTest {

    private static final int THREADS = 5_000;
    private static final int PER_THREAD = 4;

    @TempDir
    Path dir;

    @Test
    void thousandsOfVirtualThreadsBlockWithoutPinningAndLoseNothing() throws Exception {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21+; the JDK 25 leg runs this");
        Path jfrFile = dir.resolve("pinning.jfr");
        Path logs = dir.resolve("logs");
        AtomicInteger virtualCallers = new AtomicInteger();
        // Only the persisted entries matter here; 20,000 console echoes would only slow the run.
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("vt")).setLevel(Level.OFF);
        try (Recording recording = new Recording()) {
            recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
            recording.start();
            new ApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(LogPersistenceAutoConfiguration.class,
                            TaskExecutionAutoConfiguration.class))
                    .withPropertyValues("spring.threads.virtual.enabled=true",
                            "log-persistence.file.directory=" + logs, "log-persistence.queue.capacity=16",
                            "log-persistence.queue.when-full=block", "log-persistence.lane.capacity=16",
                            "log-persistence.batch.size=8")
                    .run(context -> {
                        AsyncPersistencePipeline pipeline = context.getBean(AsyncPersistencePipeline.class);
                        AsyncTaskExecutor executor = context.getBean("applicationTaskExecutor",
                                AsyncTaskExecutor.class);
                        AppLogger log = AppLoggerFactory.getAppLogger("vt");
                        CountDownLatch done = new CountDownLatch(THREADS);
                        for (int t = 0; t < THREADS; t++) {
                            int thread = t;
                            executor.execute(() -> {
                                if (isVirtual(Thread.currentThread())) {
                                    virtualCallers.incrementAndGet();
                                }
                                for (int i = 0; i < PER_THREAD; i++) {
                                    log.info("from a virtual thread", "id", thread * PER_THREAD + i);
                                }
                                done.countDown();
                            });
                        }
                        assertThat(done.await(5, TimeUnit.MINUTES)).isTrue();
                        assertThat(pipeline.flush(Duration.ofMinutes(2))).isTrue();
                        assertThat(pipeline.droppedCount()).isZero();
                        assertThat(((Number) pipeline.getMetrics().get("blockedCalls")).longValue())
                                .as("the small queue really made callers wait").isPositive();
                    });
            recording.stop();
            recording.dump(jfrFile);
        }
        assertThat(virtualCallers.get()).isEqualTo(THREADS);
        assertThat(persistedIds(logs).cardinality()).isEqualTo(THREADS * PER_THREAD);
        assertThat(pinnedInPersistenceLog(jfrFile)).isEmpty();
    }

    private static boolean isVirtual(Thread thread) {
        try {
            return (boolean) Thread.class.getMethod("isVirtual").invoke(thread);
        }
        catch (ReflectiveOperationException ex) {
            return false;
        }
    }

    private static BitSet persistedIds(Path logs) throws Exception {
        JsonMapper json = JsonMapper.builder().build();
        BitSet ids = new BitSet();
        try (Stream<Path> files = Files.list(logs)) {
            for (Path file : files.toList()) {
                try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        var node = json.readTree(line);
                        if ("vt".equals(node.get("logger").asString())) {
                            int id = node.get("id").asInt();
                            assertThat(ids.get(id)).as("duplicate %d", id).isFalse();
                            ids.set(id);
                        }
                    }
                }
            }
        }
        return ids;
    }

    /** Pinned events whose stack passes through this library's code. */
    private static List<String> pinnedInPersistenceLog(Path jfrFile) throws Exception {
        List<String> pinned = new ArrayList<>();
        for (RecordedEvent event : RecordingFile.readAllEvents(jfrFile)) {
            if (!event.getEventType().getName().equals("jdk.VirtualThreadPinned") || event.getStackTrace() == null) {
                continue;
            }
            for (RecordedFrame frame : event.getStackTrace().getFrames()) {
                if (frame.getMethod().getType().getName().startsWith("io.persistencelog.")) {
                    pinned.add(frame.getMethod().getType().getName() + "." + frame.getMethod().getName());
                    break;
                }
            }
        }
        return pinned;
    }
}
