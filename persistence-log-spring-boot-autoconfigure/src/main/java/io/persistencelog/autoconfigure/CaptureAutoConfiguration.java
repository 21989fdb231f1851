package io.persistencelog.autoconfigure;

import ch.qos.logback.classic.LoggerContext;
import io.persistencelog.capture.LogbackCapture;
import io.persistencelog.config.BackendProviders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;

/**
 * Persists the application's own SLF4J/Logback logging: attaches a
 * {@link io.persistencelog.capture.PersistenceLogAppender} to Logback's root logger. When Logback is not
 * the SLF4J backend (e.g. Log4j2), capture is skipped with one INFO line saying so.
 */
@AutoConfiguration(after = LogPersistenceAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "log-persistence.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "log-persistence.capture.enabled", matchIfMissing = true)
@EnableConfigurationProperties(CaptureProperties.class)
public final class CaptureAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @Conditional(LogbackBackendCondition.class)
    static class LogbackCaptureConfiguration {

        @Bean
        @ConditionalOnMissingBean
        LogbackCaptureLifecycle logbackCaptureLifecycle(CaptureProperties properties,
                ObjectProvider<BackendProviders> providers) {
            LoggerContext context = LogbackCapture.currentLoggerContext();
            if (context == null) {
                // The condition saw Logback bound; SLF4J cannot rebind, so this does not happen.
                throw new IllegalStateException("SLF4J is not bound to Logback");
            }
            // The providers of this application, provider beans included (the static default sees only the
            // service-loaded ones): each names the client library its backend writes with.
            BackendProviders known = providers.getIfAvailable();
            return new LogbackCaptureLifecycle(new LogbackCapture(context,
                    known == null ? properties.toSettings() : properties.toSettings(known.captureExcludedLoggers())));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @Conditional(LogbackBackendCondition.Absent.class)
    static class NoLogbackConfiguration {

        @Bean
        @ConditionalOnMissingBean
        CaptureUnavailableNotice logCaptureUnavailableNotice(ResourceLoader resourceLoader) {
            return new CaptureUnavailableNotice(
                    LogbackBackendCondition.describeBackend(resourceLoader.getClassLoader()));
        }
    }

    /** Says once, at INFO, that SLF4J logging is not captured because Logback is not the backend. */
    static final class CaptureUnavailableNotice {

        private static final Logger log = LoggerFactory.getLogger(CaptureAutoConfiguration.class);

        private final String reason;

        CaptureUnavailableNotice(String reason) {
            this.reason = reason;
            log.info("persistence-log is not capturing SLF4J logging: {}. AppLogger calls are still persisted; "
                    + "set log-persistence.capture.enabled=false to silence this line.", reason);
        }

        String reason() {
            return reason;
        }
    }
}
