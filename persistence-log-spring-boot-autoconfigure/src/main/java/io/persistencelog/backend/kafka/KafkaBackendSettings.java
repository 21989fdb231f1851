package io.persistencelog.backend.kafka;

import io.persistencelog.codec.Secrets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The producer configuration the {@code kafka} backend runs with, resolved by {@link KafkaBackendProvider} from
 * {@link KafkaProperties} and {@code spring.kafka.*}; free of Spring and of kafka-clients types.
 *
 * @param topic topic every entry is written to
 * @param key what becomes the record key
 * @param service service name used as key with {@link KafkaKey#SERVICE} when an entry has no
 *     {@code service} field; may be null
 * @param producerConfig the complete producer configuration (defaults already merged in)
 * @param sendTimeout longest a batch waits for its acknowledgements; null = the producer's
 *     {@code delivery.timeout.ms} plus a margin, so every record's outcome is known when the batch returns
 * @param closeTimeout longest {@code close()} waits for the producer to finish
 * @param maxBatchSize most entries handed to one {@code writeBatch}
 */
public record KafkaBackendSettings(String topic, KafkaKey key, @Nullable String service,
        Map<String, Object> producerConfig, @Nullable Duration sendTimeout, Duration closeTimeout,
        int maxBatchSize) {

    /** Why {@code kafka} cannot run when kafka-clients is missing. */
    public static final String MISSING_CLIENTS_REASON = "kafka-clients is not on the classpath; add "
            + "org.apache.kafka:kafka-clients (or spring-kafka)";
    public static final String DEFAULT_TOPIC = "logs";
    public static final String DEFAULT_BOOTSTRAP_SERVERS = "localhost:9092";
    public static final int DEFAULT_MAX_BATCH_SIZE = 5_000;
    /** Added to {@code delivery.timeout.ms} for the default send timeout. */
    static final Duration SEND_TIMEOUT_MARGIN = Duration.ofSeconds(5);
    /** Kafka's own default of {@code delivery.timeout.ms}. */
    private static final long KAFKA_DEFAULT_DELIVERY_TIMEOUT_MS = 120_000;
    private static final Pattern LEGAL_TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    private static final Pattern SECRET_KEY = Pattern.compile(".*(password|secret|jaas|credential|token|\\.key$).*");

    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String DELIVERY_TIMEOUT_MS = "delivery.timeout.ms";
    public static final String CLIENT_ID = "client.id";

    public KafkaBackendSettings {
        if (topic == null || !LEGAL_TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
            throw new IllegalArgumentException("log-persistence.kafka.topic must be a Kafka topic name (1 to 249 of "
                    + "a-z, A-Z, 0-9, '.', '_', '-') but was '" + topic + "'");
        }
        if (key == null) {
            key = KafkaKey.DEFAULT;
        }
        producerConfig = Collections.unmodifiableMap(new LinkedHashMap<>(producerConfig));
        if (sendTimeout != null && (sendTimeout.isNegative() || sendTimeout.isZero())) {
            throw new IllegalArgumentException("log-persistence.kafka.send-timeout must be positive but was "
                    + sendTimeout);
        }
        if (closeTimeout == null || closeTimeout.isNegative()) {
            closeTimeout = Duration.ZERO;
        }
        if (maxBatchSize <= 0) {
            throw new IllegalArgumentException("log-persistence.kafka.max-batch-size must be greater than 0 but was "
                    + maxBatchSize);
        }
        producerConfig.forEach((name, value) -> {
            if (isSecretKey(name)) {
                Secrets.register(String.valueOf(value));
            }
        });
    }

    /**
     * Producer settings chosen for logs: no duplicates from retries, every replica acknowledges, lz4
     * batches of up to 256 KB, and a short {@code max.block.ms} so a dead broker never holds the backend's
     * thread for long. The user's settings override each of these.
     */
    public static Map<String, Object> producerDefaults() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put(BOOTSTRAP_SERVERS, DEFAULT_BOOTSTRAP_SERVERS);
        d.put("enable.idempotence", "true");
        d.put("acks", "all");
        d.put("compression.type", "lz4");
        d.put("linger.ms", "20");
        d.put("batch.size", String.valueOf(256 * 1024));
        d.put("max.block.ms", "1000");
        d.put("request.timeout.ms", "10000");
        d.put(DELIVERY_TIMEOUT_MS, "30000");
        return d;
    }

    /** Brokers as configured, for display (never holds credentials: those live in other settings). */
    public String bootstrapServers() {
        return Secrets.mask(String.valueOf(producerConfig.getOrDefault(BOOTSTRAP_SERVERS, DEFAULT_BOOTSTRAP_SERVERS)));
    }

    /** How long a batch waits for acknowledgements. */
    public Duration effectiveSendTimeout() {
        Duration configured = sendTimeout;
        return configured != null ? configured : deliveryTimeout().plus(SEND_TIMEOUT_MARGIN);
    }

    /** The producer's {@code delivery.timeout.ms}: after it, Kafka has reported every record's outcome. */
    public Duration deliveryTimeout() {
        Object value = producerConfig.get(DELIVERY_TIMEOUT_MS);
        if (value != null) {
            try {
                return Duration.ofMillis(Long.parseLong(String.valueOf(value).trim()));
            }
            catch (NumberFormatException ex) {
                // The producer rejects it with a clear message when it is built.
            }
        }
        return Duration.ofMillis(KAFKA_DEFAULT_DELIVERY_TIMEOUT_MS);
    }

    /** Whether a producer setting holds a secret (passwords, JAAS config, keys, tokens). */
    public static boolean isSecretKey(String name) {
        return SECRET_KEY.matcher(name.toLowerCase(Locale.ROOT)).matches();
    }

    @Override
    public String toString() {
        Map<String, Object> shown = new LinkedHashMap<>();
        producerConfig.forEach((name, value) -> shown.put(name, isSecretKey(name) ? Secrets.describe(
                String.valueOf(value)) : Secrets.mask(String.valueOf(value))));
        return "KafkaBackendSettings[topic=" + topic + ", key=" + key + ", service=" + service + ", producer="
                + shown + ", sendTimeout=" + effectiveSendTimeout() + ", closeTimeout=" + closeTimeout
                + ", maxBatchSize=" + maxBatchSize + "]";
    }
}
