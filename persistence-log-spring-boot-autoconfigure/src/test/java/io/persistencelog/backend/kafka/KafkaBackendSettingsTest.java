package io.persistencelog.backend.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.persistencelog.config.SettingsSource;
import io.persistencelog.testing.TestSettings;
import java.time.Duration;
import java.util.Map;
import java.util.LinkedHashMap;
import org.junit.jupiter.api.Test;

class KafkaBackendSettingsTest {

    @Test
    void defaultsAreChosenForLogs() {
        Map<String, Object> d = KafkaBackendSettings.producerDefaults();
        assertThat(d).containsEntry("enable.idempotence", "true").containsEntry("acks", "all")
                .containsEntry("compression.type", "lz4").containsEntry("max.block.ms", "1000")
                .containsEntry("bootstrap.servers", "localhost:9092");
        KafkaBackendSettings settings = new KafkaBackendSettings("logs", KafkaKey.LOGGER, null, d, null,
                Duration.ofSeconds(10), 100);
        assertThat(settings.deliveryTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.effectiveSendTimeout()).isEqualTo(Duration.ofSeconds(35));
    }

    @Test
    void standaloneSettingsComeFromSystemPropertiesAndEnvironment() {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("log-persistence.kafka.topic", "app-logs");
        props.put("log-persistence.kafka.key", "none");
        props.put("log-persistence.kafka.producer.linger.ms", "7");
        props.put("log-persistence.shutdown-timeout", "4s");
        Map<String, String> env = Map.of("SPRING_KAFKA_BOOTSTRAP_SERVERS", "k1:9092,k2:9092",
                "LOG_PERSISTENCE_KAFKA_PRODUCER_COMPRESSION_TYPE", "zstd",
                "LOG_PERSISTENCE_KAFKA_SEND_TIMEOUT", "3s", "SPRING_APPLICATION_NAME", "billing");
        KafkaBackendSettings s = fromEnvironment(props, env);
        assertThat(s.topic()).isEqualTo("app-logs");
        assertThat(s.key()).isEqualTo(KafkaKey.NONE);
        assertThat(s.service()).isEqualTo("billing");
        assertThat(s.producerConfig()).containsEntry("linger.ms", "7").containsEntry("compression.type", "zstd")
                .containsEntry("bootstrap.servers", "k1:9092,k2:9092").containsEntry("acks", "all");
        assertThat(s.effectiveSendTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(s.closeTimeout()).isEqualTo(Duration.ofSeconds(4));

        props.put("log-persistence.kafka.bootstrap-servers", "mine:9092");
        assertThat(fromEnvironment(props, env).bootstrapServers()).isEqualTo("mine:9092");
    }

    @Test
    void anIllegalTopicIsRejectedNamingTheProperty() {
        assertThatThrownBy(() -> new KafkaBackendSettings("bad topic!", KafkaKey.LOGGER, null, Map.of(), null,
                Duration.ZERO, 100)).hasMessageContaining("log-persistence.kafka.topic");
    }

    @Test
    void loopGuardRecognisesTheKafkaClient() {
        assertThat(KafkaLoopGuard.isKafkaClientLogger("org.apache.kafka")).isTrue();
        assertThat(KafkaLoopGuard.isKafkaClientLogger("org.apache.kafka.clients.NetworkClient")).isTrue();
        assertThat(KafkaLoopGuard.isKafkaClientLogger("org.apache.kafkaesque")).isFalse();
        assertThat(KafkaLoopGuard.isKafkaClientLogger("com.example.App")).isFalse();
        assertThat(KafkaLoopGuard.isOwnProducerThread("kafka-producer-network-thread | persistence-log-3")).isTrue();
        assertThat(KafkaLoopGuard.isOwnProducerThread("kafka-producer-network-thread | producer-1")).isFalse();
        assertThat(KafkaLoopGuard.isProducerThread("kafka-producer-network-thread | producer-1")).isTrue();
        assertThat(KafkaLoopGuard.mustNotCapture("com.example.App",
                "kafka-producer-network-thread | persistence-log-1")).isTrue();
        assertThat(KafkaLoopGuard.mustNotCapture("com.example.App", "main")).isFalse();
        assertThat(KafkaLoopGuard.kafkaClientsPresent(getClass().getClassLoader())).isTrue();
    }

    /** As a plain main reads them: system properties and environment variables, through the provider. */
    private static KafkaBackendSettings fromEnvironment(Map<String, String> props, Map<String, String> env) {
        SettingsSource source = TestSettings.source(props, env);
        return KafkaBackendProvider.resolve(source.bind(KafkaProperties.PREFIX, KafkaProperties.class),
                TestSettings.context(source));
    }
}
