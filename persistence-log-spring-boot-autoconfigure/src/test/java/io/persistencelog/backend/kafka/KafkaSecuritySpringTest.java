package io.persistencelog.backend.kafka;

import io.persistencelog.autoconfigure.LogPersistenceAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

import io.persistencelog.BackendContext;
import io.persistencelog.backend.kafka.KafkaBackendProvider;
import io.persistencelog.backend.kafka.KafkaBackendSettings;
import io.persistencelog.backend.kafka.KafkaProperties;
import io.persistencelog.backend.kafka.spring.KafkaSslBundleAutoConfiguration;
import io.persistencelog.backend.kafka.spring.SslBundleEngineFactory;
import io.persistencelog.config.BackendProviders;
import io.persistencelog.testing.TestSettings;
import io.persistencelog.backend.kafka.KafkaKey;
import io.persistencelog.backend.kafka.KafkaBackend;
import io.persistencelog.backend.kafka.KafkaTestSupport;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Issue #12 point 13: Spring Boot's Kafka SSL settings, SSL bundle and JAAS settings reach the log producer,
 * and the Kafka record key defaults to none.
 */
class KafkaSecuritySpringTest {

    private static final String STORE_PASSWORD = "FAKE-STORE-PASS-5c2e";

    @TempDir
    Path dir;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LogPersistenceAutoConfiguration.class,
                        KafkaSslBundleAutoConfiguration.class, SslAutoConfiguration.class))
                .withPropertyValues("log-persistence.file.directory=" + dir.resolve("logs"));
    }

    /** The producer settings as the kafka provider of this context resolves them. */
    private static KafkaBackendSettings settings(org.springframework.context.ApplicationContext context) {
        KafkaBackendProvider provider = (KafkaBackendProvider) context.getBean(BackendProviders.class).all().stream()
                .filter(p -> p.name().equals("kafka")).findFirst().orElseThrow();
        return provider.settings(TestSettings.bound(context, KafkaProperties.PREFIX, KafkaProperties.class),
                context.getBean(BackendContext.class));
    }

    /** An empty PKCS12 trust store: enough for the producer to build its SSL context from it. */
    private Path trustStore() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        Path file = dir.resolve("trust.p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, STORE_PASSWORD.toCharArray());
        }
        return file;
    }

    /** Builds the real producer from the settings (it loads stores and JAAS now), then closes it. */
    private static void buildProducer(KafkaBackendSettings settings) {
        new KafkaBackend(settings).close();
    }

    @Test
    void springKafkaSslSettingsBecomeProducerSslSettings() throws Exception {
        Path store = trustStore();
        runner().withPropertyValues("spring.kafka.bootstrap-servers=127.0.0.1:" + KafkaTestSupport.freePort(),
                "spring.kafka.security.protocol=SSL",
                "spring.kafka.ssl.trust-store-location=file:" + store,
                "spring.kafka.ssl.trust-store-password=" + STORE_PASSWORD,
                "spring.kafka.ssl.trust-store-type=PKCS12", "spring.kafka.ssl.protocol=TLSv1.3",
                "spring.kafka.producer.ssl.key-password=" + STORE_PASSWORD).run(context -> {
                    assertThat(context).hasNotFailed();
                    KafkaBackendSettings settings = settings(context);
                    assertThat(settings.producerConfig())
                            .containsEntry("ssl.truststore.location", store.toAbsolutePath().toString())
                            .containsEntry("ssl.truststore.password", STORE_PASSWORD)
                            .containsEntry("ssl.truststore.type", "PKCS12").containsEntry("ssl.protocol", "TLSv1.3")
                            .containsEntry("ssl.key.password", STORE_PASSWORD)
                            .containsEntry("security.protocol", "SSL");
                    assertThat(settings.toString()).doesNotContain(STORE_PASSWORD);
                    buildProducer(settings);
                });
    }

    @Test
    void aWrongTrustStorePasswordFailsWhenTheProducerIsBuilt() throws Exception {
        Path store = trustStore();
        runner().withPropertyValues("spring.kafka.bootstrap-servers=127.0.0.1:" + KafkaTestSupport.freePort(),
                "spring.kafka.security.protocol=SSL", "spring.kafka.ssl.trust-store-location=file:" + store,
                "spring.kafka.ssl.trust-store-password=wrong-password").run(context -> {
                    KafkaBackendSettings settings = settings(context);
                    org.assertj.core.api.Assertions.assertThatThrownBy(() -> buildProducer(settings))
                            .hasMessageContaining("Cannot create the Kafka producer");
                });
    }

    @Test
    void anSslBundleReachesTheProducer() throws Exception {
        Path store = trustStore();
        runner().withPropertyValues("spring.kafka.bootstrap-servers=127.0.0.1:" + KafkaTestSupport.freePort(),
                "spring.ssl.bundle.jks.logs.truststore.location=file:" + store,
                "spring.ssl.bundle.jks.logs.truststore.password=" + STORE_PASSWORD,
                "spring.ssl.bundle.jks.logs.truststore.type=PKCS12",
                "spring.kafka.ssl.bundle=logs").run(context -> {
                    assertThat(context).hasNotFailed();
                    KafkaBackendSettings settings = settings(context);
                    assertThat(settings.producerConfig()).containsEntry("ssl.engine.factory.class",
                            SslBundleEngineFactory.class).containsEntry("security.protocol", "SSL")
                            .containsKey(SslBundleEngineFactory.BUNDLE_CONFIG);
                    assertThat(settings.toString()).doesNotContain(STORE_PASSWORD);
                    buildProducer(settings);
                });
    }

    @Test
    void anUnknownSslBundleFailsAtStartupNamingTheProperty() {
        // Settings of a backend are read when it is selected: an unused backend never fails startup.
        runner().withPropertyValues("LOG_BACKENDS=kafka", "spring.kafka.ssl.bundle=missing").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("spring.kafka.ssl.bundle names SSL bundle 'missing'");
        });
    }

    @Test
    void jaasAndSaslSettingsReachTheProducer() throws Exception {
        runner().withPropertyValues("spring.kafka.bootstrap-servers=127.0.0.1:" + KafkaTestSupport.freePort(),
                "spring.kafka.security.protocol=SASL_PLAINTEXT",
                "spring.kafka.properties.sasl.mechanism=PLAIN",
                "spring.kafka.jaas.enabled=true",
                "spring.kafka.jaas.login-module=org.apache.kafka.common.security.plain.PlainLoginModule",
                "spring.kafka.jaas.options.username=logs",
                "spring.kafka.jaas.options.password=" + STORE_PASSWORD).run(context -> {
                    assertThat(context).hasNotFailed();
                    KafkaBackendSettings settings = settings(context);
                    assertThat(settings.producerConfig()).containsEntry("sasl.mechanism", "PLAIN")
                            .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule"
                                    + " required username=\"logs\" password=\"" + STORE_PASSWORD + "\";");
                    assertThat(settings.toString()).doesNotContain(STORE_PASSWORD);
                    buildProducer(settings); // parses the JAAS text and logs in with the plain module
                });
    }

    @Test
    void theRecordKeyDefaultsToNone() {
        runner().run(context -> assertThat(settings(context).key())
                .isEqualTo(KafkaKey.NONE));
    }
}
