package io.persistencelog.backend.file;

import io.persistencelog.engine.EnvironmentSettings;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZoneId;
import java.util.Set;

/**
 * Settings of the weekly file backend.
 *
 * @param directory where weekly files go (created on demand)
 * @param zone zone that decides an entry's week
 * @param retentionWeeks weeks of files to keep, counting the current one; 0 keeps everything
 * @param permissions POSIX permissions of new files, where the file system supports them
 * @param maxValueLength longest string value written
 */
public record FileBackendSettings(Path directory, ZoneId zone, int retentionWeeks,
        Set<PosixFilePermission> permissions, int maxValueLength) {

    public static final String DEFAULT_PERMISSIONS = "rw-r-----";

    public FileBackendSettings {
        if (retentionWeeks < 0) {
            throw new IllegalArgumentException(
                    "log-persistence.file.retention-weeks must be 0 (keep all) or more but was " + retentionWeeks);
        }
        permissions = Set.copyOf(permissions);
    }

    public static Set<PosixFilePermission> parsePermissions(String text) {
        try {
            return PosixFilePermissions.fromString(text);
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("log-persistence.file.permissions must look like 'rw-r-----' but was '"
                    + text + "'");
        }
    }

    public static FileBackendSettings fromEnvironment(EnvironmentSettings env, int maxValueLength) {
        return new FileBackendSettings(Path.of(env.get("log-persistence.file.directory", "logs")),
                ZoneId.of(env.get("log-persistence.file.zone", "UTC")),
                env.getInt("log-persistence.file.retention-weeks", 0),
                parsePermissions(env.get("log-persistence.file.permissions", DEFAULT_PERMISSIONS)), maxValueLength);
    }

    public static FileBackendSettings of(Path directory, ZoneId zone) {
        return new FileBackendSettings(directory, zone, 0, parsePermissions(DEFAULT_PERMISSIONS),
                io.persistencelog.engine.PipelineSettings.DEFAULT_MAX_VALUE_LENGTH);
    }
}
