package io.persistencelog.autoconfigure;

import io.persistencelog.BackendFactory;
import io.persistencelog.backend.kafka.KafkaBackendSettings;
import io.persistencelog.backend.kafka.KafkaLoopGuard;
import io.persistencelog.engine.Secrets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.DefaultResourceLoader;

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
                LogPersistenceProperties core, Environment environment, ObjectProvider<SslBundles> sslBundles) {
            return settings(kafka, core, environment, sslBundles.getIfAvailable());
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
     * {@code spring.kafka.jaas.*} (as the client's own {@code sasl.jaas.config}),
     * {@code spring.kafka.properties.*} (so {@code sasl.*} too), {@code spring.kafka.bootstrap-servers},
     * {@code spring.kafka.security.protocol} and {@code spring.kafka.ssl.*},
     * {@code spring.kafka.producer.properties.*}, {@code spring.kafka.producer.bootstrap-servers},
     * {@code .security.protocol} and {@code .ssl.*}, {@code log-persistence.kafka.bootstrap-servers},
     * {@code log-persistence.kafka.producer.*}. An SSL bundle ({@code spring.kafka.ssl.bundle}) is used
     * through {@link SslBundleEngineFactory}, as Spring Boot's own Kafka producers do.
     */
    static KafkaBackendSettings settings(LogPersistenceKafkaProperties kafka, LogPersistenceProperties core,
            Environment environment) {
        return settings(kafka, core, environment, null);
    }

    static KafkaBackendSettings settings(LogPersistenceKafkaProperties kafka, LogPersistenceProperties core,
            Environment environment, @Nullable SslBundles sslBundles) {
        Binder binder = Binder.get(environment);
        Bindable<Map<String, String>> stringMap = Bindable.mapOf(String.class, String.class);
        Bindable<List<String>> stringList = Bindable.listOf(String.class);
        Map<String, Object> config = new LinkedHashMap<>(KafkaBackendSettings.producerDefaults());
        putJaas(binder, config);
        config.putAll(binder.bind("spring.kafka.properties", stringMap).orElse(Map.of()));
        binder.bind("spring.kafka.bootstrap-servers", stringList).ifBound(servers -> putServers(config, servers));
        binder.bind("spring.kafka.security.protocol", String.class).ifBound(p -> config.put("security.protocol", p));
        putSsl(binder, "spring.kafka.ssl", config, sslBundles);
        config.putAll(binder.bind("spring.kafka.producer.properties", stringMap).orElse(Map.of()));
        binder.bind("spring.kafka.producer.bootstrap-servers", stringList)
                .ifBound(servers -> putServers(config, servers));
        binder.bind("spring.kafka.producer.security.protocol", String.class)
                .ifBound(p -> config.put("security.protocol", p));
        putSsl(binder, "spring.kafka.producer.ssl", config, sslBundles);
        List<String> servers = kafka.bootstrapServers();
        if (servers != null) {
            putServers(config, servers);
        }
        config.putAll(kafka.producer());
        String service = kafka.service() != null ? kafka.service() : environment.getProperty("spring.application.name");
        return new KafkaBackendSettings(kafka.topic(), kafka.key(), service, config, kafka.sendTimeout(),
                core.shutdownTimeout(), kafka.maxBatchSize(), core.maxValueLength());
    }

    /** Spring Boot's JAAS settings, as this client's own {@code sasl.jaas.config} (Boot sets them JVM-wide). */
    private static void putJaas(Binder binder, Map<String, Object> config) {
        if (!binder.bind("spring.kafka.jaas.enabled", Boolean.class).orElse(false)) {
            return;
        }
        String module = binder.bind("spring.kafka.jaas.login-module", String.class)
                .orElse("com.sun.security.auth.module.Krb5LoginModule");
        String flag = binder.bind("spring.kafka.jaas.control-flag", String.class).orElse("required")
                .toLowerCase(Locale.ROOT);
        StringBuilder jaas = new StringBuilder(module).append(' ').append(flag);
        binder.bind("spring.kafka.jaas.options", Bindable.mapOf(String.class, String.class)).orElse(Map.of())
                .forEach((name, value) -> jaas.append(' ').append(name).append("=\"")
                        .append(value.replace("\\", "\\\\").replace("\"", "\\\"")).append('"'));
        config.put("sasl.jaas.config", jaas.append(';').toString());
    }

    /** Spring Boot's {@code <prefix>.*} SSL settings (or its SSL bundle) as producer settings. */
    private static void putSsl(Binder binder, String prefix, Map<String, Object> config,
            @Nullable SslBundles sslBundles) {
        String bundle = binder.bind(prefix + ".bundle", String.class).orElse(null);
        if (bundle != null && !bundle.isBlank()) {
            if (sslBundles == null) {
                throw new IllegalStateException(prefix + ".bundle=" + bundle + " is set but no SSL bundles are "
                        + "configured; define spring.ssl.bundle.*." + bundle + " or remove " + prefix + ".bundle");
            }
            SslBundle resolved;
            try {
                resolved = sslBundles.getBundle(bundle.trim());
            }
            catch (RuntimeException ex) {
                throw new IllegalStateException(prefix + ".bundle names SSL bundle '" + bundle + "', which cannot be "
                        + "used: " + Secrets.mask(String.valueOf(ex.getMessage())) + ". Define it under "
                        + "spring.ssl.bundle.*." + bundle, ex);
            }
            config.put(SslBundleEngineFactory.BUNDLE_CONFIG, resolved);
            config.put("ssl.engine.factory.class", SslBundleEngineFactory.class);
            config.putIfAbsent("security.protocol", "SSL");
            return;
        }
        Map<String, String> names = new LinkedHashMap<>();
        names.put("key-password", "ssl.key.password");
        names.put("key-store-certificate-chain", "ssl.keystore.certificate.chain");
        names.put("key-store-key", "ssl.keystore.key");
        names.put("key-store-password", "ssl.keystore.password");
        names.put("key-store-type", "ssl.keystore.type");
        names.put("trust-store-certificates", "ssl.truststore.certificates");
        names.put("trust-store-password", "ssl.truststore.password");
        names.put("trust-store-type", "ssl.truststore.type");
        names.put("protocol", "ssl.protocol");
        names.forEach((property, kafkaName) -> binder.bind(prefix + "." + property, String.class)
                .ifBound(value -> config.put(kafkaName, value)));
        binder.bind(prefix + ".key-store-location", String.class)
                .ifBound(location -> config.put("ssl.keystore.location",
                        filePath(prefix + ".key-store-location", location)));
        binder.bind(prefix + ".trust-store-location", String.class)
                .ifBound(location -> config.put("ssl.truststore.location",
                        filePath(prefix + ".trust-store-location", location)));
    }

    /** A store location as Kafka needs it: a file path ({@code classpath:} and {@code file:} resolved). */
    private static String filePath(String property, String location) {
        try {
            return new DefaultResourceLoader().getResource(location.trim()).getFile().getAbsolutePath();
        }
        catch (java.io.IOException | RuntimeException ex) {
            throw new IllegalStateException(property + " must name a file Kafka can read (file:/path or a "
                    + "classpath: resource unpacked on disk) but was '" + location + "'", ex);
        }
    }

    private static void putServers(Map<String, Object> config, List<String> servers) {
        List<String> cleaned = servers.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (!cleaned.isEmpty()) {
            config.put(KafkaBackendSettings.BOOTSTRAP_SERVERS, String.join(",", cleaned));
        }
    }
}
