package io.persistencelog;

import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A named way to build a backend, created only when its name is selected in {@code LOG_BACKENDS}. A
 * factory may instead say why its backend cannot run here (e.g. a missing library); selecting it then
 * reports that reason instead of starting it.
 */
public final class BackendFactory {

    private final String name;
    private final @Nullable Supplier<? extends LogBackend> supplier;
    private final @Nullable String unavailableReason;

    private BackendFactory(String name, @Nullable Supplier<? extends LogBackend> supplier,
            @Nullable String unavailableReason) {
        this.name = BackendNames.normalize(name);
        this.supplier = supplier;
        this.unavailableReason = unavailableReason;
    }

    public static BackendFactory of(String name, Supplier<? extends LogBackend> supplier) {
        return new BackendFactory(name, Objects.requireNonNull(supplier, "supplier"), null);
    }

    public static BackendFactory unavailable(String name, String reason) {
        return new BackendFactory(name, null, reason);
    }

    public String name() {
        return name;
    }

    public boolean isAvailable() {
        return supplier != null;
    }

    public @Nullable String unavailableReason() {
        return unavailableReason;
    }

    /** Builds the backend; throws when the factory is unavailable or the backend is misconfigured. */
    public LogBackend create() {
        Supplier<? extends LogBackend> s = supplier;
        if (s == null) {
            throw new IllegalStateException("Log backend '" + name + "' is unavailable: " + unavailableReason);
        }
        return s.get();
    }

    @Override
    public String toString() {
        return "BackendFactory[" + name + (supplier == null ? ", unavailable" : "") + "]";
    }
}
