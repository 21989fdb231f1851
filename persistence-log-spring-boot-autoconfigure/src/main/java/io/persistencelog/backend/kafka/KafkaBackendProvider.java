package io.persistencelog.backend.kafka;

import io.persistencelog.BackendContext;
import io.persistencelog.BackendProviderSupport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Provides the {@code kafka} backend. It needs only kafka-clients on the classpath (spring-kafka need not be
 * present: {@code spring.kafka.*} is read as plain settings); without it, selecting {@code kafka} is reported
 * as unavailable with the reason.
 */
public final class KafkaBackendProvider extends BackendProviderSupport<KafkaProperties> {

    /** Why {@code kafka} cannot run when kafka-clients is missing. */
    public static final String MISSING_CLIENTS_REASON = "kafka-clients is not on the classpath; add "
            + "org.apache.kafka:kafka-clients (or spring-kafka)";

    public KafkaBackendProvider() {
        // Entries a broker outage kept from Kafka are spooled; the producer's own logging is about the
        // backend's writes, so capturing it would loop.
        super(KafkaBackend.NAME, KafkaProperties.class,
                (settings, context) -> new KafkaBackend(resolve(settings, context), context.maxValueLength()), true,
                List.of(KafkaLoopGuard.CLIENT_LOGGER_PREFIX));
    }

    @Override
    public @Nullable String unavailableReason() {
        // The application's class loader (a Spring context may have its own), else this library's.
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return KafkaLoopGuard.kafkaClientsPresent(loader != null ? loader : KafkaBackendProvider.class.getClassLoader())
                ? null : MISSING_CLIENTS_REASON;
    }

    /**
     * Producer settings, each layer overriding the one before: log-friendly defaults,
     * {@code spring.kafka.properties.*}, {@code spring.kafka.bootstrap-servers} and
     * {@code spring.kafka.security.protocol}, {@code spring.kafka.producer.properties.*},
     * {@code spring.kafka.producer.bootstrap-servers} and {@code .security.protocol},
     * {@code log-persistence.kafka.bootstrap-servers}, {@code log-persistence.kafka.producer.*}. The service
     * defaults to {@code spring.application.name}; closing waits at most {@code log-persistence.shutdown-timeout}.
     */
    public static KafkaBackendSettings resolve(KafkaProperties kafka, BackendContext context) {
        Map<String, Object> config = new LinkedHashMap<>(KafkaBackendSettings.producerDefaults());
        config.putAll(context.mapProperty("spring.kafka.properties"));
        putServers(config, context.listProperty("spring.kafka.bootstrap-servers"));
        putIfSet(config, "security.protocol", context.property("spring.kafka.security.protocol"));
        config.putAll(context.mapProperty("spring.kafka.producer.properties"));
        putServers(config, context.listProperty("spring.kafka.producer.bootstrap-servers"));
        putIfSet(config, "security.protocol", context.property("spring.kafka.producer.security.protocol"));
        List<String> servers = kafka.bootstrapServers();
        if (servers != null) {
            putServers(config, servers);
        }
        // Read through the context as well: it also sees LOG_PERSISTENCE_KAFKA_PRODUCER_* variables.
        config.putAll(context.mapProperty(KafkaProperties.PREFIX + ".producer"));
        config.putAll(kafka.producer());
        String service = kafka.service() != null ? kafka.service() : context.property("spring.application.name");
        return new KafkaBackendSettings(kafka.topic(), kafka.key(), service, config, kafka.sendTimeout(),
                context.shutdownTimeout(), kafka.maxBatchSize());
    }

    private static void putIfSet(Map<String, Object> config, String name, @Nullable String value) {
        if (value != null) {
            config.put(name, value);
        }
    }

    private static void putServers(Map<String, Object> config, List<String> servers) {
        List<String> cleaned = servers.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (!cleaned.isEmpty()) {
            config.put(KafkaBackendSettings.BOOTSTRAP_SERVERS, String.join(",", cleaned));
        }
    }
}
