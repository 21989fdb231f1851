package io.persistencelog.backend.datadog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.persistencelog.engine.EnvironmentSettings;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DatadogSettingsTest {

    @ParameterizedTest
    @CsvSource({
        "datadoghq.com, https://http-intake.logs.datadoghq.com/api/v2/logs",
        "us3.datadoghq.com, https://http-intake.logs.us3.datadoghq.com/api/v2/logs",
        "us5.datadoghq.com, https://http-intake.logs.us5.datadoghq.com/api/v2/logs",
        "datadoghq.eu, https://http-intake.logs.datadoghq.eu/api/v2/logs",
        "ap1.datadoghq.com, https://http-intake.logs.ap1.datadoghq.com/api/v2/logs",
        "ap2.datadoghq.com, https://http-intake.logs.ap2.datadoghq.com/api/v2/logs",
        "ddog-gov.com, https://http-intake.logs.ddog-gov.com/api/v2/logs",
        "' DatadogHQ.EU ', https://http-intake.logs.datadoghq.eu/api/v2/logs"})
    void derivesTheIntakeFromEachPublicSite(String site, String intake) {
        DatadogSettings settings = DatadogSettings.builder(Settings.API_KEY).site(site).build();

        assertThat(settings.intakeUri()).isEqualTo(URI.create(intake));
    }

    @Test
    void theUrlOverridesTheSite() {
        DatadogSettings settings = DatadogSettings.builder(Settings.API_KEY).site("datadoghq.eu")
                .url("http://proxy.internal:8080/logs?dd-api-key=" + Settings.API_KEY).build();

        assertThat(settings.intakeUri().getHost()).isEqualTo("proxy.internal");
        assertThat(settings.endpoint()).isEqualTo("http://proxy.internal:8080/logs");
    }

    @Test
    void anUnknownSiteNamesBothSettingsAndTheKnownSites() {
        assertThatThrownBy(() -> DatadogSettings.builder(Settings.API_KEY).site("datadoghq.co").build())
                .hasMessageContaining("'datadoghq.co'")
                .hasMessageContaining("log-persistence.datadog.site")
                .hasMessageContaining("DD_SITE")
                .hasMessageContaining("us5.datadoghq.com")
                .hasMessageContaining("log-persistence.datadog.url");
    }

    @Test
    void aMissingKeyNamesTheVariableAndTheProperty() {
        assertThatThrownBy(() -> DatadogSettings.builder(" ").build())
                .hasMessageContaining("DD_API_KEY")
                .hasMessageContaining("log-persistence.datadog.api-key");
    }

    @Test
    void toStringNeverShowsTheKey() {
        DatadogSettings settings = DatadogSettings.builder(Settings.API_KEY).build();

        assertThat(settings.toString()).doesNotContain(Settings.API_KEY).contains("apiKey=******");
        assertThat(DatadogSettings.builder(Settings.API_KEY).toString()).doesNotContain(Settings.API_KEY);
        assertThat(new DatadogBackend(settings).toString()).doesNotContain(Settings.API_KEY);
        assertThat(new DatadogBackend(settings).getMetrics().toString()).doesNotContain(Settings.API_KEY);
    }

    @Test
    void rejectsNonsensicalTimings() {
        assertThatThrownBy(() -> DatadogSettings.builder(Settings.API_KEY).requestTimeout(Duration.ZERO).build())
                .hasMessageContaining("log-persistence.datadog.request-timeout");
        assertThatThrownBy(() -> DatadogSettings.builder(Settings.API_KEY).maxRetries(-1).build())
                .hasMessageContaining("log-persistence.datadog.max-retries");
        assertThatThrownBy(() -> DatadogSettings.builder(Settings.API_KEY).backoff(Duration.ofSeconds(5))
                .maxBackoff(Duration.ofSeconds(1)).build())
                .hasMessageContaining("log-persistence.datadog.max-backoff");
        assertThatThrownBy(() -> DatadogSettings.builder(Settings.API_KEY).url("ftp://x/y").build())
                .hasMessageContaining("log-persistence.datadog.url");
    }

    @Test
    void readsDatadogsVariablesOutsideSpring() {
        Properties system = new Properties();
        system.setProperty("log-persistence.datadog.max-retries", "2");
        EnvironmentSettings env = new EnvironmentSettings(system, Map.of(
                "DD_API_KEY", Settings.API_KEY,
                "DD_SITE", "datadoghq.eu",
                "DD_SERVICE", "billing",
                "DD_ENV", "prod",
                "DD_VERSION", "1.4.2",
                "LOG_PERSISTENCE_DATADOG_TAGS", "team:core, region:eu",
                "LOG_PERSISTENCE_DATADOG_BATCH_WAIT", "250ms"));

        DatadogSettings settings = DatadogSettings.fromEnvironment(env, 1000);

        assertThat(settings.apiKey()).isEqualTo(Settings.API_KEY);
        assertThat(settings.site()).isEqualTo("datadoghq.eu");
        assertThat(settings.service()).isEqualTo("billing");
        assertThat(settings.tags()).containsExactly("team:core", "region:eu", "env:prod", "version:1.4.2");
        assertThat(settings.ddtags()).isEqualTo("team:core,region:eu,env:prod,version:1.4.2");
        assertThat(settings.maxRetries()).isEqualTo(2);
        assertThat(settings.batchWait()).isEqualTo(Duration.ofMillis(250));
        assertThat(settings.maxValueLength()).isEqualTo(1000);
    }

    @Test
    void thePropertiesWinOverDatadogsVariablesOutsideSpring() {
        Properties system = new Properties();
        system.setProperty("log-persistence.datadog.api-key", "property-key-123456");
        system.setProperty("log-persistence.datadog.site", "us3.datadoghq.com");
        EnvironmentSettings env = new EnvironmentSettings(system, Map.of("DD_API_KEY", Settings.API_KEY,
                "DD_SITE", "datadoghq.eu", "DD_ENV", "prod", "LOG_PERSISTENCE_DATADOG_TAGS", "env:staging"));

        DatadogSettings settings = DatadogSettings.fromEnvironment(env, 1000);

        assertThat(settings.apiKey()).isEqualTo("property-key-123456");
        assertThat(settings.site()).isEqualTo("us3.datadoghq.com");
        assertThat(settings.tags()).isEqualTo(List.of("env:staging"));
        assertThat(settings.service()).isEqualTo("app");
    }

    @Test
    void withoutAKeyOutsideSpringTheMessageNamesWhereToSetIt() {
        EnvironmentSettings env = new EnvironmentSettings(new Properties(), Map.of());

        assertThatThrownBy(() -> DatadogSettings.fromEnvironment(env, 1000))
                .hasMessageContaining("DD_API_KEY").hasMessageContaining("log-persistence.datadog.api-key");
    }
}
