package io.persistencelog.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.persistencelog.BackendFactory;
import io.persistencelog.BackendNames;
import io.persistencelog.backend.prometheus.PrometheusLogBackend;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Contributes the {@code prometheus} backend: counters in the application's {@code MeterRegistry} (visible at
 * {@code /actuator/prometheus} with micrometer-registry-prometheus). Without Micrometer or without a
 * {@code MeterRegistry} bean the backend is reported unavailable, with the reason, in one WARN and under
 * {@code unknownBackends}, and the other backends run.
 */
@AutoConfiguration(before = LogPersistenceAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "log-persistence.enabled", matchIfMissing = true)
@EnableConfigurationProperties(PrometheusProperties.class)
public final class PrometheusBackendAutoConfiguration {

    static final String NO_REGISTRY = "no Micrometer MeterRegistry bean in the application context; add "
            + "spring-boot-starter-actuator and io.micrometer:micrometer-registry-prometheus (or another registry)";
    static final String NO_MICROMETER = "Micrometer is not on the classpath; add spring-boot-starter-actuator and "
            + "io.micrometer:micrometer-registry-prometheus";

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
    static final class WithMicrometer {

        @Bean
        @ConditionalOnMissingBean(name = "prometheusLogBackendFactory")
        BackendFactory prometheusLogBackendFactory(PrometheusProperties properties,
                ObjectProvider<MeterRegistry> registries, ListableBeanFactory beanFactory) {
            // Looked up by type without creating it: the registry is only built when the backend is selected.
            if (beanFactory.getBeanNamesForType(MeterRegistry.class, true, false).length == 0) {
                return BackendFactory.unavailable(BackendNames.PROMETHEUS, NO_REGISTRY);
            }
            return BackendFactory.of(BackendNames.PROMETHEUS,
                    () -> new PrometheusLogBackend(registries.getObject(), properties.toSettings()));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingClass("io.micrometer.core.instrument.MeterRegistry")
    static final class WithoutMicrometer {

        @Bean
        @ConditionalOnMissingBean(name = "prometheusLogBackendFactory")
        BackendFactory prometheusLogBackendFactory() {
            return BackendFactory.unavailable(BackendNames.PROMETHEUS, NO_MICROMETER);
        }
    }
}
