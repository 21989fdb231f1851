package io.persistencelog;

import java.util.List;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * A {@link LogBackendProvider} described by its parts, so a provider is a constructor:
 *
 * <pre>{@code
 * public final class AuditBackendProvider extends BackendProviderSupport<AuditProperties> {
 *     public AuditBackendProvider() {
 *         super("audit", AuditProperties.class, (settings, context) -> new AuditBackend(settings, context.encoder()));
 *     }
 * }
 * }</pre>
 *
 * @param <S> the settings type
 */
public abstract class BackendProviderSupport<S> implements LogBackendProvider<S> {

    private final String name;
    private final Class<S> settingsType;
    private final @Nullable BiFunction<S, BackendContext, ? extends LogBackend> factory;
    private final boolean spoolByDefault;
    private final List<String> captureExcludedLoggers;

    protected BackendProviderSupport(String name, Class<S> settingsType,
            BiFunction<S, BackendContext, ? extends LogBackend> factory) {
        this(name, settingsType, factory, false, List.of());
    }

    /**
     * @param spoolByDefault see {@link LogBackendProvider#spoolByDefault()}: network backends say yes
     * @param captureExcludedLoggers see {@link LogBackendProvider#captureExcludedLoggers()}
     */
    protected BackendProviderSupport(String name, Class<S> settingsType,
            BiFunction<S, BackendContext, ? extends LogBackend> factory, boolean spoolByDefault,
            List<String> captureExcludedLoggers) {
        this(name, settingsType, spoolByDefault, captureExcludedLoggers, factory);
    }

    /** For a provider that overrides {@link #create} itself (e.g. to use state of its own). */
    protected BackendProviderSupport(String name, Class<S> settingsType, boolean spoolByDefault,
            List<String> captureExcludedLoggers) {
        this(name, settingsType, spoolByDefault, captureExcludedLoggers, null);
    }

    private BackendProviderSupport(String name, Class<S> settingsType, boolean spoolByDefault,
            List<String> captureExcludedLoggers,
            @Nullable BiFunction<S, BackendContext, ? extends LogBackend> factory) {
        this.name = name;
        this.settingsType = settingsType;
        this.factory = factory;
        this.spoolByDefault = spoolByDefault;
        this.captureExcludedLoggers = List.copyOf(captureExcludedLoggers);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Class<S> settingsType() {
        return settingsType;
    }

    @Override
    public LogBackend create(S settings, BackendContext context) {
        BiFunction<S, BackendContext, ? extends LogBackend> f = factory;
        if (f == null) {
            throw new IllegalStateException(getClass().getName() + " must override create()");
        }
        return f.apply(settings, context);
    }

    @Override
    public final boolean spoolByDefault() {
        return spoolByDefault;
    }

    @Override
    public final List<String> captureExcludedLoggers() {
        return captureExcludedLoggers;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name + "]";
    }
}
