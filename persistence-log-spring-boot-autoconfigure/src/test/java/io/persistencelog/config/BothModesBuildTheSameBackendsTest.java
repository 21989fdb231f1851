package io.persistencelog.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.persistencelog.BackendRegistry;
import io.persistencelog.LogBackend;
import io.persistencelog.LogBackendProvider;
import io.persistencelog.autoconfigure.LogPersistenceAutoConfiguration;
import io.persistencelog.engine.AsyncPersistencePipeline;
import io.persistencelog.engine.DefaultBackendRegistry;
import io.persistencelog.standalone.StandalonePipeline;
import io.persistencelog.testing.TestSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * The one configuration model: a plain {@code main} given settings as system properties and environment
 * variables, and a Spring application given the same settings in {@code application.yml} (and the same
 * environment variables), bind the same settings and build the same backends.
 */
class BothModesBuildTheSameBackendsTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-01-08T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path logs;

    /** The environment of both: Datadog's and Slack's own variables, and one setting in relaxed form. */
    private Map<String, String> environment() {
        return Map.of("DD_API_KEY", "both-modes-key-0123456789", "DD_ENV", "prod",
                "SLACK_WEBHOOK_URL", "http://127.0.0.1:9/services/T0/B0/bothModesSecret",
                "LOG_PERSISTENCE_DATADOG_MAX_RETRIES", "2", "LOG_PERSISTENCE_FILE_DIRECTORY", logs.toString());
    }

    /** What both-modes.yml says, as a plain main's system properties. */
    private static Map<String, String> systemProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("log-persistence.backends", "file, console, datadog, slack, prometheus");
        p.put("log-persistence.max-value-length", "4096");
        p.put("log-persistence.queue.capacity", "1024");
        p.put("log-persistence.queue.when-full", "block");
        p.put("log-persistence.batch.max-wait", "5ms");
        p.put("log-persistence.file.zone", "Europe/Paris");
        p.put("log-persistence.file.retention-weeks", "3");
        p.put("log-persistence.datadog.url", "http://127.0.0.1:9/api/v2/logs");
        p.put("log-persistence.datadog.tags", "team:core,region:eu");
        p.put("log-persistence.datadog.request-timeout", "3s");
        p.put("log-persistence.slack.min-level", "WARN");
        p.put("log-persistence.slack.burst-window", "250ms");
        p.put("log-persistence.resilience.retry-attempts", "4");
        p.put("log-persistence.spool.max-size", "8MB");
        return p;
    }

    @Test
    void aPlainMainAndASpringApplicationBuildIdenticalBackends() {
        SettingsSource plain = TestSettings.source(systemProperties(), environment());
        BackendProviders providers = BackendProviders.load(getClass().getClassLoader());
        AsyncPersistencePipeline standalone = StandalonePipeline.build(plain, providers, CLOCK);
        standalone.start();
        try {
            new ApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(LogPersistenceAutoConfiguration.class))
                    .withBean(Clock.class, () -> CLOCK)
                    .withInitializer(context -> {
                        var sources = context.getEnvironment().getPropertySources();
                        sources.addLast(new SystemEnvironmentPropertySource("testEnvironment",
                                new LinkedHashMap<>(environment())));
                        try {
                            new YamlPropertySourceLoader().load("application.yml",
                                    new ClassPathResource("both-modes.yml")).forEach(sources::addLast);
                        }
                        catch (IOException ex) {
                            throw new IllegalStateException(ex);
                        }
                    })
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        SettingsSource spring = SettingsSource.of(context.getEnvironment());
                        for (LogBackendProvider<?> provider : providers.all()) {
                            assertThat(spring.bind(provider.prefix(), provider.settingsType()))
                                    .as(provider.prefix()).isEqualTo(plain.bind(provider.prefix(),
                                            provider.settingsType()));
                        }
                        AsyncPersistencePipeline pipeline = context.getBean(AsyncPersistencePipeline.class);
                        assertThat(pipeline.settings()).isEqualTo(standalone.settings());
                        assertThat(describe(context.getBean(BackendRegistry.class))).isEqualTo(
                                describe(standalone.registry())).containsKeys("file", "console", "datadog", "slack");
                        DefaultBackendRegistry registry = context.getBean(DefaultBackendRegistry.class);
                        assertThat(registry.unavailableReasons()).isEqualTo(standalone.registry().unavailableReasons())
                                .containsOnlyKeys("prometheus");
                        assertThat(pipeline.flush(Duration.ofSeconds(5))).isTrue();
                    });
        }
        finally {
            standalone.shutdown(Duration.ofSeconds(5));
        }
    }

    /** Each active backend: its type, how it describes itself and its own figures. */
    private static Map<String, List<Object>> describe(BackendRegistry registry) {
        Map<String, List<Object>> described = new TreeMap<>();
        for (LogBackend backend : registry.getActiveBackends()) {
            described.put(backend.name(), List.of(backend.getClass().getName(), backend.toString(),
                    new TreeMap<>(backend.getMetrics()).toString()));
        }
        return described;
    }
}
