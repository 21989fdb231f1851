package io.persistencelog.backend.datadog;

import io.persistencelog.engine.EnvironmentSettings;
import io.persistencelog.engine.PipelineSettings;
import io.persistencelog.engine.Secrets;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Settings of the Datadog backend.
 *
 * @param apiKey Datadog API key sent in the {@code DD-API-KEY} header; never shown anywhere
 * @param site Datadog site that picks the intake host, e.g. {@code datadoghq.eu}
 * @param url full intake URL overriding the one derived from the site (proxies, tests); null to use the site
 * @param service value of the {@code service} attribute
 * @param source value of the {@code ddsource} attribute
 * @param tags tags sent as {@code ddtags}, e.g. {@code env:prod}
 * @param hostname value of the {@code hostname} attribute; null to use this machine's name
 * @param connectTimeout how long to wait for a connection to the intake
 * @param requestTimeout how long to wait for the intake's answer to one request
 * @param maxRetries retries of one request after a transient failure (408, 429, 5xx, connection failure)
 * @param backoff wait before the first retry; doubled for each further retry, with jitter
 * @param maxBackoff longest wait between two attempts, also for a server's {@code Retry-After}
 * @param batchWait how long entries may wait to fill a request of up to 1000 entries
 * @param maxValueLength longest string value written; longer ones are cut with a marker
 * @param rejectedPause after Datadog rejected the API key (401, 403), how long nothing is sent before one
 *     request probes again; zero probes with every batch
 */
