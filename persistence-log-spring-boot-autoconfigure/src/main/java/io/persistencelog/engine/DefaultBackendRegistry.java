package io.persistencelog.engine;

import io.persistencelog.BackendFactory;
import io.persistencelog.BackendNames;
import io.persistencelog.BackendRegistry;
import io.persistencelog.LogBackend;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backends by name, and which of them run. Factories are registered first; {@link #activate} builds the
 * selected ones. A factory registered later for a selected name that was unknown starts it at once.
 */
public final class DefaultBackendRegistry implements BackendRegistry {

    private static final Logger log = LoggerFactory.getLogger(DefaultBackendRegistry.class);

    private final Set<String> selected;
    private final Map<String, BackendFactory> factories = new LinkedHashMap<>();
    private final Map<String, LogBackend> active = new LinkedHashMap<>();
    private final Set<String> warned = new LinkedHashSet<>();
    private @Nullable Consumer<LogBackend> onActivated;
    private @Nullable LaneMetrics laneMetrics;

    public DefaultBackendRegistry(Set<String> selectedNames) {
        this.selected = Collections.unmodifiableSet(new LinkedHashSet<>(selectedNames));
    }

    /** Supplies the pipeline's counters for each active backend. */
    public interface LaneMetrics {
        Map<String, Object> metricsOf(String backendName);
    }

    public synchronized void register(BackendFactory factory) {
        String name = factory.name();
        if (active.containsKey(name)) {
            throw new IllegalStateException("Log backend '" + name
                    + "' is already running; register replacements before the pipeline starts");
        }
        factories.put(name, factory);
        if (onActivated != null && selected.contains(name) && factory.isAvailable()) {
            start(name, factory);
        }
    }

    @Override
    public void register(String name, Supplier<? extends LogBackend> factory) {
        register(BackendFactory.of(name, factory));
    }

    @Override
    public void register(LogBackend backend) {
        register(BackendFactory.of(backend.name(), () -> backend));
    }

    /**
     * Builds every selected backend that has a factory and reports the rest once. Exceptions from a
     * factory (a misconfigured backend) propagate: the application should not start half-configured.
     */
    public synchronized void activate(Consumer<LogBackend> listener, LaneMetrics metrics) {
        this.laneMetrics = metrics;
        for (String name : selected) {
            BackendFactory factory = factories.get(name);
            if (factory != null && factory.isAvailable()) {
                start(name, factory);
            }
        }
        this.onActivated = listener;
        for (LogBackend backend : active.values()) {
            listener.accept(backend);
        }
        warnAboutUnknown();
    }

    /**
     * Forgets the running backends before the pipeline starts again after a stop ({@code context.stop()}
     * then {@code start()}): the next {@link #activate} builds them anew from their factories.
     */
    public synchronized void deactivate() {
        active.clear();
        onActivated = null;
    }

    private void start(String name, BackendFactory factory) {
        LogBackend backend = factory.create();
        if (!name.equals(BackendNames.normalize(backend.name()))) {
            throw new IllegalStateException("Log backend factory registered as '" + name
                    + "' built a backend named '" + backend.name() + "'");
        }
        active.put(name, backend);
        Consumer<LogBackend> listener = onActivated;
        if (listener != null) {
            listener.accept(backend);
        }
    }

    private void warnAboutUnknown() {
        for (String name : getUnknownBackends()) {
            if (warned.add(name)) {
                BackendFactory factory = factories.get(name);
                if (factory != null) {
                    log.warn("Log backend '{}' is selected but unavailable: {}. It is skipped.", name,
                            factory.unavailableReason());
                }
                else {
                    log.warn("Unknown log backend '{}' in LOG_BACKENDS / log-persistence.backends; known backends: {}. "
                            + "It is skipped.", name, knownNames());
                }
            }
        }
    }

    @Override
    public Set<String> selectedNames() {
        return selected;
    }

    @Override
    public synchronized Set<String> knownNames() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(factories.keySet()));
    }

    @Override
    public synchronized List<LogBackend> getActiveBackends() {
        return List.copyOf(active.values());
    }

    @Override
    public synchronized Set<String> getUnknownBackends() {
        Set<String> unknown = new LinkedHashSet<>();
        for (String name : selected) {
            if (!active.containsKey(name)) {
                unknown.add(name);
            }
        }
        return unknown;
    }

    /** Why each unknown name is not running: "not registered" or the factory's own reason. */
    public synchronized Map<String, String> unavailableReasons() {
        Map<String, String> reasons = new LinkedHashMap<>();
        for (String name : getUnknownBackends()) {
            BackendFactory factory = factories.get(name);
            String reason = factory == null ? "no backend is registered under this name"
                    : String.valueOf(factory.unavailableReason());
            reasons.put(name, reason);
        }
        return reasons;
    }

    @Override
    public Map<String, Map<String, Object>> getAllMetrics() {
        List<String> names;
        LaneMetrics metrics;
        synchronized (this) {
            names = new ArrayList<>(active.keySet());
            metrics = laneMetrics;
        }
        Map<String, Map<String, Object>> all = new LinkedHashMap<>();
        for (String name : names) {
            all.put(name, metrics == null ? Map.of("backend", name) : metrics.metricsOf(name));
        }
        return all;
    }

    @Override
    public String toString() {
        return "BackendRegistry[selected=" + selected + ", active=" + getActiveBackends().stream()
                .map(LogBackend::name).toList() + "]";
    }
}
