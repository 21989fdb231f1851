package io.persistencelog.backend.otlp;

import io.persistencelog.codec.Secrets;
import io.persistencelog.http.HostName;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What the {@code otlp} backend needs, fully resolved: every fallback of {@link OtlpProperties} applied, free
 * of Spring and of OpenTelemetry types.
 *
 * @param endpoint where requests go (may hold credentials in its user info; see {@link #safeEndpoint()})
 * @param endpointSource which setting the endpoint came from, for the endpoint view and error texts
 * @param headers headers of every request (values are secrets)
 * @param gzip whether request bodies are gzip-compressed
 * @param timeout longest one request may take
 * @param resource resource attributes of every record ({@code service.name} always set)
 * @param maxRetries retries of one request
 * @param backoff wait before the first retry
 * @param maxBackoff longest wait between two attempts
 * @param batchSize most records per request
 * @param batchWait how long records may wait to fill a request
 */
public record OtlpSettings(URI endpoint, String endpointSource, Map<String, String> headers, boolean gzip,
        Duration timeout, Map<String, String> resource, int maxRetries, Duration backoff, Duration maxBackoff,
        int batchSize, Duration batchWait) {

    public static final String DEFAULT_ENDPOINT = "http://localhost:4318/v1/logs";
    public static final String BOOT_ENDPOINT = "management.opentelemetry.logging.export.otlp.endpoint";
    public static final String BOOT_HEADERS = "management.opentelemetry.logging.export.otlp.headers";
    public static final String BOOT_RESOURCE_ATTRIBUTES = "management.opentelemetry.resource-attributes";
    public static final String DEFAULT_SERVICE_NAME = "unknown_service:java";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    public OtlpSettings {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        resource = Collections.unmodifiableMap(new LinkedHashMap<>(resource));
        headers.values().forEach(Secrets::register);
        String userInfo = endpoint.getRawUserInfo();
        if (userInfo != null) {
            Secrets.register(userInfo);
        }
        // A query may carry a token (some vendors take the key as a parameter): never shown either.
        Secrets.register(endpoint.getRawQuery());
    }

    /**
     * Applies the fallbacks: endpoint from {@code log-persistence.otlp.endpoint}, Boot's
     * {@code management.opentelemetry.logging.export.otlp.endpoint}, {@code OTEL_EXPORTER_OTLP_LOGS_ENDPOINT},
     * {@code OTEL_EXPORTER_OTLP_ENDPOINT} + {@code /v1/logs}, else {@code http://localhost:4318/v1/logs};
     * headers layered from {@code OTEL_EXPORTER_OTLP_HEADERS}, {@code OTEL_EXPORTER_OTLP_LOGS_HEADERS}, Boot's
     * headers and {@code log-persistence.otlp.headers.*} (each winning over the one before); the resource from
     * {@code OTEL_RESOURCE_ATTRIBUTES}, {@code management.opentelemetry.resource-attributes.*} and
     * {@code log-persistence.otlp.resource-attributes.*}, with {@code service.name}, {@code service.version}
     * and {@code host.name} filled in where known.
     *
     * @param properties the bound {@code log-persistence.otlp.*} settings
     * @param property a single setting by exact name (environment variables and other properties); null when unset
     * @param map the entries under a prefix (for Boot's map-valued settings)
     */
    public static OtlpSettings resolve(OtlpProperties properties, Function<String, @Nullable String> property,
            Function<String, Map<String, String>> map) {
        String source;
        String endpoint = text(properties.endpoint());
        if (endpoint != null) {
            source = OtlpProperties.PREFIX + ".endpoint";
        }
        else if ((endpoint = text(property.apply(BOOT_ENDPOINT))) != null) {
            source = BOOT_ENDPOINT;
        }
        else if ((endpoint = text(property.apply("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT"))) != null) {
            source = "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT";
        }
        else if ((endpoint = text(property.apply("OTEL_EXPORTER_OTLP_ENDPOINT"))) != null) {
            source = "OTEL_EXPORTER_OTLP_ENDPOINT";
            endpoint = logsUrl(parseEndpoint(endpoint, source));
        }
        else {
            endpoint = DEFAULT_ENDPOINT;
            source = "default";
        }
        URI uri = parseEndpoint(endpoint, source);
        if (source.startsWith("OTEL_")) {
            requireHttpProtobuf(property, source);
        }

        Map<String, String> headers = new LinkedHashMap<>();
        headers.putAll(sendable(parseList(property.apply("OTEL_EXPORTER_OTLP_HEADERS"), "OTEL_EXPORTER_OTLP_HEADERS"),
                "OTEL_EXPORTER_OTLP_HEADERS"));
        headers.putAll(sendable(parseList(property.apply("OTEL_EXPORTER_OTLP_LOGS_HEADERS"),
                "OTEL_EXPORTER_OTLP_LOGS_HEADERS"), "OTEL_EXPORTER_OTLP_LOGS_HEADERS"));
        headers.putAll(sendable(map.apply(BOOT_HEADERS), BOOT_HEADERS + ".*"));
        headers.putAll(sendable(properties.headers(), OtlpProperties.PREFIX + ".headers.*"));
        headers.values().forEach(Secrets::register);

        String compression = firstText(properties.compression(), property.apply("OTEL_EXPORTER_OTLP_LOGS_COMPRESSION"),
                property.apply("OTEL_EXPORTER_OTLP_COMPRESSION"));
        boolean gzip = compression == null || parseCompression(compression);

        Duration timeout = properties.timeout();
        String timeoutSource = OtlpProperties.PREFIX + ".timeout";
        if (timeout == null) {
            timeoutSource = "OTEL_EXPORTER_OTLP_LOGS_TIMEOUT";
            String millis = text(property.apply(timeoutSource));
            if (millis == null) {
                timeoutSource = "OTEL_EXPORTER_OTLP_TIMEOUT";
                millis = text(property.apply(timeoutSource));
            }
            timeout = millis(millis, timeoutSource);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            // The error names the setting the value came from: the user must find it to fix it.
            throw new IllegalArgumentException(timeoutSource + " must be positive but was " + timeout);
        }

        Map<String, String> resource = new LinkedHashMap<>();
        resource.putAll(parseList(property.apply("OTEL_RESOURCE_ATTRIBUTES"), "OTEL_RESOURCE_ATTRIBUTES"));
        resource.putAll(map.apply(BOOT_RESOURCE_ATTRIBUTES));
        resource.putAll(properties.resourceAttributes());
        String serviceName = firstText(properties.serviceName(), property.apply("OTEL_SERVICE_NAME"),
                resource.get("service.name"), property.apply("spring.application.name"));
        resource.put("service.name", serviceName == null ? DEFAULT_SERVICE_NAME : serviceName);
        String version = property.apply("spring.application.version");
        if (version != null) {
            resource.putIfAbsent("service.version", version);
        }
        resource.computeIfAbsent("host.name", key -> HostName.ofThisMachine());
        return new OtlpSettings(uri, source, headers, gzip, timeout, resource, properties.maxRetries(),
                properties.backoff(), properties.maxBackoff(), properties.batchSize(), properties.batchWait());
    }

    /** The endpoint without user info, query or fragment: safe to show. */
    public String safeEndpoint() {
        return safe(endpoint);
    }

    static String safe(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    private static URI parseEndpoint(String value, String source) {
        URI uri;
        try {
            uri = new URI(value);
        }
        catch (URISyntaxException ex) {
            // Not chained: the parser's message quotes the whole URL, user info and query token included.
            throw new IllegalArgumentException(badEndpoint(source, value) + " (" + ex.getReason() + " at index "
                    + ex.getIndex() + ")");
        }
        String scheme = uri.getScheme();
        if (scheme == null || uri.getHost() == null
                || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
            throw new IllegalArgumentException(badEndpoint(source, value));
        }
        return uri;
    }

    /**
     * An endpoint taken from the standard variables is meant for the protocol they name: a gRPC (or JSON) one
     * would fail every request of this http/protobuf backend, so the start stops saying what to set instead.
     */
    private static void requireHttpProtobuf(Function<String, @Nullable String> property, String endpointSource) {
        String variable = "OTEL_EXPORTER_OTLP_LOGS_PROTOCOL";
        String protocol = text(property.apply(variable));
        if (protocol == null) {
            variable = "OTEL_EXPORTER_OTLP_PROTOCOL";
            protocol = text(property.apply(variable));
        }
        if (protocol != null && !"http/protobuf".equalsIgnoreCase(protocol)) {
            throw new IllegalArgumentException(variable + " is '" + protocol + "', so " + endpointSource
                    + " names an endpoint for that protocol, but the otlp backend speaks http/protobuf only: set "
                    + OtlpProperties.PREFIX + ".endpoint to the collector's OTLP/HTTP logs URL (usually "
                    + "http://<collector>:4318/v1/logs)");
        }
    }

    /**
     * The base URL of all signals with the logs path appended, as the OTLP exporter specification says: to its
     * path, not after a query the base may carry (a vendor's tenant or token parameter).
     */
    private static String logsUrl(URI base) {
        String path = base.getRawPath() == null ? "" : base.getRawPath();
        return base.getScheme() + "://" + base.getRawAuthority() + path + (path.endsWith("/") ? "" : "/") + "v1/logs"
                + (base.getRawQuery() == null ? "" : "?" + base.getRawQuery());
    }

    private static String badEndpoint(String source, String value) {
        return source + " must be an absolute http(s) URL such as http://collector:4318/v1/logs but was '"
                + shown(value) + "'";
    }

    /** A configured endpoint as it may be shown: without user info, query or fragment, masked. */
    static String shown(String value) {
        try {
            return Secrets.mask(safe(URI.create(value.trim())));
        }
        catch (IllegalArgumentException ex) {
            return "<unparseable>";
        }
    }

    private static boolean parseCompression(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "gzip" -> true;
            case "none" -> false;
            default -> throw new IllegalArgumentException(OtlpProperties.PREFIX + ".compression (or "
                    + "OTEL_EXPORTER_OTLP_COMPRESSION) must be gzip or none but was '" + value + "'");
        };
    }

    private static Duration millis(@Nullable String value, String source) {
        if (value == null) {
            return DEFAULT_TIMEOUT;
        }
        try {
            return Duration.ofMillis(Long.parseLong(value.trim()));
        }
        catch (NumberFormatException ex) {
            throw new IllegalArgumentException(source + " must be a number of milliseconds but was '" + value + "'");
        }
    }

    /**
     * {@code key1=value1,key2=value2} with percent-encoded values (W3C Baggage octets), the format of
     * {@code OTEL_EXPORTER_OTLP_HEADERS} and {@code OTEL_RESOURCE_ATTRIBUTES}. The error never quotes a
     * value: header values are secrets.
     */
    static Map<String, String> parseList(@Nullable String value, String variable) {
        Map<String, String> result = new LinkedHashMap<>();
        if (value == null || value.isBlank()) {
            return result;
        }
        for (String part : value.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(variable + " must be a comma-separated list of key=value pairs; "
                        + "an entry has no key or no '='");
            }
            String key = part.substring(0, eq).trim();
            String raw = part.substring(eq + 1).trim();
            try {
                result.put(key, URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
            catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(variable + " has a badly percent-encoded value for '" + key + "'");
            }
        }
        return result;
    }

    /**
     * The headers, checked now by the HTTP client that will send them: a name it restricts (Host,
     * Content-Length, ...) or a name or value it cannot carry (a decoded line break) would otherwise make every
     * request throw. The JDK's message quotes the value, a secret: it is neither shown nor chained.
     */
    private static Map<String, String> sendable(Map<String, String> headers, String setting) {
        for (Map.Entry<String, String> header : headers.entrySet()) {
            try {
                HttpRequest.newBuilder().header(header.getKey(), header.getValue());
            }
            catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(setting + " has a header the HTTP client refuses: '"
                        + Secrets.mask(header.getKey()) + "' is a restricted name (such as Host or Content-Length) or "
                        + "its name or value holds characters a header cannot carry (the value is not shown)");
            }
        }
        return headers;
    }

    private static @Nullable String text(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static @Nullable String firstText(@Nullable String... values) {
        for (String value : values) {
            String t = text(value);
            if (t != null) {
                return t;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "OtlpSettings[endpoint=" + Secrets.mask(safeEndpoint()) + " (from " + endpointSource + "), headers="
                + headers.keySet() + " (values masked), gzip=" + gzip + ", timeout=" + timeout + ", resource="
                + resource + ", maxRetries=" + maxRetries + ", batchSize=" + batchSize + "]";
    }
}
