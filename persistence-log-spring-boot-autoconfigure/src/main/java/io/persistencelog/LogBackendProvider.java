package io.persistencelog;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Service-provider interface for a kind of backend: its name, the type its settings bind to, and how to
 * build it. A new backend is one package holding its backend, its settings type and its provider, plus one
 * registration line in {@code META-INF/services/io.persistencelog.LogBackendProvider}.
 *
 * <p>Providers are discovered the same way in both modes: with {@link java.util.ServiceLoader} in a plain
 * {@code main} and in a Spring application, where a Spring bean of this type is honoured as well (a bean
 * wins over a service-loaded provider of the same name, and a {@link LogBackend} bean of the same name wins
 * over both). The settings are bound by one piece of code in both modes: Spring Boot's {@code Binder} binds
 * {@link #settingsType()} under {@link #prefix()} from system properties and environment variables (relaxed
 * names: {@code LOG_PERSISTENCE_AUDIT_DIRECTORY} sets {@code log-persistence.audit.directory}), and in a
 * Spring application from the {@code Environment} ({@code application.yml} included). Durations
 * ({@code 10s}), data sizes ({@code 256MB}), enums, lists and {@code @DefaultValue} defaults of a record's
 * components all work; annotate the type with {@code @ConfigurationProperties(prefix)} to get IDE
 * completion metadata.
 *
 * <p>{@link #create} runs only when the name is selected in {@code LOG_BACKENDS} /
 * {@code log-persistence.backends}, so a backend that is not used never fails for missing settings.
 *
 * <pre>{@code
 * // Settings bound from log-persistence.audit.* (LOG_PERSISTENCE_AUDIT_* in the environment)
 * @ConfigurationProperties("log-persistence.audit")
 * public record AuditProperties(@DefaultValue("audit.log") Path file) { }
 *
 * public final class AuditBackendProvider implements LogBackendProvider<AuditProperties> {
 *     public String name() { return "audit"; }
 *     public Class<AuditProperties> settingsType() { return AuditProperties.class; }
 *     public LogBackend create(AuditProperties settings, BackendContext context) {
 *         return new AuditBackend(settings.file(), context.encoder());
 *     }
 * }
 * // META-INF/services/io.persistencelog.LogBackendProvider:  com.example.audit.AuditBackendProvider
 * }</pre>
 *
 * @param <S> the settings type, a record or JavaBean that Spring Boot's {@code Binder} can bind
 */
public interface LogBackendProvider<S> {

    /** The backend's unique lower-case name, as selected in {@code LOG_BACKENDS}, e.g. {@code "datadog"}. */
    String name();

    /** The type the settings under {@link #prefix()} are bound to. */
    Class<S> settingsType();

    /** Property prefix of the settings; {@code log-persistence.<name>} unless the backend says otherwise. */
    default String prefix() {
        return "log-persistence." + name();
    }

    /**
     * Why this backend cannot run here (typically a library missing from the classpath), or null when it
     * can. Selecting an unavailable backend reports the reason instead of starting it. Must not load the
     * missing classes itself.
     */
    default @Nullable String unavailableReason() {
        return null;
    }

    /**
     * Why this backend cannot run in this application, given what the context offers (e.g. no
     * {@code MeterRegistry}); asked only when the backend is selected. By default {@link #unavailableReason()}.
     */
    default @Nullable String unavailableReason(BackendContext context) {
        return unavailableReason();
    }

    /**
     * Builds the backend from its bound settings. Invalid or missing settings throw an
     * {@link IllegalArgumentException} whose message names the property (and any fallback variable) and
     * the fix; the application then fails at startup with that message.
     */
    LogBackend create(S settings, BackendContext context);

    /**
     * Whether, when the spool is enabled and {@code log-persistence.spool.backends} is not set, this
     * backend's failed entries are spooled by default. Network backends say yes; local ones have no outage
     * to bridge.
     */
    default boolean spoolByDefault() {
        return false;
    }

    /**
     * Logger-name prefixes of libraries this backend uses while writing; capturing their events could feed
     * every write back into the pipeline, so the default capture exclusions include them.
     */
    default List<String> captureExcludedLoggers() {
        return List.of();
    }
}
