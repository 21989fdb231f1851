package io.persistencelog.config;

import io.persistencelog.BackendContext;
import io.persistencelog.BackendFactory;
import io.persistencelog.BackendNames;
import io.persistencelog.LogBackendProvider;
import io.persistencelog.engine.AsyncPersistencePipeline;
import io.persistencelog.engine.DefaultBackendRegistry;
import io.persistencelog.engine.GuardSettings;
import io.persistencelog.engine.spool.SpoolSettings;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Builds the pipeline from its settings and the backend providers: the one assembly both modes use. The
 * Spring auto-configuration calls it with the application's {@code Environment} and beans; the standalone
 * assembly of a plain {@code main} with system properties and environment variables. Given the same
 * settings, both build the same backends.
 */
public final class PipelineAssembly {

    /** The variable (or any property of that exact name) that selects backends and wins over the property. */
    public static final String LOG_BACKENDS = "LOG_BACKENDS";

    private PipelineAssembly() {
    }

    /**
     * The whole pipeline of the given settings, not yet started: what a plain {@code main} runs, and what a
     * Spring application that failed to start uses to persist why.
     */
    public static AsyncPersistencePipeline build(SettingsSource source, BackendProviders providers, Clock clock) {
        LogPersistenceProperties core = source.bind(LogPersistenceProperties.PREFIX, LogPersistenceProperties.class);
        ResilienceProperties resilience = source.bind(ResilienceProperties.PREFIX, ResilienceProperties.class);
        SpoolProperties spool = source.bind(SpoolProperties.PREFIX, SpoolProperties.class);
        ConsoleEchoProperties echo = source.bind(LogPersistenceProperties.PREFIX, ConsoleEchoProperties.class);
        // No Micrometer registry outside a Spring context: a backend that needs one says it is unavailable.
        BackendContext context = context(source, core, clock, Optional::empty);
        DefaultBackendRegistry registry = registry(selectedBackends(source, core), providers, source, context);
        return pipeline(core, resilience, spool, echo, registry, providers, clock);
    }

    /** Backends selected by {@code LOG_BACKENDS}, else {@code log-persistence.backends}, else {@code file}. */
    public static Set<String> selectedBackends(SettingsSource source, LogPersistenceProperties core) {
        // The property is a comma-separated String; written as a YAML list (or indexed properties) it binds
        // nothing to a String, and the default 'file' would silently stand in for the user's list.
        List<String> listed = source.list(LogPersistenceProperties.PREFIX + ".backends");
        return BackendNames.select(source.property(LOG_BACKENDS),
                listed.isEmpty() ? core.backends() : String.join(",", listed));
    }

    /**
     * What every backend shares.
     *
     * @param meterRegistry the application's {@code MeterRegistry} when there is one, asked for only when a
     *     backend needs it
     */
    public static BackendContext context(SettingsSource source, LogPersistenceProperties core, Clock clock,
            Supplier<Optional<?>> meterRegistry) {
        return new ProviderContext(source, clock, core.maxValueLength(), core.shutdownTimeout(), meterRegistry);
    }

    /** A registry knowing every provider's backend; a selected one is built (settings bound) when activated. */
    public static DefaultBackendRegistry registry(Set<String> selected, BackendProviders providers,
            SettingsSource source, BackendContext context) {
        DefaultBackendRegistry registry = new DefaultBackendRegistry(selected);
        for (LogBackendProvider<?> provider : providers.all()) {
            registry.register(factory(provider, selected.contains(BackendNames.normalize(provider.name())), source,
                    context));
        }
        return registry;
    }

    /**
     * The factory of one provider's backend: unavailable with the provider's reason, or building it from the
     * settings bound under its prefix. Binding happens only when the backend is built, so an unselected
     * backend never fails for its settings.
     */
    public static <S> BackendFactory factory(LogBackendProvider<S> provider, boolean selected, SettingsSource source,
            BackendContext context) {
        String reason = selected ? provider.unavailableReason(context) : provider.unavailableReason();
        if (reason != null) {
            return BackendFactory.unavailable(provider.name(), reason);
        }
        return BackendFactory.of(provider.name(),
                () -> provider.create(source.bind(provider.prefix(), provider.settingsType()), context));
    }

    /** Retries, circuit breaker and spool; the spool's backends default to the providers that ask for it. */
    public static GuardSettings guardSettings(ResilienceProperties resilience, SpoolProperties spool,
            BackendProviders providers, int maxValueLength) {
        SpoolSettings spoolSettings = spool.enabled() ? new SpoolSettings(spool.directory(), spool.maxSize().toBytes(),
                spool.segmentSize().toBytes(), spool.fsync(), spool.whenFull(), spoolPermissions(spool.permissions()),
                maxValueLength) : null;
        List<String> listed = spool.backends();
        Set<String> spooling = listed == null ? providers.spoolingByDefault()
                : listed.stream().map(BackendNames::normalize).collect(Collectors.toSet());
        return new GuardSettings(resilience.retryAttempts(), resilience.retryBackoff(), resilience.circuitEnabled(),
                resilience.failuresToOpen(), resilience.pauseInitial(), resilience.pauseMax(), spoolSettings, spooling);
    }

    /** The pipeline, not yet started. */
    public static AsyncPersistencePipeline pipeline(LogPersistenceProperties core, ResilienceProperties resilience,
            SpoolProperties spool, ConsoleEchoProperties echo, DefaultBackendRegistry registry,
            BackendProviders providers, Clock clock) {
        AsyncPersistencePipeline pipeline = new AsyncPersistencePipeline(core.toPipelineSettings(clock), registry);
        pipeline.setRedactor(core.toRedactor());
        pipeline.setGuardSettings(guardSettings(resilience, spool, providers, core.maxValueLength()));
        pipeline.setConsoleEcho(echo.consoleEcho());
        return pipeline;
    }

    private static java.util.Set<java.nio.file.attribute.PosixFilePermission> spoolPermissions(String text) {
        try {
            return PosixFilePermissions.fromString(text);
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("log-persistence.spool.permissions must look like 'rw-r-----' but was '"
                    + text + "'");
        }
    }

}
