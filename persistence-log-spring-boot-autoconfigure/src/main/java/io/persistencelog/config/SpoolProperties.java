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
 * @param segmentSize Size of one segment file; default 16MB, or max-size when that is smaller
 * @param fsync When spooled records are forced to the storage device: "batch" (after every batch, survives a
 *     power loss) or "never" (left to the operating system, survives a process crash)
 * @param whenFull What a full spool does: "drop-oldest" (delete the oldest segment, counted) or "drop-newest"
 *     (refuse new entries, counted as failed)
 * @param permissions POSIX permissions of segment files
 */
@ConfigurationProperties(SpoolProperties.PREFIX)
public record SpoolProperties(@DefaultValue("false") boolean enabled, @DefaultValue("logs/spool") Path directory,
        @Nullable List<String> backends, @DefaultValue("256MB") DataSize maxSize,
        @Nullable DataSize segmentSize, @DefaultValue("batch") SpoolSettings.FsyncPolicy fsync,
        @DefaultValue("drop-oldest") SpoolSettings.SpoolFullPolicy whenFull,
        @DefaultValue("rw-r-----") String permissions) {

    public static final String PREFIX = "log-persistence.spool";
    /** Segment size when none is set, unless max-size is smaller. */
    public static final DataSize DEFAULT_SEGMENT_SIZE = DataSize.ofMegabytes(16);

    public SpoolProperties {
        if (maxSize.toBytes() <= 0) {
            throw new IllegalArgumentException("log-persistence.spool.max-size must be greater than 0 but was " + maxSize);
        }
        // Unset (null from the binder): a lone spool.max-size=1MB must not fail startup because of a default
        // the user never chose. A segment-size set above max-size is still refused, naming both.
        if (segmentSize == null) {
            segmentSize = maxSize.compareTo(DEFAULT_SEGMENT_SIZE) < 0 ? maxSize : DEFAULT_SEGMENT_SIZE;
        }
        if (segmentSize.toBytes() <= 0) {
            throw new IllegalArgumentException(
                    "log-persistence.spool.segment-size must be greater than 0 but was " + segmentSize);
        }
    }

    /** Never null: the constructor settles an unset size. */
    @Override
    public DataSize segmentSize() {
        DataSize size = segmentSize;
        return size != null ? size : DEFAULT_SEGMENT_SIZE;
    }
}
