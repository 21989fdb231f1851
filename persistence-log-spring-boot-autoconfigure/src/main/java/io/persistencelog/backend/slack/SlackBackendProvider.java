package io.persistencelog.backend.slack;

import io.persistencelog.BackendContext;
import io.persistencelog.LogBackend;
import io.persistencelog.LogBackendProvider;
import io.persistencelog.http.HttpDelivery;
import java.util.List;

/**
 * Provides the {@code slack} backend. The webhook comes from {@code log-persistence.slack.webhook-url}, else
 * from {@code SLACK_WEBHOOK_URL}; selected without either, it fails with a message naming both.
 */
public final class SlackBackendProvider implements LogBackendProvider<SlackProperties> {

    @Override
    public String name() {
        return SlackBackend.NAME;
    }

    @Override
    public Class<SlackProperties> settingsType() {
        return SlackProperties.class;
    }

    @Override
    public LogBackend create(SlackProperties settings, BackendContext context) {
        return new SlackBackend(resolve(settings, context));
    }

    /** The settings with the webhook from the property, else {@code SLACK_WEBHOOK_URL}; throws naming both. */
    public static SlackProperties resolve(SlackProperties settings, BackendContext context) {
        String webhook = SlackProperties.requireWebhook(settings.webhookUrl(),
                context.property(SlackProperties.WEBHOOK_VARIABLE));
        context.registerSecret(webhook);
        return settings.withWebhookUrl(webhook);
    }

    /** An alert that could not be posted during an outage is worth posting afterwards. */
    @Override
    public boolean spoolByDefault() {
        return true;
    }

    @Override
    public List<String> captureExcludedLoggers() {
        return HttpDelivery.CLIENT_LOGGERS;
    }
}
