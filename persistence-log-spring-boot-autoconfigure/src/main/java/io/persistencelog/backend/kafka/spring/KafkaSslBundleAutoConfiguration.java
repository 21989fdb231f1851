package io.persistencelog.backend.kafka.spring;

import io.persistencelog.backend.kafka.KafkaBackendProvider;
import io.persistencelog.backend.kafka.KafkaLoopGuard;
import io.persistencelog.codec.Secrets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;

/**
 * The one thing the {@code kafka} backend needs from Spring beyond its settings: the application's SSL
 * bundles ({@code spring.kafka.ssl.bundle}). It contributes the kafka provider as a bean that can resolve
 * them, replacing the service-loaded one; everything else about the backend is the same in a plain
 * {@code main}.
 */
@AutoConfiguration(beforeName = "io.persistencelog.autoconfigure.LogPersistenceAutoConfiguration",
        afterName = "org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration")
@ConditionalOnBooleanProperty(name = "log-persistence.enabled", matchIfMissing = true)
@ConditionalOnClass(name = KafkaLoopGuard.PRODUCER_CLASS)
public final class KafkaSslBundleAutoConfiguration {

    @Bean
    KafkaBackendProvider kafkaBackendProvider(ObjectProvider<SslBundles> sslBundles) {
        return new KafkaBackendProvider((property, name) -> {
            SslBundles bundles = sslBundles.getIfAvailable();
            if (bundles == null) {
                throw new IllegalStateException(property + "=" + name + " is set but no SSL bundles are configured; "
                        + "define spring.ssl.bundle.*." + name + " or remove " + property);
            }
            SslBundle resolved;
            try {
                resolved = bundles.getBundle(name.trim());
            }
            catch (RuntimeException ex) {
                throw new IllegalStateException(property + " names SSL bundle '" + name + "', which cannot be used: "
                        + Secrets.mask(String.valueOf(ex.getMessage())) + ". Define it under spring.ssl.bundle.*."
                        + name, ex);
            }
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put(SslBundleEngineFactory.BUNDLE_CONFIG, resolved);
            settings.put("ssl.engine.factory.class", SslBundleEngineFactory.class);
            return settings;
        });
    }
}
