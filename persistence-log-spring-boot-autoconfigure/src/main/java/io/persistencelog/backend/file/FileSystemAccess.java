package io.persistencelog.backend.file;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** The file operations the backend needs; a seam for fault-injection tests (a disk that fills up half-way). */
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

    /** The file's length: after a failed write, how much of it reached the file. */
    long size(Path file) throws IOException {
        return Files.size(file);
    }

    /** Cuts a half-written line off after a failed write. */
    void truncate(Path file, long length) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(length);
        }
    }

    /** Opens the directory's lock file (created with the files' permissions). */
    FileChannel openLock(Path file) throws IOException {
        if (!Files.exists(file)) {
            createWithPermissions(file);
        }
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
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
