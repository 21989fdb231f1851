package io.persistencelog.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.persistencelog.BatchResult;
import io.persistencelog.LogBackend;
import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import io.persistencelog.engine.AsyncPersistencePipeline;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A destination that is down while the spool absorbs its entries: health must say so (failing since when,
 * how much waits on disk, how full the spool is) and turn DOWN when the spool starts dropping.
 */
class SpoolHealthTest {

    @TempDir
    Path dir;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LogPersistenceAutoConfiguration.class,
                        LogPersistenceEndpointAutoConfiguration.class, LogPersistenceMetricsAutoConfiguration.class,
                        LogPersistenceHealthAutoConfiguration.class))
                .withUserConfiguration(DownDestination.class)
                .withPropertyValues("log-persistence.file.directory=" + dir.resolve("logs"), "LOG_BACKENDS=file,remote",
                        "management.endpoints.web.exposure.include=logpersistence",
                        "log-persistence.spool.enabled=true", "log-persistence.spool.directory=" + dir.resolve("spool"),
                        "log-persistence.spool.backends=remote", "log-persistence.resilience.retry-attempts=1");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> remote(Health health) {
        return (Map<String, Object>) ((Map<String, Object>) health.getDetails().get("backends")).get("remote");
    }

    @Test
    void aDestinationDownBehindTheSpoolIsReportedFailingWithWhatWaitsOnDisk() {
        runner().withPropertyValues("log-persistence.health.backend-failure-threshold=1h",
                "log-persistence.spool.max-size=1MB", "log-persistence.spool.segment-size=256KB").run(context -> {
            AsyncPersistencePipeline pipeline = context.getBean(AsyncPersistencePipeline.class);
            HealthIndicator health = context.getBean("logPersistenceHealthIndicator", HealthIndicator.class);
            long before = System.currentTimeMillis();
            for (int i = 0; i < 50; i++) {
                pipeline.log(LogLevel.INFO, "t", "m", new Object[] { "i", i });
            }
            assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> pipeline.backendFigure("remote", "spooled") == 50);

            Map<String, Object> detail = remote(health.health());
            assertThat(detail).containsEntry("spooled", 50L).containsEntry("spoolDropped", 0L)
                    .containsEntry("status", "UP"); // below the threshold: failing, not yet DOWN
            assertThat(Instant.parse((String) detail.get("failingSince")).toEpochMilli())
                    .isGreaterThanOrEqualTo(before - 1000);
            assertThat(detail.get("lastError")).asString().contains("503");
            assertThat((Double) detail.get("spoolFillPercent")).isGreaterThan(0.0).isLessThan(1.0);
            Map<String, Object> endpoint = context.getBean(LogPersistenceEndpoint.class).backend("remote");
            assertThat(endpoint.get("failingSince")).isNotNull();
            assertThat(endpoint).containsEntry("spooled", 50L).containsKey("spoolFillPercent");
        });
    }

    @Test
    void pastTheThresholdTheDestinationBehindTheSpoolIsDown() {
        runner().withPropertyValues("log-persistence.health.backend-failure-threshold=0s").run(context -> {
            AsyncPersistencePipeline pipeline = context.getBean(AsyncPersistencePipeline.class);
            HealthIndicator health = context.getBean("logPersistenceHealthIndicator", HealthIndicator.class);
            pipeline.log(LogLevel.INFO, "t", "m", new Object[] { "i", 1 });
            assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
            Health down = health.health();
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat(remote(down)).containsEntry("status", "DOWN").containsEntry("spooled", 1L);
        });
    }

    @Test
    void aSpoolThatStartsDroppingTurnsHealthDownAndIsCounted() {
        runner().withUserConfiguration(Meters.class)
                .withPropertyValues("log-persistence.health.backend-failure-threshold=1h",
                        "log-persistence.spool.max-size=4KB", "log-persistence.spool.segment-size=1KB",
                        "log-persistence.spool.when-full=drop-oldest")
                .run(context -> {
                    AsyncPersistencePipeline pipeline = context.getBean(AsyncPersistencePipeline.class);
                    HealthIndicator health = context.getBean("logPersistenceHealthIndicator", HealthIndicator.class);
                    for (int i = 0; i < 200; i++) {
                        pipeline.log(LogLevel.INFO, "t", "m", new Object[] { "i", i });
                    }
                    assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
                    Health down = health.health();
                    assertThat(down.getStatus()).isEqualTo(Status.DOWN);
                    Map<String, Object> detail = remote(down);
                    assertThat(detail).containsEntry("status", "DOWN").containsEntry("spoolDropping", true);
                    long dropped = (Long) detail.get("spoolDropped");
                    assertThat(dropped).isPositive();
                    assertThat(dropped + (Long) detail.get("spooled")).isEqualTo(200);
                    assertThat(context.getBean(LogPersistenceEndpoint.class).backend("remote"))
                            .containsEntry("spoolDropped", dropped);
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    context.getBean(LogPersistenceMeterBinder.class).bindTo(registry);
                    assertThat(registry.get("logpersistence.backend.spool.dropped").tag("backend", "remote")
                            .functionCounter().count()).isEqualTo(dropped);
                });
    }

    @Test
    void aSecondContextOnTheSameSpoolDirectoryFailsAtStartupNamingTheProperty() {
        runner().run(first -> {
            assertThat(first).hasNotFailed();
            runner().withPropertyValues("log-persistence.file.directory=" + dir.resolve("logs2")).run(second -> {
                assertThat(second).hasFailed();
                assertThat(second.getStartupFailure()).rootCause()
                        .hasMessageContaining("is in use by another process or application context")
                        .hasMessageContaining("log-persistence.spool.directory");
            });
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class DownDestination {

        @Bean
        LogBackend remoteBackend() {
            return new LogBackend() {
                @Override
                public String name() {
                    return "remote";
                }

                @Override
                public boolean write(LogEntry entry) {
                    return false;
                }

                @Override
                public BatchResult writeBatch(List<LogEntry> entries) {
                    return BatchResult.failed(entries.size(), "503 Service Unavailable");
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Meters {

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }
}
