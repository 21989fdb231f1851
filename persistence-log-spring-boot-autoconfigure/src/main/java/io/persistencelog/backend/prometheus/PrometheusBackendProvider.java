package io.persistencelog.backend.prometheus;

import io.persistencelog.BackendContext;
import io.persistencelog.BackendProviderSupport;
import org.jspecify.annotations.Nullable;

/**
 * Provides the {@code prometheus} backend: counters in the application's {@code MeterRegistry} (visible at
 * {@code /actuator/prometheus} with micrometer-registry-prometheus). Without Micrometer or without a registry
 * (a plain {@code main} has none) the backend is reported unavailable, with the reason, and the other
 * backends run.
 */
public final class PrometheusBackendProvider extends BackendProviderSupport<PrometheusProperties> {

    static final String METER_REGISTRY_CLASS = "io.micrometer.core.instrument.MeterRegistry";
    static final String NO_REGISTRY = "no Micrometer MeterRegistry bean in the application context; add "
            + "spring-boot-starter-actuator and io.micrometer:micrometer-registry-prometheus (or another registry)";
    static final String NO_MICROMETER = "Micrometer is not on the classpath; add spring-boot-starter-actuator and "
            + "io.micrometer:micrometer-registry-prometheus";

    public PrometheusBackendProvider() {
        super(PrometheusBackend.NAME, PrometheusProperties.class, (settings, context) -> new PrometheusBackend(
                context.meterRegistry().orElseThrow(() -> new IllegalStateException(NO_REGISTRY)), settings));
    }

    @Override
    public @Nullable String unavailableReason() {
        try {
            // The application's class loader (a Spring context may have its own), else this library's.
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            Class.forName(METER_REGISTRY_CLASS, false,
                    loader != null ? loader : PrometheusBackendProvider.class.getClassLoader());
            return null;
        }
        catch (ClassNotFoundException | LinkageError ex) {
            return NO_MICROMETER;
        }
    }

    /** Looked up only when {@code prometheus} is selected, so an unused registry is never built for it. */
    @Override
    public @Nullable String unavailableReason(BackendContext context) {
        String missing = unavailableReason();
        if (missing != null) {
            return missing;
        }
        return context.meterRegistry().isEmpty() ? NO_REGISTRY : null;
    }
}
