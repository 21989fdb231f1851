package io.persistencelog.backend.file;

import io.persistencelog.BackendProviderSupport;

/** Provides the weekly file backend ({@code file}), the default when no backend is selected. */
public final class FileBackendProvider extends BackendProviderSupport<FileProperties> {

    public FileBackendProvider() {
        super(FileBackend.NAME, FileProperties.class,
                (settings, context) -> new FileBackend(settings, context.maxValueLength()));
    }
}
