package io.persistencelog.backend.file;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZoneId;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Weekly file backend ({@code file}).
 *
 * @param directory Where weekly files go; created on demand
 * @param zone Zone that decides which ISO week an entry belongs to
 * @param retentionWeeks Weeks of files to keep, counting the current week; 0 keeps all
 * @param permissions POSIX permissions of new files, e.g. "rw-r-----"
 */
@ConfigurationProperties(FileProperties.PREFIX)
public record FileProperties(@DefaultValue("logs") Path directory, @DefaultValue("UTC") ZoneId zone,
        @DefaultValue("0") int retentionWeeks, @DefaultValue(FileProperties.DEFAULT_PERMISSIONS) String permissions) {

    public static final String PREFIX = "log-persistence.file";
    public static final String DEFAULT_PERMISSIONS = "rw-r-----";

    public FileProperties {
        if (retentionWeeks < 0) {
            throw new IllegalArgumentException(
                    "log-persistence.file.retention-weeks must be 0 (keep all) or more but was " + retentionWeeks);
        }
        parsePermissions(permissions);
    }

    /** The permissions as a set, for the file system. */
    public Set<PosixFilePermission> posixPermissions() {
        return parsePermissions(permissions);
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

    /** Defaults but for the directory and zone. */
    public static FileProperties of(Path directory, ZoneId zone) {
        return new FileProperties(directory, zone, 0, DEFAULT_PERMISSIONS);
    }
}
