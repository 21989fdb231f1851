package io.persistencelog.backend.otlp;

import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * OpenTelemetry backend ({@code otlp} in LOG_BACKENDS / log-persistence.backends): logs sent as OTLP/HTTP
 * protobuf. What is unset here comes from Spring Boot's {@code management.opentelemetry.*} settings and the
 * standard {@code OTEL_*} variables, resolved in {@link OtlpSettings#resolve}, the one place they are read.
 *
 * @param endpoint Full URL of the OTLP logs endpoint, e.g. http://collector:4318/v1/logs; when unset,
 *     management.opentelemetry.logging.export.otlp.endpoint, then OTEL_EXPORTER_OTLP_LOGS_ENDPOINT, then
 *     OTEL_EXPORTER_OTLP_ENDPOINT + /v1/logs, else http://localhost:4318/v1/logs
 * @param headers Headers sent with every request (e.g. Authorization); they win over
 *     management.opentelemetry.logging.export.otlp.headers, OTEL_EXPORTER_OTLP_LOGS_HEADERS and
 *     OTEL_EXPORTER_OTLP_HEADERS. Values are secrets: never shown in logs, the endpoint or exceptions
 * @param compression Compression of request bodies: gzip or none; when unset,
 *     OTEL_EXPORTER_OTLP_LOGS_COMPRESSION / OTEL_EXPORTER_OTLP_COMPRESSION, else gzip
 * @param timeout How long one request may take, connecting included; when unset,
 *     OTEL_EXPORTER_OTLP_LOGS_TIMEOUT / OTEL_EXPORTER_OTLP_TIMEOUT (milliseconds), else 10s
 * @param serviceName Resource attribute service.name; when unset, OTEL_SERVICE_NAME, then service.name in the
 *     resource attributes, then spring.application.name, else unknown_service:java
 * @param resourceAttributes Resource attributes of every log (e.g. deployment.environment.name: prod); they
 *     win over management.opentelemetry.resource-attributes and OTEL_RESOURCE_ATTRIBUTES
 * @param maxRetries How often one request is retried after a 429, 502, 503, 504 or a connection failure; 0
 *     never retries
 * @param backoff Wait before the first retry, doubled for each further retry, with jitter
 * @param maxBackoff Longest wait between two attempts; also caps a server's Retry-After
 * @param batchSize Most logs in one request
 * @param batchWait How long logs may wait to fill a request before it is sent anyway
 */
@ConfigurationProperties(OtlpProperties.PREFIX)
public record OtlpProperties(
        @Nullable String endpoint,
        @DefaultValue Map<String, String> headers,
        @Nullable String compression,
        @Nullable Duration timeout,
        @Nullable String serviceName,
        @DefaultValue Map<String, String> resourceAttributes,
        @DefaultValue("5") int maxRetries,
        @DefaultValue("1s") Duration backoff,
        @DefaultValue("30s") Duration maxBackoff,
        @DefaultValue("512") int batchSize,
        @DefaultValue("1s") Duration batchWait) {

    public static final String PREFIX = "log-persistence.otlp";

    public OtlpProperties {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        resourceAttributes = resourceAttributes == null ? Map.of() : Map.copyOf(resourceAttributes);
        if (maxRetries < 0) {
            throw new IllegalArgumentException(PREFIX + ".max-retries must be 0 or more but was " + maxRetries);
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException(PREFIX + ".batch-size must be greater than 0 but was " + batchSize);
        }
        if (backoff == null || backoff.isNegative()) {
            throw new IllegalArgumentException(PREFIX + ".backoff must not be negative but was " + backoff);
        }
        if (maxBackoff == null || maxBackoff.compareTo(backoff) < 0) {
            throw new IllegalArgumentException(PREFIX + ".max-backoff (" + maxBackoff
                    + ") must not be shorter than " + PREFIX + ".backoff (" + backoff + ")");
        }
        if (batchWait == null || batchWait.isNegative()) {
            throw new IllegalArgumentException(PREFIX + ".batch-wait must not be negative but was " + batchWait);
        }
    }

    /** Settings with every default, as when nothing is configured. */
    public static OtlpProperties defaults() {
        return new OtlpProperties(null, Map.of(), null, null, null, Map.of(), 5, Duration.ofSeconds(1),
                Duration.ofSeconds(30), 512, Duration.ofSeconds(1));
    }

    /** A copy with another endpoint. */
    public OtlpProperties withEndpoint(@Nullable String value) {
        return new OtlpProperties(value, headers, compression, timeout, serviceName, resourceAttributes, maxRetries,
                backoff, maxBackoff, batchSize, batchWait);
    }

    @Override
    public String toString() {
        // The URL may carry credentials (user info) or a token (query): shown without them, like everywhere else.
        return "OtlpProperties[endpoint=" + (endpoint == null ? null : OtlpSettings.shown(endpoint)) + ", headers=" + headers.keySet() + " (values masked)"
                + ", compression=" + compression + ", timeout=" + timeout + ", serviceName=" + serviceName
                + ", resourceAttributes=" + resourceAttributes + ", maxRetries=" + maxRetries + ", backoff="
                + backoff + ", maxBackoff=" + maxBackoff + ", batchSize=" + batchSize + ", batchWait=" + batchWait
                + "]";
    }
}
