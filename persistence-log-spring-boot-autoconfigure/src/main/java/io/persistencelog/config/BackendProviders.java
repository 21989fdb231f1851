package io.persistencelog.config;

import io.persistencelog.BackendNames;
import io.persistencelog.LogBackendProvider;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link LogBackendProvider}s of this application: those registered in
 * {@code META-INF/services/io.persistencelog.LogBackendProvider} (found with {@link ServiceLoader} in both
 * modes), then, in a Spring application, provider beans, which replace a service-loaded provider of the
 * same name.
 */
public final class BackendProviders {

    private static final Logger log = LoggerFactory.getLogger(BackendProviders.class);

    private final List<LogBackendProvider<?>> providers;

    private BackendProviders(Collection<LogBackendProvider<?>> providers) {
        Map<String, LogBackendProvider<?>> byName = new LinkedHashMap<>();
        for (LogBackendProvider<?> provider : providers) {
            byName.put(BackendNames.normalize(provider.name()), provider);
        }
        this.providers = List.copyOf(byName.values());
    }

    /**
     * Service-loaded providers, then {@code overrides} (Spring beans), which replace a service-loaded provider
     * of the same name.
     *
     * @throws IllegalStateException when two service-loaded providers, or two overrides, claim one name: which
     *     of them ran would depend on the order of the classpath or of bean registration
     */
    public static BackendProviders load(ClassLoader classLoader, Collection<? extends LogBackendProvider<?>> overrides) {
        List<LogBackendProvider<?>> loaded = serviceLoaded(classLoader);
        checkUniqueNames(loaded, "registered in META-INF/services/" + LogBackendProvider.class.getName()
                + "; remove one registration or give one another name()");
        checkUniqueNames(overrides, "declared as beans; remove one bean or give one another name()");
        List<LogBackendProvider<?>> all = new ArrayList<>(loaded);
        all.addAll(overrides);
        return new BackendProviders(all);
    }

    /**
     * The capture exclusions of every service-loaded provider, two of one name included: capture is set up
     * apart from the pipeline (a Logback appender configured before any context), so a duplicate is reported
     * where the pipeline is built, not as a failed class initialisation of the capture.
     */
    public static List<String> captureExcludedLoggers(ClassLoader classLoader) {
        Set<String> loggers = new LinkedHashSet<>();
        for (LogBackendProvider<?> provider : serviceLoaded(classLoader)) {
            loggers.addAll(provider.captureExcludedLoggers());
        }
        return List.copyOf(loggers);
    }

    private static List<LogBackendProvider<?>> serviceLoaded(ClassLoader classLoader) {
        List<LogBackendProvider<?>> loaded = new ArrayList<>();
        ServiceLoader<LogBackendProvider> loader = ServiceLoader.load(LogBackendProvider.class, classLoader);
        for (var iterator = loader.iterator(); ; ) {
            try {
                if (!iterator.hasNext()) {
                    break;
                }
                loaded.add(iterator.next());
            }
            catch (ServiceConfigurationError ex) {
                // A provider that cannot even load (a broken jar) must not stop the others.
                log.warn("persistence-log: a log backend provider could not be loaded and is skipped: {}",
                        ex.getMessage());
            }
        }
        return loaded;
    }

    private static void checkUniqueNames(Collection<? extends LogBackendProvider<?>> providers, String where) {
        Map<String, LogBackendProvider<?>> seen = new LinkedHashMap<>();
        for (LogBackendProvider<?> provider : providers) {
            LogBackendProvider<?> previous = seen.putIfAbsent(BackendNames.normalize(provider.name()), provider);
            if (previous != null) {
                throw new IllegalStateException("Two log backend providers are named '"
                        + BackendNames.normalize(provider.name()) + "': " + previous.getClass().getName() + " and "
                        + provider.getClass().getName() + ", both " + where + ".");
            }
        }
    }

    public static BackendProviders load(ClassLoader classLoader) {
        return load(classLoader, List.of());
    }

    /** Only the providers the predicate accepts. */
    public BackendProviders filter(java.util.function.Predicate<LogBackendProvider<?>> predicate) {
        return new BackendProviders(providers.stream().filter(predicate).toList());
    }

    public List<LogBackendProvider<?>> all() {
        return providers;
    }

    /** Backends that spool by default ({@code log-persistence.spool.backends} unset). */
    public Set<String> spoolingByDefault() {
        Set<String> names = new LinkedHashSet<>();
        for (LogBackendProvider<?> provider : providers) {
            if (provider.spoolByDefault()) {
                names.add(BackendNames.normalize(provider.name()));
            }
        }
        return names;
    }

    /** Logger prefixes of the libraries backends write with: excluded from capture by default. */
    public List<String> captureExcludedLoggers() {
        Set<String> loggers = new LinkedHashSet<>();
        for (LogBackendProvider<?> provider : providers) {
            loggers.addAll(provider.captureExcludedLoggers());
        }
        return List.copyOf(loggers);
    }
}
