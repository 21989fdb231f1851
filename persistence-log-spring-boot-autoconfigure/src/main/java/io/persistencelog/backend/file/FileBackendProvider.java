package io.persistencelog.backend.file;

import io.persistencelog.BackendContext;
import io.persistencelog.LogBackend;
import io.persistencelog.LogBackendProvider;

/** Provides the weekly file backend ({@code file}), the default when no backend is selected. */
public final class FileBackendProvider implements LogBackendProvider<FileProperties> {

    @Override
    public String name() {
        return FileBackend.NAME;
    }

    @Override
    public Class<FileProperties> settingsType() {
        return FileProperties.class;
    }

    @Override
    public LogBackend create(FileProperties settings, BackendContext context) {
        return new FileBackend(settings, context.maxValueLength());
    }
}
