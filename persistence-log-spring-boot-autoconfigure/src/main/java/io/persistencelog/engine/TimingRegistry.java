package io.persistencelog.engine;

import io.persistencelog.TimingStats;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Timing recorders by logger name, capped. Applications that build logger names from data (a request id,
 * a tenant) would otherwise grow this map, the endpoint's report and one meter pair per name without
 * bound: past {@link #DEFAULT_MAX_NAMES} names, every new name shares the {@link #OTHER} recorder.
 */
public final class TimingRegistry {

    /** Names with their own recorder; later names are folded into {@link #OTHER}. */
    public static final int DEFAULT_MAX_NAMES = 1_000;
    /** The shared bucket of the names beyond the cap. */
    public static final String OTHER = "(other loggers)";

    private final int maxNames;
    private final Map<String, TimingRecorder> recorders = new ConcurrentHashMap<>();
    private final AtomicInteger named = new AtomicInteger();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    public TimingRegistry(int maxNames) {
        this.maxNames = maxNames;
    }

    /** The recorder of this name, or the shared one when the cap is reached. */
    public TimingRecorder recorder(String name) {
        TimingRecorder existing = recorders.get(name);
        if (existing != null) {
            return existing;
        }
        if (!OTHER.equals(name) && named.incrementAndGet() > maxNames) {
            named.decrementAndGet();
            return recorder(OTHER);
        }
        TimingRecorder created = new TimingRecorder();
        TimingRecorder raced = recorders.putIfAbsent(name, created);
        if (raced != null) {
            if (!OTHER.equals(name)) {
                named.decrementAndGet();
            }
            return raced;
        }
        listeners.forEach(listener -> listener.accept(name));
        return created;
    }

    /** Calls the listener with every name now and every name added later. */
    public void onNewName(Consumer<String> listener) {
        listeners.add(listener);
        recorders.keySet().forEach(listener);
    }

    public void removeListener(Consumer<String> listener) {
        listeners.remove(listener);
    }

    public Map<String, TimingStats> snapshot() {
        Map<String, TimingStats> stats = new TreeMap<>();
        recorders.forEach((name, recorder) -> stats.put(name, recorder.snapshot()));
        return stats;
    }
}
