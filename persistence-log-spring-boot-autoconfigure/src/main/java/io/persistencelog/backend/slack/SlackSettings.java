package io.persistencelog.backend.slack;

import io.persistencelog.LogLevel;
import io.persistencelog.engine.EnvironmentSettings;
import io.persistencelog.codec.Secrets;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Settings of the Slack backend. {@link #toString()} never shows the webhook URL.
 *
 * @param webhookUrl the incoming webhook, e.g. {@code https://hooks.slack.com/services/T.../B.../...}; a
 *     secret
 * @param minLevel lowest level sent to Slack; lower entries are counted as filtered
 * @param burstWindow how long the backend gathers entries after the first one before posting, so a burst
 *     becomes one message
 * @param minInterval least time between two requests to the webhook (Slack allows about one a second)
 * @param topMessages most distinct messages listed in one Slack message
 * @param connectTimeout TCP/TLS connect timeout
 * @param requestTimeout time allowed for Slack to answer one request
 * @param maxRetries retries of one message after a 429, a 5xx or a network error before it counts as failed
 * @param maxRetryWait longest wait before a retry, whatever Slack's {@code Retry-After} says
 * @param rejectedPause how long nothing is sent after Slack said the webhook is revoked or unknown (403, 404,
 *     410); alerts in that time count as failed without a request
 * @param textPrefix text put before every summary, e.g. {@code ":rotating_light: *checkout*"} or
 *     {@code "<!here>"}; may be empty
 */
public record SlackSettings(String webhookUrl, LogLevel minLevel, Duration burstWindow, Duration minInterval,
        int topMessages, Duration connectTimeout, Duration requestTimeout, int maxRetries, Duration maxRetryWait,
        Duration rejectedPause, String textPrefix) {

    /** The environment variable read when the property is not set. */
    public static final String WEBHOOK_VARIABLE = "SLACK_WEBHOOK_URL";
    public static final String WEBHOOK_PROPERTY = "log-persistence.slack.webhook-url";
    /** Slack renders at most 50 blocks; the summary and the "more" line take two. */
    public static final int MAX_TOP_MESSAGES = 20;

    public static final LogLevel DEFAULT_MIN_LEVEL = LogLevel.ERROR;
    public static final Duration DEFAULT_BURST_WINDOW = Duration.ofSeconds(2);
    public static final Duration DEFAULT_MIN_INTERVAL = Duration.ofSeconds(1);
    public static final int DEFAULT_TOP_MESSAGES = 5;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_RETRIES = 5;
    public static final Duration DEFAULT_MAX_RETRY_WAIT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_REJECTED_PAUSE = Duration.ofMinutes(5);

    public SlackSettings {
        Secrets.register(webhookUrl);
        validateWebhook(webhookUrl);
        requireNonNegative(burstWindow, "burst-window");
        requireNonNegative(minInterval, "min-interval");
        requirePositive(connectTimeout, "connect-timeout");
        requirePositive(requestTimeout, "request-timeout");
        requireNonNegative(maxRetryWait, "max-retry-wait");
        requireNonNegative(rejectedPause, "rejected-pause");
        if (topMessages < 1 || topMessages > MAX_TOP_MESSAGES) {
            throw new IllegalArgumentException("log-persistence.slack.top-messages must be between 1 and "
                    + MAX_TOP_MESSAGES + " but was " + topMessages);
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException("log-persistence.slack.max-retries must be 0 or more but was "
                    + maxRetries);
        }
    }

    /** Defaults for everything but the webhook. */
    public static SlackSettings of(String webhookUrl) {
        return new SlackSettings(webhookUrl, DEFAULT_MIN_LEVEL, DEFAULT_BURST_WINDOW, DEFAULT_MIN_INTERVAL,
                DEFAULT_TOP_MESSAGES, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT, DEFAULT_MAX_RETRIES,
                DEFAULT_MAX_RETRY_WAIT, DEFAULT_REJECTED_PAUSE, "");
    }

    /**
     * The webhook from the property, else from {@code SLACK_WEBHOOK_URL}; throws with a message naming both
     * when neither is set. Called only when the backend is selected.
     */
    public static String requireWebhook(@Nullable String property, @Nullable String variable) {
        String url = property != null && !property.isBlank() ? property.trim()
                : variable != null && !variable.isBlank() ? variable.trim() : null;
        if (url == null) {
            throw new IllegalStateException("The 'slack' log backend is selected but no webhook URL is set: set the "
                    + WEBHOOK_VARIABLE + " environment variable or the " + WEBHOOK_PROPERTY
                    + " property, or remove 'slack' from LOG_BACKENDS / log-persistence.backends");
        }
        Secrets.register(url);
        return url;
    }

    /** Settings outside Spring: system properties or environment variables, plus {@code SLACK_WEBHOOK_URL}. */
    public static SlackSettings fromEnvironment(EnvironmentSettings env) {
        String url = requireWebhook(env.get(WEBHOOK_PROPERTY), env.variable(WEBHOOK_VARIABLE));
        return new SlackSettings(url,
                env.getEnum("log-persistence.slack.min-level", LogLevel.class, DEFAULT_MIN_LEVEL),
                env.getDuration("log-persistence.slack.burst-window", DEFAULT_BURST_WINDOW),
                env.getDuration("log-persistence.slack.min-interval", DEFAULT_MIN_INTERVAL),
                env.getInt("log-persistence.slack.top-messages", DEFAULT_TOP_MESSAGES),
                env.getDuration("log-persistence.slack.connect-timeout", DEFAULT_CONNECT_TIMEOUT),
                env.getDuration("log-persistence.slack.request-timeout", DEFAULT_REQUEST_TIMEOUT),
                env.getInt("log-persistence.slack.max-retries", DEFAULT_MAX_RETRIES),
                env.getDuration("log-persistence.slack.max-retry-wait", DEFAULT_MAX_RETRY_WAIT),
                env.getDuration("log-persistence.slack.rejected-pause", DEFAULT_REJECTED_PAUSE),
                env.get("log-persistence.slack.text-prefix", ""));
    }

    /** The parsed webhook; the URL is never part of an exception message. */
    URI webhookUri() {
        return parse(webhookUrl);
    }

    private static void validateWebhook(String url) {
        URI uri = parse(url);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new IllegalArgumentException(WEBHOOK_PROPERTY + " / " + WEBHOOK_VARIABLE
                    + " must be an https:// URL (the value is not shown because it is a secret)");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException(WEBHOOK_PROPERTY + " / " + WEBHOOK_VARIABLE
                    + " has no host (the value is not shown because it is a secret)");
        }
        // A library error could quote only the path, which holds the token: mask it as well.
        String path = uri.getRawPath();
        if (path != null && path.length() >= 8) {
            Secrets.register(path);
        }
    }

    private static URI parse(String url) {
        try {
            return new URI(url.trim());
        }
        catch (URISyntaxException ex) {
            // URISyntaxException quotes the input: do not pass it on.
            throw new IllegalArgumentException(WEBHOOK_PROPERTY + " / " + WEBHOOK_VARIABLE
                    + " is not a valid URL (the value is not shown because it is a secret)");
        }
    }

    private static void requireNonNegative(Duration value, String property) {
        if (value.isNegative()) {
            throw new IllegalArgumentException("log-persistence.slack." + property + " must not be negative but was "
                    + value);
        }
    }

    private static void requirePositive(Duration value, String property) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("log-persistence.slack." + property + " must be positive but was "
                    + value);
        }
    }

    @Override
    public String toString() {
        return "SlackSettings[webhookUrl=" + Secrets.describe(webhookUrl) + ", minLevel=" + minLevel
                + ", burstWindow=" + burstWindow + ", minInterval=" + minInterval + ", topMessages=" + topMessages
                + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout + ", maxRetries="
                + maxRetries + ", maxRetryWait=" + maxRetryWait + ", rejectedPause=" + rejectedPause
                + ", textPrefix=" + textPrefix + "]";
    }
}
