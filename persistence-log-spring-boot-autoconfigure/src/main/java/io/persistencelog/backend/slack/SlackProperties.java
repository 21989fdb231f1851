package io.persistencelog.backend.slack;

import io.persistencelog.LogLevel;
import io.persistencelog.codec.Secrets;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Slack backend ({@code slack}): alerts posted to a Slack incoming webhook. {@link #toString()} never shows the
 * webhook URL.
 *
 * @param webhookUrl Incoming webhook URL; when unset, the SLACK_WEBHOOK_URL environment variable is used.
 *     Secret: never printed
 * @param minLevel Lowest level sent to Slack; lower entries are counted as filtered
 * @param burstWindow How long to gather entries after the first one before posting, so that a burst
 *     becomes a single message
 * @param minInterval Least time between two requests to the webhook; Slack accepts about one message per
 *     second
 * @param topMessages Most distinct messages listed in one Slack message (1 to 20)
 * @param connectTimeout Timeout for connecting to Slack
 * @param requestTimeout Time Slack has to answer one request
 * @param maxRetries Retries of a message after a 429, a 5xx or a network error before it counts as failed
 * @param maxRetryWait Longest wait before a retry, whatever Slack's Retry-After says
 * @param rejectedPause How long nothing is sent after Slack answered 403, 404 or 410 (revoked or unknown
 *     webhook); alerts in that time count as failed
 * @param textPrefix Text put before every summary, e.g. ":rotating_light: *checkout*" or "<!here>"
 */
@ConfigurationProperties(SlackProperties.PREFIX)
public record SlackProperties(
        @Nullable String webhookUrl,
        @DefaultValue("ERROR") LogLevel minLevel,
        @DefaultValue("2s") Duration burstWindow,
        @DefaultValue("1s") Duration minInterval,
        @DefaultValue("5") int topMessages,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("10s") Duration requestTimeout,
        @DefaultValue("5") int maxRetries,
        @DefaultValue("60s") Duration maxRetryWait,
        @DefaultValue("5m") Duration rejectedPause,
        @DefaultValue("") String textPrefix) {

    public static final String PREFIX = "log-persistence.slack";
    /** The environment variable read when the property is not set. */
    public static final String WEBHOOK_VARIABLE = "SLACK_WEBHOOK_URL";
    public static final String WEBHOOK_PROPERTY = "log-persistence.slack.webhook-url";
    /** Slack renders at most 50 blocks; the summary and the "more" line take two. */
    public static final int MAX_TOP_MESSAGES = 20;

    public SlackProperties {
        if (webhookUrl != null && !webhookUrl.isBlank()) {
            Secrets.register(webhookUrl);
            validateWebhook(webhookUrl);
        }
        else {
            webhookUrl = null; // the provider falls back to SLACK_WEBHOOK_URL
        }
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

    /** Defaults for everything but the webhook: the binding of an empty configuration. */
    public static SlackProperties of(String webhookUrl) {
        return new Binder().bindOrCreate(PREFIX, SlackProperties.class).withWebhookUrl(webhookUrl);
    }

    /** These settings with the given webhook. */
    public SlackProperties withWebhookUrl(@Nullable String url) {
        return new SlackProperties(url, minLevel, burstWindow, minInterval, topMessages, connectTimeout,
                requestTimeout, maxRetries, maxRetryWait, rejectedPause, textPrefix);
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

    /** The parsed webhook; the URL is never part of an exception message. */
    URI webhookUri() {
        return parse(requireWebhook(webhookUrl, null));
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
        return "SlackProperties[webhookUrl=" + Secrets.describe(webhookUrl) + ", minLevel=" + minLevel
                + ", burstWindow=" + burstWindow + ", minInterval=" + minInterval + ", topMessages=" + topMessages
                + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout + ", maxRetries="
                + maxRetries + ", maxRetryWait=" + maxRetryWait + ", rejectedPause=" + rejectedPause
                + ", textPrefix=" + textPrefix + "]";
    }
}
