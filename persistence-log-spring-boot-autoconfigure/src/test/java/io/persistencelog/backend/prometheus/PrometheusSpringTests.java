package io.persistencelog.backend.prometheus;

import io.persistencelog.autoconfigure.LogPersistenceAutoConfiguration;
import io.persistencelog.BackendRegistry;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.persistencelog.LogLevel;
import io.persistencelog.backend.prometheus.PrometheusScrape;
import io.persistencelog.engine.AsyncPersistencePipeline;
import io.persistencelog.engine.DefaultBackendRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class PrometheusSpringTests {

    private static final String WARN = "Log backend 'prometheus' is selected but unavailable";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(LogPersistenceAutoConfiguration.class));

    @Test
    void withoutMeterRegistryTheBackendIsSkippedWithOneClearWarn(CapturedOutput output) {
        runner.withPropertyValues("log-persistence.backends=prometheus").run(context -> {
            assertThat(context).hasNotFailed();
            DefaultBackendRegistry registry = context.getBean(DefaultBackendRegistry.class);
            assertThat(registry.getActiveBackends()).isEmpty();
            assertThat(registry.getUnknownBackends()).containsExactly("prometheus");
            assertThat(registry.unavailableReasons().get("prometheus")).contains(PrometheusBackendProvider.NO_REGISTRY);
            AsyncPersistencePipeline pipeline = context.getBean(AsyncPersistencePipeline.class);
            pipeline.log(LogLevel.ERROR, "a", "still fine", null);
            assertThat(pipeline.flush(Duration.ofSeconds(5))).isTrue();
        });
        assertThat(output.getAll().split(WARN, -1)).hasSize(2);
        assertThat(output.getAll()).contains("no Micrometer MeterRegistry bean");
    }

    @Test
    void withoutMicrometerOnTheClasspathTheReasonSaysSo() {
        runner.withClassLoader(new FilteredClassLoader("io.micrometer"))
                .withPropertyValues("log-persistence.backends=prometheus").run(context -> {
                    assertThat(context).hasNotFailed();
                    DefaultBackendRegistry registry = context.getBean(DefaultBackendRegistry.class);
                    assertThat(registry.unavailableReasons().get("prometheus"))
                            .contains("Micrometer is not on the classpath");
                });
    }

    @Test
    void withAMeterRegistryEntriesAreCountedAndScraped() {
        runner.withBean(PrometheusMeterRegistry.class, () -> new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                .withPropertyValues("LOG_BACKENDS=prometheus", "log-persistence.prometheus.max-loggers=1",
                        "log-persistence.prometheus.loggers=com.acme.*")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    AsyncPersistencePipeline pipeline = context.getBean(AsyncPersistencePipeline.class);
                    pipeline.log(LogLevel.INFO, "com.acme.A", "m", null);
                    pipeline.log(LogLevel.INFO, "com.acme.B", "m", null);
                    pipeline.log(LogLevel.ERROR, "first.Seen", "m", new Object[] { new IllegalStateException() });
                    pipeline.log(LogLevel.WARN, "second.Seen", "m", null);
                    assertThat(pipeline.flush(Duration.ofSeconds(5))).isTrue();
                    PrometheusMeterRegistry registry = context.getBean(PrometheusMeterRegistry.class);
                    var entries = PrometheusScrape.scrape(registry, "logpersistence_log_entries_total");
                    assertThat(PrometheusScrape.sumBy(entries, "logger")).containsExactlyInAnyOrderEntriesOf(
                            Map.of("com.acme", 2.0, "first.Seen", 1.0, "other", 1.0));
                    assertThat(PrometheusScrape.sumBy(
                            PrometheusScrape.scrape(registry, "logpersistence_log_errors_total"), "level"))
                            // every level registered at 0 from the start (#12): only error was counted
                            .containsExactlyInAnyOrderEntriesOf(Map.of("trace", 0.0, "debug", 0.0, "info", 0.0,
                                    "warn", 0.0, "error", 1.0));
                });
    }

    @Test
    void notSelectedTheMeterRegistryIsNotNeeded(CapturedOutput output) {
        runner.withPropertyValues("log-persistence.backends=console").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(BackendRegistry.class).knownNames()).contains("prometheus");
        });
        assertThat(output.getAll()).doesNotContain(WARN);
    }
}
