package io.persistencelog.backend.datadog;

import io.persistencelog.BackendContext;
import io.persistencelog.LogBackend;
import io.persistencelog.LogBackendProvider;
import io.persistencelog.http.HttpDelivery;
import java.util.List;

/**
 * Provides the {@code datadog} backend. Selected without an API key (property or DD_API_KEY), or with an
 * unknown site, it fails at startup with a message naming the settings to fix.
 */
public final class DatadogBackendProvider implements LogBackendProvider<DatadogProperties> {

    @Override
    public String name() {
        return DatadogBackend.NAME;
    }

    @Override
    public Class<DatadogProperties> settingsType() {
        return DatadogProperties.class;
    }

    @Override
    public LogBackend create(DatadogProperties settings, BackendContext context) {
        DatadogProperties resolved = settings.withFallbacks(context::property);
        context.registerSecret(resolved.apiKey());
        return new DatadogBackend(resolved, context.maxValueLength());
    }

    /** Logs that could not reach Datadog during an outage are sent once it is back. */
    @Override
    public boolean spoolByDefault() {
        return true;
    }

    @Override
    public List<String> captureExcludedLoggers() {
        return HttpDelivery.CLIENT_LOGGERS;
    }
}
