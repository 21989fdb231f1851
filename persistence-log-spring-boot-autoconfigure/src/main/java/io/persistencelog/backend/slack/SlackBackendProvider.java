package io.persistencelog.backend.slack;

import io.persistencelog.BackendContext;
import io.persistencelog.BackendProviderSupport;
import io.persistencelog.http.HttpDelivery;

/**
 * Provides the {@code slack} backend. The webhook comes from {@code log-persistence.slack.webhook-url}, else
 * from {@code SLACK_WEBHOOK_URL}; selected without either, it fails with a message naming both. An alert
 * that could not be posted during an outage is spooled (when the spool is on) and posted afterwards.
 */
public final class SlackBackendProvider extends BackendProviderSupport<SlackProperties> {

    public SlackBackendProvider() {
        super(SlackBackend.NAME, SlackProperties.class,
                (settings, context) -> new SlackBackend(resolve(settings, context)), true, HttpDelivery.CLIENT_LOGGERS);
    }

    /** The settings with the webhook from the property, else {@code SLACK_WEBHOOK_URL}; throws naming both. */
    public static SlackProperties resolve(SlackProperties settings, BackendContext context) {
        String webhook = SlackProperties.requireWebhook(settings.webhookUrl(),
                context.property(SlackProperties.WEBHOOK_VARIABLE));
        context.registerSecret(webhook);
        return settings.withWebhookUrl(webhook);
    }
}
