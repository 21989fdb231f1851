package io.persistencelog.backend.console;

import io.persistencelog.BackendContext;
import io.persistencelog.LogBackend;
import io.persistencelog.LogBackendProvider;

/** Provides the {@code console} backend: JSON lines on stdout. It has no settings of its own. */
public final class ConsoleBackendProvider implements LogBackendProvider<ConsoleBackendProvider.NoSettings> {

    /** The console backend has nothing to configure. */
    public record NoSettings() {
    }

    @Override
    public String name() {
        return ConsoleBackend.NAME;
    }

    @Override
    public Class<NoSettings> settingsType() {
        return NoSettings.class;
    }

    @Override
    public LogBackend create(NoSettings settings, BackendContext context) {
        return new ConsoleBackend(System.out, context.maxValueLength());
    }
}
