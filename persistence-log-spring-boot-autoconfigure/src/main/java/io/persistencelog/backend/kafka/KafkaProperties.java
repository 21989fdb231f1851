package io.persistencelog.backend.kafka;

import io.persistencelog.codec.Secrets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Kafka backend ({@code kafka}). Connection settings come from {@code spring.kafka.*} unless set here.
 *
 * @param topic Topic every log entry is written to
 * @param key What becomes the record key: "none" (the default: spread over partitions, best batching, no hot
 *     partition from one noisy logger), "logger" (each logger's entries stay in order) or "service" (the
 *     entry's service field, else the service name)
 * @param service Service name used as key with key=service when an entry has no "service" field; defaults
 *     to spring.application.name
 * @param bootstrapServers Brokers to connect to, overriding spring.kafka.bootstrap-servers (which defaults
 *     to localhost:9092)
 * @param producer Kafka producer settings, e.g. "linger.ms" or "sasl.jaas.config", overriding both the
 *     log-friendly defaults and spring.kafka.properties / spring.kafka.producer.properties
 * @param sendTimeout Longest a batch waits for its acknowledgements; by default the producer's
 *     delivery.timeout.ms plus 5s, so every record's outcome is known when the batch is counted
 * @param maxBatchSize Most entries handed to the producer before waiting for their acknowledgements
 */
@ConfigurationProperties(KafkaProperties.PREFIX)
public record KafkaProperties(
        @DefaultValue(KafkaBackendSettings.DEFAULT_TOPIC) String topic,
        @DefaultValue("none") KafkaKey key,
        @Nullable String service,
        @Nullable List<String> bootstrapServers,
        @Nullable Map<String, String> producer,
        @Nullable Duration sendTimeout,
        @DefaultValue("5000") int maxBatchSize) {

    public static final String PREFIX = "log-persistence.kafka";

    public KafkaProperties {
        producer = producer == null ? Map.of() : Map.copyOf(producer);
        if (sendTimeout != null && (sendTimeout.isNegative() || sendTimeout.isZero())) {
            throw new IllegalArgumentException("log-persistence.kafka.send-timeout must be positive but was "
                    + sendTimeout);
        }
        if (maxBatchSize <= 0) {
            throw new IllegalArgumentException("log-persistence.kafka.max-batch-size must be greater than 0 but was "
                    + maxBatchSize);
        }
    }

    /** Producer overrides; never null. */
    @Override
    public Map<String, String> producer() {
        Map<String, String> p = producer;
        return p == null ? Map.of() : p;
    }

    @Override
    public String toString() {
        Map<String, String> shown = new LinkedHashMap<>();
        producer().forEach((name, value) -> shown.put(name, KafkaBackendSettings.isSecretKey(name)
                ? Secrets.describe(value) : value));
        return "KafkaProperties[topic=" + topic + ", key=" + key + ", service=" + service
                + ", bootstrapServers=" + bootstrapServers + ", producer=" + shown + ", sendTimeout=" + sendTimeout
                + ", maxBatchSize=" + maxBatchSize + "]";
    }
}
