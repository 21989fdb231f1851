package io.persistencelog.backend.console;

import io.persistencelog.BackendProviderSupport;

/** Provides the {@code console} backend: JSON lines on stdout. It has no settings of its own. */
public final class ConsoleBackendProvider extends BackendProviderSupport<ConsoleBackendProvider.NoSettings> {

    /** The console backend has nothing to configure. */
    public record NoSettings() {
    }

    public ConsoleBackendProvider() {
        super(ConsoleBackend.NAME, NoSettings.class,
                (settings, context) -> new ConsoleBackend(System.out, context.maxValueLength()));
    }
}
