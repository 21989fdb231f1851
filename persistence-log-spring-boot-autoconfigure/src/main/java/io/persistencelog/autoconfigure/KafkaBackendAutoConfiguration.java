package io.persistencelog.autoconfigure;

import io.persistencelog.BackendFactory;
import io.persistencelog.backend.kafka.KafkaBackendSettings;
import io.persistencelog.backend.kafka.KafkaLoopGuard;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Contributes the {@code kafka} backend. With kafka-clients on the classpath it is built from
 * {@code spring.kafka.*} (read through the {@link Environment}, so spring-kafka's own auto-configuration
 * need not be present) and {@code log-persistence.kafka.*}; without it, selecting {@code kafka} is
 * reported as unavailable with the reason.
 */
@AutoConfiguration(before = LogPersistenceAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "log-persistence.enabled", matchIfMissing = true)
public final class KafkaBackendAutoConfiguration {

    /** Bean name of the backend's factory; define a bean of this name to replace it. */
    public static final String FACTORY_BEAN = "kafkaLogBackendFactory";

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = KafkaLoopGuard.PRODUCER_CLASS)
    @EnableConfigurationProperties({ LogPersistenceKafkaProperties.class, LogPersistenceProperties.class })
    static class KafkaClientsPresent {

        @Bean
        @ConditionalOnMissingBean
        KafkaBackendSettings kafkaLogBackendSettings(LogPersistenceKafkaProperties kafka,
                LogPersistenceProperties core, Environment environment) {
            return settings(kafka, core, environment);
        }

        @Bean(name = FACTORY_BEAN)
        @ConditionalOnMissingBean(name = FACTORY_BEAN)
        BackendFactory kafkaLogBackendFactory(KafkaBackendSettings settings) {
            return KafkaBackendSettings.factory(settings);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingClass(KafkaLoopGuard.PRODUCER_CLASS)
    static class KafkaClientsMissing {

        @Bean(name = FACTORY_BEAN)
        @ConditionalOnMissingBean(name = FACTORY_BEAN)
        BackendFactory kafkaLogBackendFactory() {
            return KafkaBackendSettings.unavailableFactory();
        }
    }

    /**
     * Producer settings, each layer overriding the one before: log-friendly defaults,
     * {@code spring.kafka.properties.*}, {@code spring.kafka.bootstrap-servers} and
     * {@code spring.kafka.security.protocol}, {@code spring.kafka.producer.properties.*},
     * {@code spring.kafka.producer.bootstrap-servers} and {@code .security.protocol},
     * {@code log-persistence.kafka.bootstrap-servers}, {@code log-persistence.kafka.producer.*}.
     */
    static KafkaBackendSettings settings(LogPersistenceKafkaProperties kafka, LogPersistenceProperties core,
            Environment environment) {
        Binder binder = Binder.get(environment);
        Bindable<Map<String, String>> stringMap = Bindable.mapOf(String.class, String.class);
        Bindable<List<String>> stringList = Bindable.listOf(String.class);
        Map<String, Object> config = new LinkedHashMap<>(KafkaBackendSettings.producerDefaults());
        config.putAll(binder.bind("spring.kafka.properties", stringMap).orElse(Map.of()));
        binder.bind("spring.kafka.bootstrap-servers", stringList).ifBound(servers -> putServers(config, servers));
        binder.bind("spring.kafka.security.protocol", String.class).ifBound(p -> config.put("security.protocol", p));
        config.putAll(binder.bind("spring.kafka.producer.properties", stringMap).orElse(Map.of()));
        binder.bind("spring.kafka.producer.bootstrap-servers", stringList)
                .ifBound(servers -> putServers(config, servers));
        binder.bind("spring.kafka.producer.security.protocol", String.class)
                .ifBound(p -> config.put("security.protocol", p));
        List<String> servers = kafka.bootstrapServers();
        if (servers != null) {
            putServers(config, servers);
        }
        config.putAll(kafka.producer());
        String service = kafka.service() != null ? kafka.service() : environment.getProperty("spring.application.name");
        return new KafkaBackendSettings(kafka.topic(), kafka.key(), service, config, kafka.sendTimeout(),
                core.shutdownTimeout(), kafka.maxBatchSize(), core.maxValueLength());
    }

    private static void putServers(Map<String, Object> config, List<String> servers) {
        List<String> cleaned = servers.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (!cleaned.isEmpty()) {
            config.put(KafkaBackendSettings.BOOTSTRAP_SERVERS, String.join(",", cleaned));
        }
    }
}
