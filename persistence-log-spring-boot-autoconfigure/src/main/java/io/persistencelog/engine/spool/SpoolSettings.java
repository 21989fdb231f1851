package io.persistencelog.engine.spool;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * Settings of the spool of every backend that uses one.
 *
 * @param directory root directory; each backend spools into its own sub-directory
 * @param maxBytes most bytes one backend's spool may hold on disk
 * @param segmentBytes size at which a segment file is closed and a new one started
 * @param fsync when appended records are forced to the storage device
 * @param whenFull what happens to entries when the spool is full
 * @param permissions POSIX permissions of segment files
 * @param maxValueLength longest string value stored
 */
public record SpoolSettings(Path directory, long maxBytes, long segmentBytes, FsyncPolicy fsync,
        SpoolFullPolicy whenFull, Set<PosixFilePermission> permissions, int maxValueLength) {

    public SpoolSettings {
        if (maxBytes <= 0 || segmentBytes <= 0) {
            throw new IllegalArgumentException("log-persistence.spool.max-size must be greater than 0");
        }
        if (segmentBytes > maxBytes) {
            // One segment larger than the whole spool could never be kept within max-size.
            throw new IllegalArgumentException("log-persistence.spool.segment-size (" + segmentBytes
                    + " bytes) must be at most log-persistence.spool.max-size (" + maxBytes + " bytes)");
        }
        permissions = Set.copyOf(permissions);
    }

    /** When appended records reach the storage device. */
    public enum FsyncPolicy {
        /** Leave it to the operating system: survives a process crash, not a power loss. */
        NEVER,
        /** Force after every appended batch: survives a power loss too, at the cost of an fsync per batch. */
        BATCH
    }

    /** What a full spool does. */
    public enum SpoolFullPolicy {
        /** Refuse new entries (counted as failed for the backend). */
        DROP_NEWEST,
        /** Delete the oldest segment to make room (its entries are counted as dropped). */
        DROP_OLDEST
    }
}
