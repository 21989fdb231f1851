package io.persistencelog.backend.datadog;

import io.persistencelog.BackendContext;
import io.persistencelog.BackendProviderSupport;
import io.persistencelog.http.HttpDelivery;

/**
 * Provides the {@code datadog} backend. Selected without an API key (property or DD_API_KEY), or with an
 * unknown site, it fails at startup with a message naming the settings to fix. Logs that could not reach
 * Datadog during an outage are spooled (when the spool is on) and sent once it is back.
 */
public final class DatadogBackendProvider extends BackendProviderSupport<DatadogProperties> {

    public DatadogBackendProvider() {
        super(DatadogBackend.NAME, DatadogProperties.class, DatadogBackendProvider::build, true,
                HttpDelivery.CLIENT_LOGGERS);
    }

    private static DatadogBackend build(DatadogProperties settings, BackendContext context) {
        DatadogProperties resolved = settings.withFallbacks(context::property);
        context.registerSecret(resolved.apiKey());
        return new DatadogBackend(resolved, context.maxValueLength());
    }
}
