package io.persistencelog.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.persistencelog.LogLevel;
import io.persistencelog.engine.AsyncPersistencePipeline;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.BitSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** 8 producers x 100,000 entries, then the context closes: every entry is one intact line. */
class WeeklyFileUnderLoadTests {

    private static final int THREADS = 8;
    private static final int PER_THREAD = 100_000;

    @TempDir
    Path dir;

    @Test
    void everyAcceptedEntryIsOneIntactLineAfterContextClose() throws Exception {
        AsyncPersistencePipeline[] captured = new AsyncPersistencePipeline[1];
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LogPersistenceAutoConfiguration.class))
                .withUserConfiguration(PinnedClock.class)
                .withPropertyValues("log-persistence.file.directory=" + dir, "log-persistence.queue.when-full=block",
                        "log-persistence.shutdown-timeout=60s")
                .run(context -> {
                    AsyncPersistencePipeline pipeline = context.getBean(AsyncPersistencePipeline.class);
                    captured[0] = pipeline;
                    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
                    CountDownLatch done = new CountDownLatch(THREADS);
                    for (int t = 0; t < THREADS; t++) {
                        int thread = t;
                        pool.execute(() -> {
                            for (int i = 0; i < PER_THREAD; i++) {
                                pipeline.log(LogLevel.INFO, "load", "entry", new Object[] { "id",
                                        thread * PER_THREAD + i, "text", "some text with \"quotes\" and \n newline" });
                            }
                            done.countDown();
                        });
                    }
                    assertThat(done.await(120, TimeUnit.SECONDS)).isTrue();
                    pool.shutdown();
                });
        // The context is closed: its lifecycle drained the queue into the file.
        assertThat(captured[0].droppedCount()).isZero();
        Path file = dir.resolve("wk02_2024-01-08--2024-01-14.json");
        JsonMapper json = JsonMapper.builder().build();
        BitSet seen = new BitSet(THREADS * PER_THREAD);
        long lines = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                JsonNode node = json.readTree(line);
                int id = node.get("id").asInt();
                assertThat(seen.get(id)).as("duplicate id %d", id).isFalse();
                seen.set(id);
                assertThat(node.get("message").asString()).isEqualTo("entry");
                lines++;
            }
        }
        assertThat(lines).isEqualTo(THREADS * PER_THREAD);
        assertThat(seen.cardinality()).isEqualTo(THREADS * PER_THREAD);
    }

    @Configuration(proxyBeanMethods = false)
    static class PinnedClock {
        @Bean
        Clock clock() {
            return Clock.fixed(Instant.parse("2024-01-10T12:00:00Z"), ZoneOffset.UTC);
        }
    }
}
