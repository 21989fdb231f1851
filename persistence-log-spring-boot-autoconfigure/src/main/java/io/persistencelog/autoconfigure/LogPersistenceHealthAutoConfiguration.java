package io.persistencelog.autoconfigure;

import io.persistencelog.LogPersistenceHandler;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;

/** The {@code logPersistence} health contributor; {@code management.health.logpersistence.enabled} toggles it. */
@AutoConfiguration(after = LogPersistenceAutoConfiguration.class, beforeName =
        "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration")
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
@ConditionalOnBean(LogPersistenceHandler.class)
@ConditionalOnEnabledHealthIndicator("logpersistence")
@EnableConfigurationProperties(LogPersistenceHealthProperties.class)
public final class LogPersistenceHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "logPersistenceHealthIndicator")
    LogPersistenceHealthIndicator logPersistenceHealthIndicator(LogPersistenceHandler pipeline,
            LogPersistenceHealthProperties properties, ObjectProvider<Clock> clock) {
        return new LogPersistenceHealthIndicator(pipeline, properties, clock.getIfAvailable(Clock::systemUTC));
    }
}
