package io.persistencelog;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Knows every backend by name and which of them are active (selected by {@code LOG_BACKENDS} or
 * {@code log-persistence.backends}). The Java form of the original Python design's {@code register_backend}.
 */
public interface BackendRegistry {

    /**
     * Registers (or replaces) a backend factory. If the name is selected and not yet running, the backend is
     * built and started at once.
     */
    void register(String name, Supplier<? extends LogBackend> factory);

    /** Registers (or replaces) a ready-made backend under its {@link LogBackend#name()}. */
    void register(LogBackend backend);

    /** Names selected for this application, in order. */
    Set<String> selectedNames();

    /** Every name a backend is known under, active or not. */
    Set<String> knownNames();

    /** Running backends, in selection order. */
    List<LogBackend> getActiveBackends();

    /** Selected names that no backend is registered under (or whose backend cannot run here). */
    Set<String> getUnknownBackends();

    /** Metrics of every active backend by name: lane counters merged with the backend's own figures. */
    Map<String, Map<String, Object>> getAllMetrics();
}
