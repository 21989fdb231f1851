package io.persistencelog.backend.otlp;

import io.persistencelog.BackendContext;
import io.persistencelog.LogBackend;
import io.persistencelog.BackendProviderSupport;
import io.persistencelog.http.HttpDelivery;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Provides the {@code otlp} backend. It needs the OpenTelemetry OTLP exporter on the classpath (its
 * marshalers encode the requests); without it, selecting {@code otlp} is reported as unavailable with the
 * dependency to add, and the other backends run. This class names no OpenTelemetry type, so it loads either way.
 */
public final class OtlpBackendProvider extends BackendProviderSupport<OtlpProperties> {

    /** Why {@code otlp} cannot run when the exporter is missing. */
    public static final String MISSING_EXPORTER_REASON = "the OpenTelemetry OTLP exporter is not on the classpath; "
            + "add io.opentelemetry:opentelemetry-exporter-otlp (Spring Boot's spring-boot-starter-opentelemetry "
            + "brings it; its version comes from the Spring Boot BOM)";

    /** Classes the backend needs: the exporter's marshalers and the SDK's log data model they encode. */
    static final List<String> REQUIRED_CLASSES = List.of(
            "io.opentelemetry.exporter.internal.otlp.logs.LogsRequestMarshaler",
            "io.opentelemetry.sdk.logs.data.LogRecordData");

    public OtlpBackendProvider() {
        // Logs a collector outage kept back are spooled; the HTTP client's and exporter's own logging is about
        // the backend's writes, so capturing it would loop.
        super(OtlpBackend.NAME, OtlpProperties.class, OtlpBackendProvider::build, true, excludedLoggers());
    }

    private static LogBackend build(OtlpProperties settings, BackendContext context) {
        OtlpSettings resolved = OtlpSettings.resolve(settings, context::property, context::mapProperty);
        resolved.headers().values().forEach(context::registerSecret);
        return new OtlpBackend(resolved, context.clock(), context.maxValueLength());
    }

    private static List<String> excludedLoggers() {
        List<String> loggers = new ArrayList<>(HttpDelivery.CLIENT_LOGGERS);
        loggers.add("io.opentelemetry.exporter");
        return loggers;
    }

    @Override
    public @Nullable String unavailableReason() {
        // The application's class loader (a Spring context may have its own), else this library's.
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return exporterPresent(context != null ? context : OtlpBackendProvider.class.getClassLoader()) ? null
                : MISSING_EXPORTER_REASON;
    }

    static boolean exporterPresent(@Nullable ClassLoader loader) {
        for (String name : REQUIRED_CLASSES) {
            try {
                Class.forName(name, false, loader);
            }
            catch (ClassNotFoundException | LinkageError ex) {
                return false;
            }
        }
        return true;
    }
}
