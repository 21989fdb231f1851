package io.persistencelog.engine.spool;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * How the spool opens files and forces its directory: the seam fault-injection tests replace with a
 * file system that fills up half-way through a write or records what was forced.
 */
class SpoolFiles {

    static final SpoolFiles DEFAULT = new SpoolFiles();

    FileChannel open(Path file, OpenOption... options) throws IOException {
        return FileChannel.open(file, options);
    }

    /**
     * Makes the creation, deletion and renaming of files in the directory durable (a directory fsync);
     * without it a power loss can forget a new segment or bring back an old cursor.
     */
    void forceDirectory(Path directory) throws IOException {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        }
        catch (IOException ex) {
            // Some file systems (and Windows) cannot open a directory: there the rename itself is all we get.
            if (!(ex instanceof java.nio.file.AccessDeniedException) && directory.getFileSystem()
                    .supportedFileAttributeViews().contains("posix")) {
                throw ex;
            }
        }
    }
}
