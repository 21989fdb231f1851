package io.persistencelog.autoconfigure;

import io.persistencelog.LogLevel;
import io.persistencelog.backend.slack.SlackSettings;
import io.persistencelog.codec.Secrets;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Configuration of the {@code slack} backend: alerts posted to a Slack incoming webhook.
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
@ConfigurationProperties("log-persistence.slack")
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

    public SlackProperties {
        Secrets.register(webhookUrl);
    }

    /**
     * Settings for the backend; {@code variable} is SLACK_WEBHOOK_URL as the Environment sees it. Throws,
     * naming both, when neither is set.
     */
    SlackSettings toSettings(@Nullable String variable) {
        String url = SlackSettings.requireWebhook(webhookUrl, variable);
        return new SlackSettings(url, minLevel, burstWindow, minInterval, topMessages, connectTimeout,
                requestTimeout, maxRetries, maxRetryWait, rejectedPause, textPrefix);
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
