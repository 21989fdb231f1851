package io.persistencelog.backend.file;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** The file operations the backend needs; a seam for fault-injection tests (a full disk). */
class FileSystemAccess {

    private final Set<PosixFilePermission> permissions;

    FileSystemAccess(Set<PosixFilePermission> permissions) {
        this.permissions = permissions;
    }

    void createDirectories(Path directory) throws IOException {
        Files.createDirectories(directory);
    }

    OutputStream openAppend(Path file) throws IOException {
        if (!Files.exists(file)) {
            createWithPermissions(file);
        }
        return Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
    }

    private void createWithPermissions(Path file) throws IOException {
        boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
        try {
            if (posix) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(permissions));
                // The umask may have removed bits; set exactly what was asked for.
                Files.setPosixFilePermissions(file, permissions);
            }
            else {
                Files.createFile(file);
            }
        }
        catch (FileAlreadyExistsException ex) {
            // Another process created it first: append to it.
        }
    }
}
