package io.persistencelog.config;

import io.persistencelog.engine.spool.SpoolSettings;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Durable on-disk spool for network backends: entries a backend could not take (it failed, or is paused)
 * are kept on disk and replayed in order once it recovers, also after a restart.
 *
 * @param enabled Whether to spool entries of the listed backends instead of counting them as failed
 * @param directory Directory of the spool; each backend gets its own sub-directory
 * @param backends Backends that spool; by default the network backends (datadog, slack, kafka and every
 *     other backend whose provider asks for it)
 * @param maxSize Most disk space one backend's spool may use
 * @param segmentSize Size of one segment file
 * @param fsync When spooled records are forced to the storage device: "batch" (after every batch, survives a
 *     power loss) or "never" (left to the operating system, survives a process crash)
 * @param whenFull What a full spool does: "drop-oldest" (delete the oldest segment, counted) or "drop-newest"
 *     (refuse new entries, counted as failed)
 * @param permissions POSIX permissions of segment files
 */
@ConfigurationProperties(SpoolProperties.PREFIX)
public record SpoolProperties(@DefaultValue("false") boolean enabled, @DefaultValue("logs/spool") Path directory,
        @Nullable List<String> backends, @DefaultValue("256MB") DataSize maxSize,
        @DefaultValue("16MB") DataSize segmentSize, @DefaultValue("batch") SpoolSettings.FsyncPolicy fsync,
        @DefaultValue("drop-oldest") SpoolSettings.SpoolFullPolicy whenFull,
        @DefaultValue("rw-r-----") String permissions) {

    public static final String PREFIX = "log-persistence.spool";

    public SpoolProperties {
        if (maxSize.toBytes() <= 0) {
            throw new IllegalArgumentException("log-persistence.spool.max-size must be greater than 0 but was " + maxSize);
        }
        if (segmentSize.toBytes() <= 0) {
            throw new IllegalArgumentException(
                    "log-persistence.spool.segment-size must be greater than 0 but was " + segmentSize);
        }
    }
}