public record DatadogSettings(String apiKey, String site, @Nullable URI url, String service, String source,
        List<String> tags, @Nullable String hostname, Duration connectTimeout, Duration requestTimeout,
        int maxRetries, Duration backoff, Duration maxBackoff, Duration batchWait, int maxValueLength,
        Duration rejectedPause) {

    public static final String API_KEY_PROPERTY = "log-persistence.datadog.api-key";
    public static final String API_KEY_VARIABLE = "DD_API_KEY";
    public static final String SITE_PROPERTY = "log-persistence.datadog.site";
    public static final String SITE_VARIABLE = "DD_SITE";
    public static final String DEFAULT_SITE = "datadoghq.com";
    /** Datadog's public sites, each with its own intake host {@code http-intake.logs.<site>}. */
    public static final List<String> SITES = List.of("datadoghq.com", "us3.datadoghq.com", "us5.datadoghq.com",
            "datadoghq.eu", "uk1.datadoghq.com", "ap1.datadoghq.com", "ap2.datadoghq.com", "ddog-gov.com",
            "us2.ddog-gov.com");
    public static final String TAGS_VARIABLE = "DD_TAGS";
    public static final String HOSTNAME_VARIABLE = "DD_HOSTNAME";
    public static final Duration DEFAULT_REJECTED_PAUSE = Duration.ofMinutes(5);
    public static final String DEFAULT_SOURCE = "java";
    public static final String DEFAULT_SERVICE = "app";
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_RETRIES = 5;
    public static final Duration DEFAULT_BACKOFF = Duration.ofMillis(500);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);
    public static final Duration DEFAULT_BATCH_WAIT = Duration.ofSeconds(3);

    public DatadogSettings {
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalStateException(missingApiKeyMessage());
        }
        apiKey = apiKey.trim();
        Secrets.register(apiKey);
        site = site == null || site.isBlank() ? DEFAULT_SITE : site.trim().toLowerCase(Locale.ROOT);
        if (url == null && !SITES.contains(site)) {
            throw new IllegalStateException(unknownSiteMessage(site));
        }
        if (url != null && (url.getScheme() == null || url.getHost() == null
                || !("https".equalsIgnoreCase(url.getScheme()) || "http".equalsIgnoreCase(url.getScheme())))) {
            throw new IllegalStateException("log-persistence.datadog.url must be an absolute http(s) URL such as "
                    + "https://http-intake.logs.datadoghq.com/api/v2/logs but was '" + Secrets.mask(url.toString()) + "'");
        }
        service = requireText(service, "log-persistence.datadog.service");
        source = requireText(source, "log-persistence.datadog.source");
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
        if (maxValueLength <= 0) {
            throw new IllegalStateException("log-persistence.max-value-length must be greater than 0");
        }
        rejectedPause = rejectedPause == null ? DEFAULT_REJECTED_PAUSE : rejectedPause;
        requireNonNegative(rejectedPause, "log-persistence.datadog.rejected-pause");
    }

    /** Settings with the default pause after a rejected key. */
    public DatadogSettings(String apiKey, String site, @Nullable URI url, String service, String source,
            List<String> tags, @Nullable String hostname, Duration connectTimeout, Duration requestTimeout,
            int maxRetries, Duration backoff, Duration maxBackoff, Duration batchWait, int maxValueLength) {
        this(apiKey, site, url, service, source, tags, hostname, connectTimeout, requestTimeout, maxRetries, backoff,
                maxBackoff, batchWait, maxValueLength, DEFAULT_REJECTED_PAUSE);
    }

    /** Settings with every default and the given key. */
    public static Builder builder(String apiKey) {
        return new Builder(apiKey);
    }

    /**
     * Reads the settings outside Spring: {@code log-persistence.datadog.*} as system properties or
     * {@code LOG_PERSISTENCE_DATADOG_*} variables, then {@code DD_API_KEY}, {@code DD_SITE}, {@code DD_SERVICE},
     * {@code DD_ENV}, {@code DD_VERSION}, {@code DD_TAGS} and {@code DD_HOSTNAME}.
     */
    public static DatadogSettings fromEnvironment(EnvironmentSettings env, int maxValueLength) {
        String apiKey = firstText(env.get(API_KEY_PROPERTY), env.variable(API_KEY_VARIABLE));
        if (apiKey == null) {
            throw new IllegalStateException(missingApiKeyMessage());
        }
        String url = env.get("log-persistence.datadog.url");
        List<String> tags = withAgentTags(withUnifiedServiceTags(splitTags(env.get("log-persistence.datadog.tags")),
                env.variable("DD_ENV"), env.variable("DD_VERSION")), env.variable(TAGS_VARIABLE));
        return new DatadogSettings(apiKey,
                Objects.requireNonNullElse(firstText(env.get(SITE_PROPERTY), env.variable(SITE_VARIABLE)), DEFAULT_SITE),
                url == null ? null : parseUrl(url),
                Objects.requireNonNullElse(firstText(env.get("log-persistence.datadog.service"),
                        env.variable("DD_SERVICE")), DEFAULT_SERVICE),
                env.get("log-persistence.datadog.source", DEFAULT_SOURCE),
                tags,
                firstText(env.get("log-persistence.datadog.hostname"), env.variable(HOSTNAME_VARIABLE)),
                env.getDuration("log-persistence.datadog.connect-timeout", DEFAULT_CONNECT_TIMEOUT),
                env.getDuration("log-persistence.datadog.request-timeout", DEFAULT_REQUEST_TIMEOUT),
                env.getInt("log-persistence.datadog.max-retries", DEFAULT_MAX_RETRIES),
                env.getDuration("log-persistence.datadog.backoff", DEFAULT_BACKOFF),
                env.getDuration("log-persistence.datadog.max-backoff", DEFAULT_MAX_BACKOFF),
                env.getDuration("log-persistence.datadog.batch-wait", DEFAULT_BATCH_WAIT),
                maxValueLength,
                env.getDuration("log-persistence.datadog.rejected-pause", DEFAULT_REJECTED_PAUSE));
    }

    /** Where requests go: the override, else {@code https://http-intake.logs.<site>/api/v2/logs}. */
    public URI intakeUri() {
        URI override = url;
        return override != null ? override : URI.create("https://http-intake.logs." + site + "/api/v2/logs");
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
        String fromEnv = firstText(System.getenv("HOSTNAME"), System.getenv("COMPUTERNAME"));
        if (fromEnv != null) {
            return fromEnv;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        }
        catch (Exception | Error ex) {
            return "unknown";
        }
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

    private static String requireText(@Nullable String value, String property) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(property + " must not be blank");
        }
        return value.trim();
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
        return "DatadogSettings[apiKey=" + Secrets.describe(apiKey) + ", site=" + site + ", endpoint=" + endpoint()
                + ", service=" + service + ", source=" + source + ", tags=" + tags + ", hostname=" + hostname
                + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout + ", maxRetries="
                + maxRetries + ", backoff=" + backoff + ", maxBackoff=" + maxBackoff + ", batchWait=" + batchWait
                + ", maxValueLength=" + maxValueLength + ", rejectedPause=" + rejectedPause + "]";
    }

    /** Builds settings from the defaults. */
    public static final class Builder {
        private final String apiKey;
        private String site = DEFAULT_SITE;
        private @Nullable URI url;
        private String service = DEFAULT_SERVICE;
        private String source = DEFAULT_SOURCE;
        private List<String> tags = List.of();
        private @Nullable String hostname;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private int maxRetries = DEFAULT_MAX_RETRIES;
        private Duration backoff = DEFAULT_BACKOFF;
        private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
        private Duration batchWait = DEFAULT_BATCH_WAIT;
        private int maxValueLength = PipelineSettings.DEFAULT_MAX_VALUE_LENGTH;
        private Duration rejectedPause = DEFAULT_REJECTED_PAUSE;

        private Builder(String apiKey) {
            this.apiKey = apiKey;
        }

        public Builder site(String value) {
            this.site = value;
            return this;
        }

        public Builder url(@Nullable URI value) {
            this.url = value;
            return this;
        }

        public Builder url(String value) {
            this.url = parseUrl(value);
            return this;
        }

        public Builder service(String value) {
            this.service = value;
            return this;
        }

        public Builder source(String value) {
            this.source = value;
            return this;
        }

        public Builder tags(List<String> value) {
            this.tags = value;
            return this;
        }

        public Builder hostname(@Nullable String value) {
            this.hostname = value;
            return this;
        }

        public Builder connectTimeout(Duration value) {
            this.connectTimeout = value;
            return this;
        }

        public Builder requestTimeout(Duration value) {
            this.requestTimeout = value;
            return this;
        }

        public Builder maxRetries(int value) {
            this.maxRetries = value;
            return this;
        }

        public Builder backoff(Duration value) {
            this.backoff = value;
            return this;
        }

        public Builder maxBackoff(Duration value) {
            this.maxBackoff = value;
            return this;
        }

        public Builder batchWait(Duration value) {
            this.batchWait = value;
            return this;
        }

        public Builder maxValueLength(int value) {
            this.maxValueLength = value;
            return this;
        }

        public Builder rejectedPause(Duration value) {
            this.rejectedPause = value;
            return this;
        }

        public DatadogSettings build() {
            return new DatadogSettings(apiKey, site, url, service, source, tags, hostname, connectTimeout,
                    requestTimeout, maxRetries, backoff, maxBackoff, batchWait, maxValueLength, rejectedPause);
        }

        @Override
        public String toString() {
            return "DatadogSettings.Builder[apiKey=" + Secrets.describe(apiKey) + "]";
        }
    }
}
