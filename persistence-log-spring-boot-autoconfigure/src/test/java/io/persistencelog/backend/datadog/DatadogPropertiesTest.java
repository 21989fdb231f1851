package io.persistencelog.backend.datadog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.persistencelog.config.SettingsSource;
import io.persistencelog.testing.TestSettings;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DatadogPropertiesTest {

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
        DatadogProperties settings = Settings.builder(Settings.API_KEY).site(site).build();

        assertThat(settings.intakeUri()).isEqualTo(URI.create(intake));
    }

    @Test
    void theUrlOverridesTheSite() {
        DatadogProperties settings = Settings.builder(Settings.API_KEY).site("datadoghq.eu")
                .url("http://proxy.internal:8080/logs?dd-api-key=" + Settings.API_KEY).build();

        assertThat(settings.intakeUri().getHost()).isEqualTo("proxy.internal");
        assertThat(settings.endpoint()).isEqualTo("http://proxy.internal:8080/logs");
    }

    @Test
    void anUnknownSiteNamesBothSettingsAndTheKnownSites() {
        assertThatThrownBy(() -> Settings.builder(Settings.API_KEY).site("datadoghq.co").build())
                .hasMessageContaining("'datadoghq.co'")
                .hasMessageContaining("log-persistence.datadog.site")
                .hasMessageContaining("DD_SITE")
                .hasMessageContaining("us5.datadoghq.com")
                .hasMessageContaining("log-persistence.datadog.url");
    }

    @Test
    void aMissingKeyNamesTheVariableAndTheProperty() {
        assertThatThrownBy(() -> Settings.builder(" ").build())
                .hasMessageContaining("DD_API_KEY")
                .hasMessageContaining("log-persistence.datadog.api-key");
    }

    @Test
    void toStringNeverShowsTheKey() {
        DatadogProperties settings = Settings.builder(Settings.API_KEY).build();

        assertThat(settings.toString()).doesNotContain(Settings.API_KEY).contains("apiKey=******");
        assertThat(new DatadogBackend(settings).toString()).doesNotContain(Settings.API_KEY);
        assertThat(new DatadogBackend(settings).getMetrics().toString()).doesNotContain(Settings.API_KEY);
    }

    @Test
    void rejectsNonsensicalTimings() {
        assertThatThrownBy(() -> Settings.builder(Settings.API_KEY).requestTimeout(Duration.ZERO).build())
                .hasMessageContaining("log-persistence.datadog.request-timeout");
        assertThatThrownBy(() -> Settings.builder(Settings.API_KEY).maxRetries(-1).build())
                .hasMessageContaining("log-persistence.datadog.max-retries");
        assertThatThrownBy(() -> Settings.builder(Settings.API_KEY).backoff(Duration.ofSeconds(5))
                .maxBackoff(Duration.ofSeconds(1)).build())
                .hasMessageContaining("log-persistence.datadog.max-backoff");
        assertThatThrownBy(() -> Settings.builder(Settings.API_KEY).url("ftp://x/y").build())
                .hasMessageContaining("log-persistence.datadog.url");
    }

    @Test
    void readsDatadogsVariablesOutsideSpring() {
        SettingsSource env = TestSettings.source(Map.of("log-persistence.datadog.max-retries", "2"), Map.of(
                "DD_API_KEY", Settings.API_KEY,
                "DD_SITE", "datadoghq.eu",
                "DD_SERVICE", "billing",
                "DD_ENV", "prod",
                "DD_VERSION", "1.4.2",
                "LOG_PERSISTENCE_DATADOG_TAGS", "team:core, region:eu",
                "LOG_PERSISTENCE_DATADOG_BATCH_WAIT", "250ms"));

        DatadogProperties settings = env.bind(DatadogProperties.PREFIX, DatadogProperties.class)
                .withFallbacks(env::property);

        assertThat(settings.apiKey()).isEqualTo(Settings.API_KEY);
        assertThat(settings.site()).isEqualTo("datadoghq.eu");
        assertThat(settings.service()).isEqualTo("billing");
        assertThat(settings.tags()).containsExactly("team:core", "region:eu", "env:prod", "version:1.4.2");
        assertThat(settings.ddtags()).isEqualTo("team:core,region:eu,env:prod,version:1.4.2");
        assertThat(settings.maxRetries()).isEqualTo(2);
        assertThat(settings.batchWait()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void thePropertiesWinOverDatadogsVariablesOutsideSpring() {
        SettingsSource env = TestSettings.source(Map.of("log-persistence.datadog.api-key", "property-key-123456",
                "log-persistence.datadog.site", "us3.datadoghq.com"), Map.of("DD_API_KEY", Settings.API_KEY,
                "DD_SITE", "datadoghq.eu", "DD_ENV", "prod", "LOG_PERSISTENCE_DATADOG_TAGS", "env:staging"));

        DatadogProperties settings = env.bind(DatadogProperties.PREFIX, DatadogProperties.class)
                .withFallbacks(env::property);

        assertThat(settings.apiKey()).isEqualTo("property-key-123456");
        assertThat(settings.site()).isEqualTo("us3.datadoghq.com");
        assertThat(settings.tags()).isEqualTo(List.of("env:staging"));
        assertThat(settings.service()).isEqualTo("app");
    }

    @Test
    void withoutAKeyOutsideSpringTheMessageNamesWhereToSetIt() {
        SettingsSource env = TestSettings.source(Map.of(), Map.of());

        assertThatThrownBy(() -> env.bind(DatadogProperties.PREFIX, DatadogProperties.class)
                .withFallbacks(env::property))
                .hasMessageContaining("DD_API_KEY").hasMessageContaining("log-persistence.datadog.api-key");
    }
}
