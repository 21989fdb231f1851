package io.persistencelog.autoconfigure;

import io.persistencelog.BackendFactory;
import io.persistencelog.BackendNames;
import io.persistencelog.backend.slack.SlackBackend;
import io.persistencelog.backend.slack.SlackSettings;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Contributes the {@code slack} backend. It is built only when {@code slack} is selected; selected without a
 * webhook URL (property or SLACK_WEBHOOK_URL), it stops the application with a message naming both.
 */
@AutoConfiguration(before = LogPersistenceAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "log-persistence.enabled", matchIfMissing = true)
@EnableConfigurationProperties(SlackProperties.class)
public final class SlackBackendAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "slackLogBackendFactory")
    BackendFactory slackLogBackendFactory(SlackProperties properties, Environment environment) {
        return BackendFactory.of(BackendNames.SLACK, () -> new SlackBackend(
                properties.toSettings(environment.getProperty(SlackSettings.WEBHOOK_VARIABLE))));
    }
}
