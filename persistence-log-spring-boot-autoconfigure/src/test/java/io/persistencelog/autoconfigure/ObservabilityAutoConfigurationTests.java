package io.persistencelog.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.persistencelog.AppLogger;
import io.persistencelog.AppLoggerFactory;
import io.persistencelog.LogBackend;
import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import io.persistencelog.engine.AsyncPersistencePipeline;
import io.persistencelog.codec.Secrets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class ObservabilityAutoConfigurationTests {

    private static final String FAKE_SECRET = "sk-FAKE-SECRET-4242-do-not-print";

    @TempDir
    Path dir;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LogPersistenceAutoConfiguration.class,
                        LogPersistenceEndpointAutoConfiguration.class, LogPersistenceMetricsAutoConfiguration.class,
                        LogPersistenceHealthAutoConfiguration.class))
                .withPropertyValues("log-persistence.file.directory=" + dir,
                        "management.endpoints.web.exposure.include=logpersistence");
    }

    @Test
    void endpointIsPresentWhenExposed() {
        runner().run(context -> assertThat(context).hasSingleBean(LogPersistenceEndpoint.class));
    }

    @Test
    void endpointIsAbsentWithoutActuatorOnTheClasspath() {
        runner().withClassLoader(new FilteredClassLoader(Endpoint.class))
                .run(context -> assertThat(context).doesNotHaveBean(LogPersistenceEndpoint.class));
    }

    @Test
    void endpointIsAbsentWhenAccessIsNone() {
        runner().withPropertyValues("management.endpoint.logpersistence.access=NONE")
                .run(context -> assertThat(context).doesNotHaveBean(LogPersistenceEndpoint.class));
    }

    @Test
    void endpointIsAbsentWhenNotExposed() {
        runner().withPropertyValues("management.endpoints.web.exposure.include=health")
                .run(context -> assertThat(context).doesNotHaveBean(LogPersistenceEndpoint.class));
    }

    @Test
    void metersOnlyWithAMeterRegistry() {
        runner().run(context -> assertThat(context).doesNotHaveBean(LogPersistenceMeterBinder.class));
        runner().withUserConfiguration(SimpleRegistry.class)
                .run(context -> assertThat(context).hasSingleBean(LogPersistenceMeterBinder.class));
    }

    @Test
    void healthContributorCanBeTurnedOff() {
        runner().run(context -> assertThat(context).hasBean("logPersistenceHealthIndicator"));
        runner().withPropertyValues("management.health.logpersistence.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean("logPersistenceHealthIndicator"));
        runner().withClassLoader(new FilteredClassLoader(HealthIndicator.class))
                .run(context -> assertThat(context).doesNotHaveBean("logPersistenceHealthIndicator"));
    }

    @Test
    void healthIsUpWhileBackendsWriteAndDownWhenOneKeepsFailing() {
        runner().withUserConfiguration(FailingBackendConfig.class)
                .withPropertyValues("LOG_BACKENDS=file,failing", "log-persistence.health.backend-failure-threshold=0s")
                .run(context -> {
                    AsyncPersistencePipeline pipeline = context.getBean(AsyncPersistencePipeline.class);
                    HealthIndicator health = context.getBean("logPersistenceHealthIndicator", HealthIndicator.class);
                    assertThat(health.health().getStatus()).isEqualTo(Status.UP);

                    pipeline.log(LogLevel.INFO, "t", "one", null);
                    assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
                    Health down = health.health();
                    assertThat(down.getStatus()).isEqualTo(Status.DOWN);
                    @SuppressWarnings("unchecked")
                    Map<String, Object> backends = (Map<String, Object>) down.getDetails().get("backends");
                    assertThat(backends.get("file").toString()).contains("status=UP");
                    assertThat(backends.get("failing").toString()).contains("status=DOWN").contains("connection refused");
                    assertThat(down.toString()).doesNotContain(FAKE_SECRET).contains(Secrets.MASK);
                });
    }

    @Test
    void endpointReportsTheContractShapeWithoutSecrets() {
        runner().withUserConfiguration(FailingBackendConfig.class).withPropertyValues("LOG_BACKENDS=file,failing,nope")
                .run(context -> {
                    AppLogger timed = AppLoggerFactory.getAppLogger("timed-endpoint", true, true);
                    for (int i = 0; i < 10; i++) {
                        timed.info("call", "i", i);
                    }
                    AsyncPersistencePipeline pipeline = context.getBean(AsyncPersistencePipeline.class);
                    assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
                    LogPersistenceEndpoint endpoint = context.getBean(LogPersistenceEndpoint.class);
                    Map<String, Object> report = endpoint.report();
                    assertThat(report).containsKeys("logger", "persistence", "backends", "activeBackends",
                            "unknownBackends");
                    assertThat(report.get("activeBackends")).asString().isEqualTo("[file, failing]");
                    assertThat(report.get("unknownBackends")).asString().isEqualTo("[nope]");
                    @SuppressWarnings("unchecked")
                    Map<String, Map<String, Object>> loggers = (Map<String, Map<String, Object>>) report.get("logger");
                    assertThat(loggers.get("timed-endpoint")).containsEntry("totalCalls", 10L)
                            .containsKeys("avgTimeMs", "minTimeMs", "maxTimeMs", "p50TimeMs", "p99TimeMs", "p999TimeMs");
                    @SuppressWarnings("unchecked")
                    Map<String, Object> persistence = (Map<String, Object>) report.get("persistence");
                    assertThat(persistence).containsKeys("queueSize", "queueCapacity", "enqueued", "persisted", "dropped",
                            "failedLogs", "batches", "lastBatchWriteMs");
                    assertThat(persistence.get("enqueued")).isEqualTo(10L);
                    assertThat(persistence.get("failedLogs")).isEqualTo(10L);
                    Map<String, Object> file = endpoint.backend("file");
                    assertThat(file).containsEntry("backend", "file").containsEntry("totalWrites", 10L)
                            .containsEntry("failedWrites", 0L).containsKeys("dropped", "retries", "inFlight", "lastError",
                                    "lastSuccessAt", "writeLatencyP99Ms", "logDirectory", "currentFile");
                    Map<String, Object> failing = endpoint.backend("failing");
                    assertThat(failing).containsEntry("failedWrites", 10L);
                    assertThat(failing.get("lastError")).asString().contains("connection refused")
                            .doesNotContain(FAKE_SECRET);
                    assertThat(report.toString()).doesNotContain(FAKE_SECRET);
                    assertThat(endpoint.backend("nope")).isNull();
                    assertThat(endpoint.backend("console")).isNull();
                });
    }

    @Test
    void prometheusScrapeShowsTheMetersWithTheirValues() {
        runner().withUserConfiguration(PrometheusRegistry.class).run(context -> {
            AsyncPersistencePipeline pipeline = context.getBean(AsyncPersistencePipeline.class);
            for (int i = 0; i < 25; i++) {
                pipeline.log(LogLevel.INFO, "t", "m", null);
            }
            assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
            String scrape = context.getBean(PrometheusMeterRegistry.class).scrape();
            assertThat(scrape).contains("logpersistence_entries_enqueued_total 25.0")
                    .contains("logpersistence_entries_persisted_total 25.0")
                    .contains("logpersistence_entries_dropped_total 0.0")
                    .contains("logpersistence_backend_writes_total{backend=\"file\"} 25.0")
                    .contains("logpersistence_backend_failures_total{backend=\"file\"} 0.0")
                    .contains("logpersistence_queue_capacity 65536.0")
                    .contains("logpersistence_backend_write_seconds_count{backend=\"file\"}")
                    .contains("logpersistence_backend_retries_total{backend=\"file\"} 0.0")
                    .contains("logpersistence_backend_spooled{backend=\"file\"} 0.0")
                    .contains("logpersistence_backend_paused{backend=\"file\"} 0.0");
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class SimpleRegistry {
        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class PrometheusRegistry {
        @Bean
        PrometheusMeterRegistry meterRegistry() {
            return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        }

        @Bean
        org.springframework.beans.factory.SmartInitializingSingleton bindMeters(PrometheusMeterRegistry registry,
                LogPersistenceMeterBinder binder) {
            // Boot's metrics auto-configuration binds MeterBinder beans; this slim context does it by hand.
            return () -> binder.bindTo(registry);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class FailingBackendConfig {
        @Bean
        LogBackend failingBackend() {
            Secrets.register(FAKE_SECRET);
            return new LogBackend() {
                @Override
                public String name() {
                    return "failing";
                }

                @Override
                public boolean write(LogEntry entry) {
                    throw new IllegalStateException("connection refused by https://hooks.example.com/" + FAKE_SECRET);
                }
            };
        }
    }
}
