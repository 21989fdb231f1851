package io.persistencelog.backend.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.persistencelog.config.SettingsSource;
import io.persistencelog.testing.TestSettings;
import io.persistencelog.codec.Secrets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SlackPropertiesTest {

    @Test
    void aMissingWebhookNamesTheVariableAndTheProperty() {
        SettingsSource env = TestSettings.source(Map.of(), Map.of());
        assertThatIllegalStateException().isThrownBy(() -> fromEnvironment(env))
                .withMessageContaining("SLACK_WEBHOOK_URL")
                .withMessageContaining("log-persistence.slack.webhook-url");
    }

    @Test
    void theWebhookComesFromTheVariableAndOtherSettingsFromTheRelaxedEnvironment() {
        SettingsSource env = TestSettings.source(Map.of(),
                Map.of("SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T1/B1/envSecretValue99",
                        "LOG_PERSISTENCE_SLACK_MIN_LEVEL", "warn",
                        "LOG_PERSISTENCE_SLACK_BURST_WINDOW", "5s"));
        SlackProperties settings = fromEnvironment(env);
        assertThat(settings.minLevel()).isEqualTo(io.persistencelog.LogLevel.WARN);
        assertThat(settings.burstWindow()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.toString()).doesNotContain("envSecretValue99").contains("webhookUrl=******");
        assertThat(Secrets.mask("see https://hooks.slack.com/services/T1/B1/envSecretValue99"))
                .doesNotContain("envSecretValue99");
        assertThat(Secrets.mask("POST /services/T1/B1/envSecretValue99 failed")).doesNotContain("envSecretValue99");
    }

    @Test
    void anInvalidWebhookIsRejectedWithoutEchoingIt() {
        assertThatIllegalArgumentException().isThrownBy(() -> SlackProperties.of("not a url with secretXYZ987 inside"))
                .withMessageNotContaining("secretXYZ987").withMessageContaining("SLACK_WEBHOOK_URL");
        assertThatIllegalArgumentException().isThrownBy(() -> SlackProperties.of("ftp://example.com/secretXYZ987"))
                .withMessageNotContaining("secretXYZ987").withMessageContaining("https://");
    }

    /** As a plain main reads them: bound from the environment, the webhook falling back to its variable. */
    private static SlackProperties fromEnvironment(SettingsSource env) {
        return SlackBackendProvider.resolve(env.bind(SlackProperties.PREFIX, SlackProperties.class),
                TestSettings.context(env));
    }
}
