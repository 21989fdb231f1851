package io.persistencelog.autoconfigure;

import io.persistencelog.BackendFactory;
import io.persistencelog.BackendNames;
import io.persistencelog.backend.datadog.DatadogBackend;
import io.persistencelog.backend.datadog.DatadogSettings;
import io.persistencelog.engine.PipelineSettings;
import io.persistencelog.engine.Secrets;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Contributes the built-in {@code datadog} backend. It is built only when selected in LOG_BACKENDS /
 * log-persistence.backends; a selected backend without an API key, or with an unknown site, stops the
 * application's start with a message naming the settings to fix.
 */
@AutoConfiguration(before = LogPersistenceAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "log-persistence.enabled", matchIfMissing = true)
@EnableConfigurationProperties(DatadogProperties.class)
public final class DatadogBackendAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "datadogLogBackendFactory")
    BackendFactory datadogLogBackendFactory(DatadogProperties properties, Environment environment,
            ObjectProvider<LogPersistenceProperties> core) {
        Secrets.register(properties.apiKey());
        return BackendFactory.of(BackendNames.DATADOG, () -> {
            LogPersistenceProperties coreProperties = core.getIfAvailable();
            int maxValueLength = coreProperties == null ? PipelineSettings.DEFAULT_MAX_VALUE_LENGTH
                    : coreProperties.maxValueLength();
            return new DatadogBackend(settings(properties, environment, maxValueLength));
        });
    }

    /** The properties, falling back to Datadog's own environment variables where unset. */
    static DatadogSettings settings(DatadogProperties properties, Environment environment, int maxValueLength) {
        String apiKey = firstText(properties.apiKey(), environment.getProperty(DatadogSettings.API_KEY_VARIABLE));
        if (apiKey == null) {
            throw new IllegalStateException(DatadogSettings.missingApiKeyMessage());
        }
        Secrets.register(apiKey);
        String site = Objects.requireNonNullElse(
                firstText(properties.site(), environment.getProperty(DatadogSettings.SITE_VARIABLE)),
                DatadogSettings.DEFAULT_SITE);
        String service = Objects.requireNonNullElse(firstText(properties.service(),
                firstText(environment.getProperty("DD_SERVICE"), environment.getProperty("spring.application.name"))),
                DatadogSettings.DEFAULT_SERVICE);
        return new DatadogSettings(apiKey, site, properties.url(), service, properties.source(),
                DatadogSettings.withAgentTags(DatadogSettings.withUnifiedServiceTags(properties.tags(),
                        environment.getProperty("DD_ENV"), environment.getProperty("DD_VERSION")),
                        environment.getProperty(DatadogSettings.TAGS_VARIABLE)),
                firstText(properties.hostname(), environment.getProperty(DatadogSettings.HOSTNAME_VARIABLE)),
                properties.connectTimeout(), properties.requestTimeout(),
                properties.maxRetries(), properties.backoff(), properties.maxBackoff(), properties.batchWait(),
                maxValueLength, properties.rejectedPause());
    }

    private static @Nullable String firstText(@Nullable String first, @Nullable String second) {
        if (first != null && !first.isBlank()) {
            return first.trim();
        }
        return second != null && !second.isBlank() ? second.trim() : null;
    }
}
