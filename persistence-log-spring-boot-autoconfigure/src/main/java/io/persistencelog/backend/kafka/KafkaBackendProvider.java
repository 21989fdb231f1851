package io.persistencelog.backend.kafka;

import io.persistencelog.BackendContext;
import io.persistencelog.BackendProviderSupport;
import io.persistencelog.LogBackend;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Objects;
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

    /** Turns a Spring Boot SSL bundle into producer settings; only a Spring application has bundles. */
    @FunctionalInterface
    public interface SslBundleSettings {
        /** The producer settings of the bundle {@code bundle} named by {@code property}; throws naming both. */
        Map<String, Object> producerSettings(String property, String bundle);
    }

    private final @Nullable SslBundleSettings sslBundles;

    /** As service-loaded: without SSL bundles (a bundle named in the settings fails with the reason). */
    public KafkaBackendProvider() {
        this(null);
    }

    public KafkaBackendProvider(@Nullable SslBundleSettings sslBundles) {
        // Entries a broker outage kept from Kafka are spooled; the producer's own logging is about the
        // backend's writes, so capturing it would loop.
        super(KafkaBackend.NAME, KafkaProperties.class, true, List.of(KafkaLoopGuard.CLIENT_LOGGER_PREFIX));
        this.sslBundles = sslBundles;
    }

    @Override
    public LogBackend create(KafkaProperties settings, BackendContext context) {
        return new KafkaBackend(settings(settings, context), context.maxValueLength());
    }

    @Override
    public @Nullable String unavailableReason() {
        // The application's class loader (a Spring context may have its own), else this library's.
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return KafkaLoopGuard.kafkaClientsPresent(loader != null ? loader : KafkaBackendProvider.class.getClassLoader())
                ? null : MISSING_CLIENTS_REASON;
    }

    /** The producer settings without SSL bundles (see {@link #settings}). */
    public static KafkaBackendSettings resolve(KafkaProperties kafka, BackendContext context) {
        return new KafkaBackendProvider().settings(kafka, context);
    }

    /**
     * Producer settings, each layer overriding the one before: log-friendly defaults,
     * {@code spring.kafka.jaas.*} (as the client's own {@code sasl.jaas.config}),
     * {@code spring.kafka.properties.*} (so {@code sasl.*} too), {@code spring.kafka.bootstrap-servers},
     * {@code spring.kafka.security.protocol} and {@code spring.kafka.ssl.*},
     * {@code spring.kafka.producer.properties.*}, {@code spring.kafka.producer.bootstrap-servers},
     * {@code .security.protocol} and {@code .ssl.*}, {@code log-persistence.kafka.bootstrap-servers},
     * {@code log-persistence.kafka.producer.*}. An SSL bundle ({@code spring.kafka.ssl.bundle}) is used as
     * Spring Boot's own Kafka producers do. The service defaults to {@code spring.application.name}; closing
     * waits at most {@code log-persistence.shutdown-timeout}.
     */
    public KafkaBackendSettings settings(KafkaProperties kafka, BackendContext context) {
        Map<String, Object> config = new LinkedHashMap<>(KafkaBackendSettings.producerDefaults());
        putJaas(context, config);
        config.putAll(context.mapProperty("spring.kafka.properties"));
        putServers(config, context.listProperty("spring.kafka.bootstrap-servers"));
        putIfSet(config, "security.protocol", context.property("spring.kafka.security.protocol"));
        putSsl(context, "spring.kafka.ssl", config);
        config.putAll(context.mapProperty("spring.kafka.producer.properties"));
        putServers(config, context.listProperty("spring.kafka.producer.bootstrap-servers"));
        putIfSet(config, "security.protocol", context.property("spring.kafka.producer.security.protocol"));
        putSsl(context, "spring.kafka.producer.ssl", config);
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

    /** Spring Boot's JAAS settings, as this client's own {@code sasl.jaas.config} (Boot sets them JVM-wide). */
    private static void putJaas(BackendContext context, Map<String, Object> config) {
        if (!"true".equalsIgnoreCase(context.property("spring.kafka.jaas.enabled"))) {
            return;
        }
        String module = Objects.requireNonNullElse(context.property("spring.kafka.jaas.login-module"),
                "com.sun.security.auth.module.Krb5LoginModule");
        String flag = Objects.requireNonNullElse(context.property("spring.kafka.jaas.control-flag"), "required")
                .toLowerCase(Locale.ROOT);
        StringBuilder jaas = new StringBuilder(module).append(' ').append(flag);
        context.mapProperty("spring.kafka.jaas.options").forEach((name, value) -> jaas.append(' ').append(name)
                .append("=\"").append(value.replace("\\", "\\\\").replace("\"", "\\\"")).append('"'));
        config.put("sasl.jaas.config", jaas.append(';').toString());
    }

    /** Spring Boot's {@code <prefix>.*} SSL settings (or its SSL bundle) as producer settings. */
    private void putSsl(BackendContext context, String prefix, Map<String, Object> config) {
        String bundle = context.property(prefix + ".bundle");
        if (bundle != null) {
            SslBundleSettings bundles = sslBundles;
            if (bundles == null) {
                throw new IllegalStateException(prefix + ".bundle=" + bundle + " is set but no SSL bundles are "
                        + "configured; define spring.ssl.bundle.*." + bundle + " or remove " + prefix + ".bundle");
            }
            config.putAll(bundles.producerSettings(prefix + ".bundle", bundle));
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
        names.forEach((property, kafkaName) -> putIfSet(config, kafkaName, context.property(prefix + "." + property)));
        String keyStore = context.property(prefix + ".key-store-location");
        if (keyStore != null) {
            config.put("ssl.keystore.location", filePath(prefix + ".key-store-location", keyStore));
        }
        String trustStore = context.property(prefix + ".trust-store-location");
        if (trustStore != null) {
            config.put("ssl.truststore.location", filePath(prefix + ".trust-store-location", trustStore));
        }
    }

    /** A store location as Kafka needs it: a file path ({@code classpath:} and {@code file:} resolved). */
    static String filePath(String property, String location) {
        String l = location.trim();
        try {
            if (l.startsWith("classpath:")) {
                String resource = l.substring("classpath:".length()).replaceFirst("^/", "");
                ClassLoader loader = Thread.currentThread().getContextClassLoader();
                URL url = (loader != null ? loader : KafkaBackendProvider.class.getClassLoader()).getResource(resource);
                if (url == null || !"file".equals(url.getProtocol())) {
                    throw new IllegalArgumentException("not a file on disk");
                }
                return Path.of(url.toURI()).toAbsolutePath().toString();
            }
            Path path = l.startsWith("file:") ? Path.of(URI.create(l)) : Path.of(l);
            return path.toAbsolutePath().toString();
        }
        catch (RuntimeException | URISyntaxException ex) {
            throw new IllegalStateException(property + " must name a file Kafka can read (file:/path or a "
                    + "classpath: resource unpacked on disk) but was '" + location + "'", ex);
        }
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
