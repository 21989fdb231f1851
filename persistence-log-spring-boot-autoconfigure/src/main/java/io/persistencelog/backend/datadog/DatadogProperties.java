package io.persistencelog.backend.datadog;

import io.persistencelog.codec.Secrets;
import io.persistencelog.http.HostName;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Datadog backend ({@code datadog} in LOG_BACKENDS / log-persistence.backends). Datadog's own variables
 * ({@code DD_API_KEY}, {@code DD_SITE}, {@code DD_SERVICE}, {@code DD_ENV}, {@code DD_VERSION}) fill what is
 * unset, in {@link #withFallbacks}, the one place they are read.
 *
 * @param apiKey Datadog API key; when unset, the DD_API_KEY environment variable is used. Required when the
 *     datadog backend is selected; never shown in logs, the endpoint or exceptions
 * @param site Datadog site whose intake receives the logs: datadoghq.com, us3.datadoghq.com,
 *     us5.datadoghq.com, datadoghq.eu, uk1.datadoghq.com, ap1.datadoghq.com, ap2.datadoghq.com, ddog-gov.com or
 *     us2.ddog-gov.com; when unset, the DD_SITE environment variable, else datadoghq.com
 * @param url Full intake URL, overriding the one derived from the site (a proxy, a test server)
 * @param service Value of the service attribute of every log; when unset, DD_SERVICE, else
 *     spring.application.name, else "app"
 * @param source Value of the ddsource attribute of every log, which picks Datadog's integration pipeline
 * @param tags Tags added to every log (ddtags), e.g. "env:prod,team:payments"; env and version are added
 *     from DD_ENV and DD_VERSION, and the tags of DD_TAGS, when their keys are not listed
 * @param hostname Value of the hostname attribute of every log; when unset, DD_HOSTNAME, else this machine's
 *     name
 * @param connectTimeout How long to wait for a connection to the intake
 * @param requestTimeout How long to wait for the intake's answer to one request
 * @param maxRetries How often one request is retried after a 408, 429, 5xx or a connection failure; 0 never
 *     retries
 * @param backoff Wait before the first retry, doubled for each further retry, with jitter
 * @param maxBackoff Longest wait between two attempts; also caps a server's Retry-After
 * @param batchWait How long logs may wait to fill a request of up to 1000 logs before it is sent anyway
 * @param rejectedPause After Datadog rejected the API key (401, 403), how long nothing is sent before one request
 *     probes again; 0 probes with every batch
 */
@ConfigurationProperties(DatadogProperties.PREFIX)
public record DatadogProperties(
        @Nullable String apiKey,
        @Nullable String site,
        @Nullable URI url,
        @Nullable String service,
        @DefaultValue("java") String source,
        @DefaultValue List<String> tags,
        @Nullable String hostname,
        // timeouts of one request; then its retries; then batching
        @DefaultValue("5s") Duration connectTimeout, @DefaultValue("10s") Duration requestTimeout,
        @DefaultValue("5") int maxRetries, @DefaultValue("500ms") Duration backoff, @DefaultValue("30s") Duration maxBackoff,
        @DefaultValue("3s") Duration batchWait,
        @DefaultValue("5m") Duration rejectedPause) {

    public static final String PREFIX = "log-persistence.datadog";
    public static final String API_KEY_PROPERTY = "log-persistence.datadog.api-key";
    public static final String API_KEY_VARIABLE = "DD_API_KEY";
    public static final String SITE_PROPERTY = "log-persistence.datadog.site";
    public static final String SITE_VARIABLE = "DD_SITE";
    public static final String DEFAULT_SITE = "datadoghq.com";
    /** Datadog's public sites, each with its own intake host. */
    public static final List<String> SITES = List.of("datadoghq.com", "us3.datadoghq.com", "us5.datadoghq.com",
            "datadoghq.eu", "uk1.datadoghq.com", "ap1.datadoghq.com", "ap2.datadoghq.com", "ddog-gov.com",
            "us2.ddog-gov.com");
    public static final String TAGS_VARIABLE = "DD_TAGS";
    public static final String HOSTNAME_VARIABLE = "DD_HOSTNAME";
    public static final String DEFAULT_SERVICE = "app";

    public DatadogProperties {
        // Key, site and service may be unset here: withFallbacks fills them from Datadog's variables.
        apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.trim();
        Secrets.register(apiKey);
        site = site == null || site.isBlank() ? null : site.trim().toLowerCase(Locale.ROOT);
        if (url == null && site != null && !SITES.contains(site)) {
            throw new IllegalStateException(unknownSiteMessage(site));
        }
        if (url != null && (url.getScheme() == null || url.getHost() == null
                || !("https".equalsIgnoreCase(url.getScheme()) || "http".equalsIgnoreCase(url.getScheme())))) {
            throw new IllegalStateException("log-persistence.datadog.url must be an absolute http(s) URL such as "
                    + "https://http-intake.logs.datadoghq.com/api/v2/logs but was '" + Secrets.mask(url.toString()) + "'");
        }
        service = service == null || service.isBlank() ? null : service.trim();
        if (source == null || source.isBlank()) {
            throw new IllegalStateException("log-persistence.datadog.source must not be blank");
        }
        source = source.trim();
        tags = cleanTags(tags);
        hostname = hostname == null || hostname.isBlank() ? null : hostname.trim();
        requirePositive(connectTimeout, "log-persistence.datadog.connect-timeout");
        requirePositive(requestTimeout, "log-persistence.datadog.request-timeout");
        if (maxRetries < 0) {
            throw new IllegalStateException("log-persistence.datadog.max-retries must be 0 or more but was "
                    + maxRetries);
        }
        requireNonNegative(backoff, "log-persistence.datadog.backoff");
        requireNonNegative(maxBackoff, "log-persistence.datadog.max-backoff");
        if (maxBackoff.compareTo(backoff) < 0) {
            throw new IllegalStateException("log-persistence.datadog.max-backoff (" + maxBackoff
                    + ") must not be shorter than log-persistence.datadog.backoff (" + backoff + ")");
        }
        requireNonNegative(batchWait, "log-persistence.datadog.batch-wait");
        requireNonNegative(rejectedPause, "log-persistence.datadog.rejected-pause");
    }

    /** Every default (the binding of an empty configuration) with the given key, site and service. */
    public static DatadogProperties of(String apiKey, String site, String service) {
        DatadogProperties d = new org.springframework.boot.context.properties.bind.Binder().bindOrCreate(PREFIX,
                DatadogProperties.class);
        return new DatadogProperties(apiKey, site, d.url, service, d.source, d.tags, d.hostname, d.connectTimeout,
                d.requestTimeout, d.maxRetries, d.backoff, d.maxBackoff, d.batchWait, d.rejectedPause);
    }

    /**
     * These settings with what is unset taken from Datadog's own variables, looked up by exact name:
     * {@code DD_API_KEY}, {@code DD_SITE} (else datadoghq.com), {@code DD_SERVICE} (else
     * {@code spring.application.name}, else "app"), {@code DD_HOSTNAME}, and {@code DD_ENV} / {@code DD_VERSION}
     * / {@code DD_TAGS} as tags. Throws, naming the variable and the property, when no API key is set at all.
     */
    public DatadogProperties withFallbacks(Function<String, @Nullable String> variables) {
        String key = firstText(apiKey, variables.apply(API_KEY_VARIABLE));
        if (key == null) {
            throw new IllegalStateException(missingApiKeyMessage());
        }
        String resolvedSite = Objects.requireNonNullElse(firstText(site, variables.apply(SITE_VARIABLE)), DEFAULT_SITE);
        String resolvedService = Objects.requireNonNullElse(firstText(service, firstText(variables.apply("DD_SERVICE"),
                variables.apply("spring.application.name"))), DEFAULT_SERVICE);
        List<String> resolvedTags = withAgentTags(withUnifiedServiceTags(tags, variables.apply("DD_ENV"),
                variables.apply("DD_VERSION")), variables.apply(TAGS_VARIABLE));
        return new DatadogProperties(key, resolvedSite, url, resolvedService, source, resolvedTags,
                firstText(hostname, variables.apply(HOSTNAME_VARIABLE)), connectTimeout, requestTimeout, maxRetries,
                backoff, maxBackoff, batchWait, rejectedPause);
    }

    /** The API key; throws the "no key" message when it is unset. */
    public String requiredApiKey() {
        String key = apiKey;
        if (key == null) {
            throw new IllegalStateException(missingApiKeyMessage());
        }
        return key;
    }

    /** The site, datadoghq.com when unset. */
    public String siteOrDefault() {
        String s = site;
        return s == null ? DEFAULT_SITE : s;
    }

    /** The service, "app" when unset. */
    public String serviceOrDefault() {
        String s = service;
        return s == null ? DEFAULT_SERVICE : s;
    }

    /** Where requests go: the override, else {@code https://http-intake.logs.<site>/api/v2/logs}. */
    public URI intakeUri() {
        URI override = url;
        return override != null ? override : URI.create("https://http-intake.logs." + siteOrDefault() + "/api/v2/logs");
    }

    /** The intake URL without user info or query, safe to show. */
    public String endpoint() {
        URI uri = intakeUri();
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    /** The configured host name, else this machine's ({@code HOSTNAME}, then the resolver's answer). */
    public String resolvedHostname() {
        String configured = hostname;
        if (configured != null) {
            return configured;
        }
        return HostName.ofThisMachine();
    }

    /** {@code ddtags}: the tags joined with commas. */
    public String ddtags() {
        return String.join(",", tags);
    }

    public static String missingApiKeyMessage() {
        return "The 'datadog' log backend is selected (LOG_BACKENDS / log-persistence.backends) but no Datadog API "
                + "key is set: set the " + API_KEY_VARIABLE + " environment variable or the " + API_KEY_PROPERTY
                + " property to an API key of your Datadog organization.";
    }

    public static String unknownSiteMessage(String site) {
        return "Unknown Datadog site '" + Secrets.mask(site) + "' in " + SITE_PROPERTY + " / " + SITE_VARIABLE
                + "; use one of " + String.join(", ", SITES)
                + ", or set log-persistence.datadog.url to the full intake URL.";
    }

    /** Adds {@code env:<DD_ENV>} and {@code version:<DD_VERSION>} unless tags of those keys are already there. */
    public static List<String> withUnifiedServiceTags(List<String> tags, @Nullable String env,
            @Nullable String version) {
        List<String> all = new ArrayList<>(cleanTags(tags));
        addUnlessPresent(all, "env", env);
        addUnlessPresent(all, "version", version);
        return all;
    }

    /**
     * Adds the tags of {@code DD_TAGS} (Datadog's variable: {@code key:value} pairs separated by spaces or
     * commas) whose key is not already set by the configured tags.
     */
    public static List<String> withAgentTags(List<String> tags, @Nullable String ddTags) {
        List<String> all = new ArrayList<>(cleanTags(tags));
        if (ddTags != null) {
            for (String tag : ddTags.trim().split("[\\s,]+")) {
                if (tag.isEmpty()) {
                    continue;
                }
                int colon = tag.indexOf(':');
                String key = colon < 0 ? tag : tag.substring(0, colon);
                boolean present = false;
                for (String existing : all) {
                    if (existing.equals(key) || existing.startsWith(key + ":")) {
                        present = true;
                        break;
                    }
                }
                if (!present) {
                    all.add(tag);
                }
            }
        }
        return all;
    }

    /** Splits {@code "env:prod, team:core"} into tags. */
    public static List<String> splitTags(@Nullable String text) {
        List<String> tags = new ArrayList<>();
        if (text != null) {
            for (String part : text.split(",")) {
                if (!part.isBlank()) {
                    tags.add(part.trim());
                }
            }
        }
        return tags;
    }

    public static URI parseUrl(String text) {
        try {
            return new URI(text.trim());
        }
        catch (java.net.URISyntaxException ex) {
            throw new IllegalStateException("log-persistence.datadog.url is not a valid URL: '"
                    + Secrets.mask(text) + "'");
        }
    }

    private static void addUnlessPresent(List<String> tags, String key, @Nullable String value) {
        if (value == null || value.isBlank()) {
            return;
        }
        for (String tag : tags) {
            if (tag.startsWith(key + ":")) {
                return;
            }
        }
        tags.add(key + ":" + value.trim());
    }

    private static List<String> cleanTags(@Nullable List<String> tags) {
        List<String> cleaned = new ArrayList<>();
        if (tags != null) {
            for (String tag : tags) {
                // A tag holding a comma would become two tags in ddtags.
                cleaned.addAll(splitTags(tag));
            }
        }
        return List.copyOf(cleaned);
    }

    private static @Nullable String firstText(@Nullable String first, @Nullable String second) {
        if (first != null && !first.isBlank()) {
            return first.trim();
        }
        return second != null && !second.isBlank() ? second.trim() : null;
    }

    private static void requirePositive(Duration value, String property) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalStateException(property + " must be longer than 0 but was " + value);
        }
    }

    private static void requireNonNegative(Duration value, String property) {
        if (value.isNegative()) {
            throw new IllegalStateException(property + " must not be negative but was " + value);
        }
    }

    @Override
    public String toString() {
        return "DatadogProperties[apiKey=" + Secrets.describe(apiKey) + ", site=" + site + ", endpoint=" + endpoint()
                + ", service=" + service + ", source=" + source + ", tags=" + tags + ", hostname=" + hostname
                + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout + ", maxRetries="
                + maxRetries + ", backoff=" + backoff + ", maxBackoff=" + maxBackoff + ", batchWait=" + batchWait
                + ", rejectedPause=" + rejectedPause + "]";
    }
}
