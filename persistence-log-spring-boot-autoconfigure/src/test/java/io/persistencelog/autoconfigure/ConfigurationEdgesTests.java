package io.persistencelog.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.persistencelog.LogLevel;
import io.persistencelog.engine.AsyncPersistencePipeline;
import io.persistencelog.engine.CollectingBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Issue #12 "Done when": configuration edges driven from the properties side. Every numeric property of the
 * pipeline, queue, batch, lane, resilience, spool, health and file backend at 0, 1 and its maximum, every enum
 * value, and every pair where one constrains the other. Each case either refuses to start with a message that
 * names the property, or starts, and then every accepted entry is accounted for: persisted, failed (dropped
 * for a backend) or lost on shutdown, and every refused call counted as dropped.
 */
class ConfigurationEdgesTests {

    private static final String MAX_INT = String.valueOf(Integer.MAX_VALUE);
    private static final int CALLS = 300;

    @TempDir
    Path dir;

    @Configuration(proxyBeanMethods = false)
    static class EdgeBackend {
        @Bean
        CollectingBackend edgeBackend() {
            return new CollectingBackend("edge");
        }
    }

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LogPersistenceAutoConfiguration.class,
                        LogPersistenceEndpointAutoConfiguration.class, LogPersistenceHealthAutoConfiguration.class))
                .withUserConfiguration(EdgeBackend.class)
                .withPropertyValues("log-persistence.backends=file,edge",
                        "log-persistence.file.directory=" + dir.resolve("logs"),
                        "log-persistence.spool.directory=" + dir.resolve("spool"),
                        "management.endpoints.web.exposure.include=logpersistence");
    }

    /** Property values that must start: the application runs and accounts for every entry. */
    static Stream<Arguments> accepted() {
        List<Arguments> cases = new ArrayList<>();
        // pipeline
        add(cases, "shutdown-timeout=0s");
        add(cases, "shutdown-timeout=1ms");
        add(cases, "shutdown-timeout=365d");
        add(cases, "max-value-length=1");
        add(cases, "max-value-length=" + MAX_INT);
        for (LogLevel level : LogLevel.values()) {
            add(cases, "min-level=" + level.name());
        }
        // queue
        add(cases, "queue.capacity=1", "batch.size=1");
        add(cases, "queue.capacity=1", "batch.size=1", "queue.when-full=block");
        add(cases, "queue.capacity=" + io.persistencelog.engine.PipelineSettings.MAX_QUEUE_CAPACITY);
        add(cases, "queue.when-full=drop");
        add(cases, "queue.when-full=block");
        // batch and lane (lane.capacity >= batch.size)
        add(cases, "batch.size=1");
        add(cases, "batch.size=" + io.persistencelog.engine.PipelineSettings.MAX_BATCH_SIZE, "lane.capacity="
                + io.persistencelog.engine.PipelineSettings.MAX_BATCH_SIZE);
        add(cases, "batch.max-wait=0ms");
        add(cases, "batch.max-wait=1ms");
        add(cases, "batch.max-wait=1h");
        add(cases, "lane.capacity=1", "batch.size=1");
        add(cases, "lane.capacity=1", "batch.size=1", "queue.when-full=block");
        add(cases, "lane.capacity=100", "batch.size=100", "queue.when-full=block");
        add(cases, "lane.capacity=" + MAX_INT);
        // resilience
        add(cases, "resilience.retry-attempts=1");
        add(cases, "resilience.retry-attempts=" + MAX_INT);
        add(cases, "resilience.retry-backoff=1ms");
        add(cases, "resilience.circuit-enabled=false");
        add(cases, "resilience.circuit-enabled=true");
        add(cases, "resilience.failures-to-open=1");
        add(cases, "resilience.failures-to-open=" + io.persistencelog.engine.GuardSettings.MAX_FAILURES_TO_OPEN);
        add(cases, "resilience.failures-to-open=" + MAX_INT, "resilience.circuit-enabled=false");
        add(cases, "resilience.pause-initial=1ms", "resilience.pause-max=1ms");
        add(cases, "resilience.pause-initial=1ms", "resilience.pause-max=365d");
        // spool (for the edge backend)
        for (String fsync : List.of("batch", "never")) {
            add(cases, "spool.enabled=true", "spool.backends=edge", "spool.fsync=" + fsync);
        }
        for (String full : List.of("drop-oldest", "drop-newest")) {
            add(cases, "spool.enabled=true", "spool.backends=edge", "spool.when-full=" + full);
        }
        add(cases, "spool.enabled=true", "spool.backends=edge", "spool.max-size=1MB", "spool.segment-size=1MB");
        add(cases, "spool.enabled=true", "spool.backends=edge", "spool.max-size=1MB"); // segment-size left unset
        add(cases, "spool.enabled=true", "spool.backends=edge", "spool.max-size=8000000TB", "spool.segment-size=1GB");
        // health
        add(cases, "health.backend-failure-threshold=0s");
        add(cases, "health.backend-failure-threshold=365d");
        add(cases, "health.queue-fill-ratio=1");
        add(cases, "health.queue-fill-ratio=0.01");
        add(cases, "health.queue-fill-duration=0s");
        // file
        add(cases, "file.retention-weeks=0");
        add(cases, "file.retention-weeks=1");
        add(cases, "file.retention-weeks=" + MAX_INT);
        return cases.stream();
    }

    private static void add(List<Arguments> cases, String... properties) {
        String[] full = new String[properties.length];
        for (int i = 0; i < properties.length; i++) {
            full[i] = "log-persistence." + properties[i];
        }
        cases.add(Arguments.of(String.join(", ", properties), full));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    @Timeout(120)
    void startsAndAccountsForEveryEntry(String description, String[] properties) {
        runner().withPropertyValues(properties).run(context -> {
            assertThat(context).as(description).hasNotFailed();
            AsyncPersistencePipeline pipeline = context.getBean(AsyncPersistencePipeline.class);
            CollectingBackend edge = context.getBean(CollectingBackend.class);
            for (int i = 0; i < CALLS; i++) {
                pipeline.log(LogLevel.ERROR, "edges", "entry", new Object[] { "i", i });
            }
            assertThat(pipeline.flush(Duration.ofSeconds(60))).as("flush with " + description).isTrue();
            ((ConfigurableApplicationContext) context).close();

            Map<String, Object> m = pipeline.getMetrics();
            long enqueued = number(m, "enqueued");
            assertThat(enqueued + number(m, "dropped")).as("every call accepted or counted as dropped")
                    .isEqualTo(CALLS);
            assertThat(number(m, "persisted") + number(m, "failedLogs") + number(m, "lostOnShutdown"))
                    .as("every accepted entry accounted for: %s", m).isEqualTo(enqueued);
            // What the pipeline calls persisted is really there, in the user backend and in the file.
            assertThat((long) edge.entries.size()).isGreaterThanOrEqualTo(number(m, "persisted"));
            if (!"OFF".equals(minLevelOf(properties))) {
                assertThat(fileLines()).isGreaterThanOrEqualTo(number(m, "persisted"));
            }
            assertThat(pipeline.isRunning()).isFalse();
        });
    }

    private static String minLevelOf(String[] properties) {
        for (String p : properties) {
            if (p.startsWith("log-persistence.min-level=")) {
                return p.substring(p.indexOf('=') + 1);
            }
        }
        return "INFO";
    }

    private long fileLines() throws java.io.IOException {
        Path logs = dir.resolve("logs");
        if (!Files.isDirectory(logs)) {
            return 0;
        }
        long lines = 0;
        try (Stream<Path> files = Files.list(logs)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
                try (Stream<String> l = Files.lines(file)) {
                    lines += l.count();
                }
            }
        }
        return lines;
    }

    private static long number(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).longValue();
    }

    /** Property values that must refuse to start, with a message naming the property to fix. */
    static Stream<Arguments> refused() {
        List<Arguments> cases = new ArrayList<>();
        refuse(cases, "log-persistence.queue.capacity", "queue.capacity=0");
        refuse(cases, "log-persistence.queue.capacity", "queue.capacity="
                + (io.persistencelog.engine.PipelineSettings.MAX_QUEUE_CAPACITY + 1));
        refuse(cases, "log-persistence.queue.capacity", "queue.capacity=" + MAX_INT);
        refuse(cases, "log-persistence.batch.size", "batch.size=0");
        refuse(cases, "log-persistence.batch.size", "batch.size=" + MAX_INT, "lane.capacity=" + MAX_INT);
        refuse(cases, "log-persistence.lane.capacity", "lane.capacity=0");
        refuse(cases, "log-persistence.lane.capacity", "lane.capacity=50", "batch.size=100");
        refuse(cases, "log-persistence.batch.size", "lane.capacity=50", "batch.size=100");
        refuse(cases, "log-persistence.max-value-length", "max-value-length=0");
        refuse(cases, "log-persistence.shutdown-timeout", "shutdown-timeout=-1s");
        refuse(cases, "log-persistence.batch.max-wait", "batch.max-wait=-1ms");
        refuse(cases, "log-persistence.resilience.retry-attempts", "resilience.retry-attempts=0");
        refuse(cases, "log-persistence.resilience.failures-to-open", "resilience.failures-to-open=0");
        refuse(cases, "log-persistence.resilience.failures-to-open", "resilience.failures-to-open=" + MAX_INT);
        refuse(cases, "log-persistence.resilience.retry-backoff", "resilience.retry-backoff=0ms");
        refuse(cases, "log-persistence.resilience.pause-initial", "resilience.pause-initial=0ms");
        refuse(cases, "log-persistence.resilience.pause-max", "resilience.pause-initial=1m",
                "resilience.pause-max=1s");
        refuse(cases, "log-persistence.spool.max-size", "spool.enabled=true", "spool.max-size=0B");
        refuse(cases, "log-persistence.spool.segment-size", "spool.enabled=true", "spool.segment-size=0B");
        refuse(cases, "log-persistence.spool.segment-size", "spool.enabled=true", "spool.max-size=1MB",
                "spool.segment-size=2MB");
        refuse(cases, "log-persistence.health.queue-fill-ratio", "health.queue-fill-ratio=0");
        refuse(cases, "log-persistence.file.retention-weeks", "file.retention-weeks=-1");
        return cases.stream();
    }

    private static void refuse(List<Arguments> cases, String property, String... properties) {
        String[] full = new String[properties.length];
        for (int i = 0; i < properties.length; i++) {
            full[i] = "log-persistence." + properties[i];
        }
        cases.add(Arguments.of(String.join(", ", properties), property, full));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    @Timeout(120)
    void refusesToStartNamingTheProperty(String description, String property, String[] properties) {
        runner().withPropertyValues(properties).run(context -> {
            assertThat(context).as(description).hasFailed();
            assertThat(messages(context.getStartupFailure())).as(description).contains(property);
        });
    }

    private static String messages(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }
}
