package io.persistencelog.backend.datadog;

import io.persistencelog.autoconfigure.LogPersistenceAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

import io.persistencelog.BackendRegistry;
import io.persistencelog.backend.datadog.DatadogBackend;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Issue #12 point 13 from the Spring side: DD_TAGS, DD_HOSTNAME, the new sites and the rejected-key pause. */
class DatadogVendorSettingsSpringTest {

    @TempDir
    Path logs;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LogPersistenceAutoConfiguration.class))
                .withPropertyValues("log-persistence.file.directory=" + logs, "LOG_BACKENDS=datadog",
                        "DD_API_KEY=dd-context-key-3e1b7a9f0c2d");
    }

    @Test
    void readsDdTagsAndDdHostnameAndTheUkSite() {
        runner().withPropertyValues("DD_SITE=uk1.datadoghq.com", "DD_TAGS=team:core layer:api", "DD_ENV=prod",
                "DD_HOSTNAME=web-7", "log-persistence.datadog.tags=team:payments",
                "log-persistence.datadog.rejected-pause=30s").run(context -> {
                    assertThat(context).hasNotFailed();
                    DatadogBackend backend = (DatadogBackend) context.getBean(BackendRegistry.class)
                            .getActiveBackends().get(0);
                    assertThat(backend.settings().intakeUri())
                            .hasToString("https://http-intake.logs.uk1.datadoghq.com/api/v2/logs");
                    assertThat(backend.settings().tags()).containsExactly("team:payments", "env:prod", "layer:api");
                    assertThat(backend.settings().resolvedHostname()).isEqualTo("web-7");
                    assertThat(backend.settings().rejectedPause()).isEqualTo(Duration.ofSeconds(30));
                });
    }

    @Test
    void theHostnamePropertyWinsOverDdHostname() {
        runner().withPropertyValues("DD_SITE=us2.ddog-gov.com", "DD_HOSTNAME=web-7",
                "log-persistence.datadog.hostname=configured").run(context -> {
                    assertThat(context).hasNotFailed();
                    DatadogBackend backend = (DatadogBackend) context.getBean(BackendRegistry.class)
                            .getActiveBackends().get(0);
                    assertThat(backend.settings().resolvedHostname()).isEqualTo("configured");
                    assertThat(backend.settings().intakeUri().getHost()).isEqualTo("http-intake.logs.us2.ddog-gov.com");
                });
    }
}
