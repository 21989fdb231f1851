package io.persistencelog.engine;

import io.persistencelog.LogLevel;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import io.persistencelog.engine.spool.SpoolSettings;
import org.jspecify.annotations.Nullable;

/**
 * Settings outside Spring: each {@code log-persistence.*} property is read from a system property of that
 * name, else from the environment variable in Spring's relaxed form
 * ({@code log-persistence.file.directory} becomes {@code LOG_PERSISTENCE_FILE_DIRECTORY}).
 */
public final class EnvironmentSettings {

    private final Properties systemProperties;
    private final Map<String, String> environment;

    public EnvironmentSettings(Properties systemProperties, Map<String, String> environment) {
        this.systemProperties = systemProperties;
        this.environment = environment;
    }

    public static EnvironmentSettings current() {
        return new EnvironmentSettings(System.getProperties(), System.getenv());
    }

    public @Nullable String get(String property) {
        String value = systemProperties.getProperty(property);
        if (value == null) {
            value = environment.get(relaxed(property));
        }
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** A variable read under its own name only ({@code LOG_BACKENDS}, {@code DD_API_KEY}). */
    public @Nullable String variable(String name) {
        String value = systemProperties.getProperty(name);
        if (value == null) {
            value = environment.get(name);
        }
        return value == null || value.isBlank() ? null : value.trim();
    }

    public String get(String property, String defaultValue) {
        String value = get(property);
        return value == null ? defaultValue : value;
    }

    public int getInt(String property, int defaultValue) {
        String value = get(property);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value);
        }
        catch (NumberFormatException ex) {
            throw new IllegalArgumentException(property + " must be a whole number but was '" + value + "'");
        }
    }

    /** A size such as {@code 256MB}, {@code 512KB} or {@code 1048576} (bytes), like Spring's DataSize. */
    public long getBytes(String property, long defaultValue) {
        String value = get(property);
        if (value == null) {
            return defaultValue;
        }
        String v = value.trim().toUpperCase(Locale.ROOT);
        long unit = 1;
        for (String[] suffix : new String[][] { { "GB", "1073741824" }, { "MB", "1048576" }, { "KB", "1024" },
                { "B", "1" } }) {
            if (v.endsWith(suffix[0])) {
                unit = Long.parseLong(suffix[1]);
                v = v.substring(0, v.length() - suffix[0].length()).trim();
                break;
            }
        }
        try {
            return Long.parseLong(v) * unit;
        }
        catch (NumberFormatException ex) {
            throw new IllegalArgumentException(property + " must be a size such as 256MB but was '" + value + "'");
        }
    }

    public Duration getDuration(String property, Duration defaultValue) {
        String value = get(property);
        if (value == null) {
            return defaultValue;
        }
        try {
            return parseDuration(value);
        }
        catch (DateTimeParseException | NumberFormatException ex) {
            throw new IllegalArgumentException(property + " must be a duration such as 10s, 500ms or PT10S but was '"
                    + value + "'");
        }
    }

    static Duration parseDuration(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.startsWith("pt") || v.startsWith("p")) {
            return Duration.parse(value.trim());
        }
        if (v.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        if (v.endsWith("s")) {
            return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
        }
        if (v.endsWith("m")) {
            return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
        }
        return Duration.ofMillis(Long.parseLong(v));
    }

    public <E extends Enum<E>> E getEnum(String property, Class<E> type, E defaultValue) {
        String value = get(property);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(property + " must be one of " + java.util.Arrays.toString(
                    type.getEnumConstants()).toLowerCase(Locale.ROOT) + " but was '" + value + "'");
        }
    }

    public PipelineSettings pipelineSettings() {
        PipelineSettings d = PipelineSettings.defaults();
        return new PipelineSettings(
                getInt("log-persistence.queue.capacity", d.queueCapacity()),
                getEnum("log-persistence.queue.when-full", OverflowPolicy.class, d.whenFull()),
                getInt("log-persistence.batch.size", d.batchSize()),
                getDuration("log-persistence.batch.max-wait", d.batchMaxWait()),
                getInt("log-persistence.lane.capacity", d.laneCapacity()),
                getDuration("log-persistence.shutdown-timeout", d.shutdownTimeout()),
                getEnum("log-persistence.min-level", LogLevel.class, d.minLevel()),
                getInt("log-persistence.max-value-length", d.maxValueLength()),
                Clock.systemUTC());
    }

    /** Redaction from {@code log-persistence.redaction.enabled} and {@code .field-patterns} (comma-separated). */
    public Redactor redactor() {
        if ("false".equalsIgnoreCase(get("log-persistence.redaction.enabled"))) {
            return Redactor.NONE;
        }
        String patterns = get("log-persistence.redaction.field-patterns");
        return patterns == null ? Redactor.defaults() : new Redactor(java.util.List.of(patterns.split("\\s*,\\s*")));
    }

    /** Retry, circuit breaker and spool from {@code log-persistence.resilience.*} and {@code log-persistence.spool.*}. */
    public GuardSettings guardSettings(int maxValueLength) {
        GuardSettings d = GuardSettings.defaults();
        SpoolSettings spool = null;
        if ("true".equalsIgnoreCase(get("log-persistence.spool.enabled"))) {
            long maxSize = getBytes("log-persistence.spool.max-size", 256L << 20);
            spool = new SpoolSettings(java.nio.file.Path.of(get("log-persistence.spool.directory", "logs/spool")),
                    maxSize,
                    // unset: 16MB, or max-size when smaller (as in the auto-configuration)
                    getBytes("log-persistence.spool.segment-size", Math.min(16L << 20, maxSize)),
                    getEnum("log-persistence.spool.fsync", SpoolSettings.FsyncPolicy.class, SpoolSettings.FsyncPolicy.BATCH),
                    getEnum("log-persistence.spool.when-full", SpoolSettings.SpoolFullPolicy.class,
                            SpoolSettings.SpoolFullPolicy.DROP_OLDEST),
                    java.nio.file.attribute.PosixFilePermissions.fromString(
                            get("log-persistence.spool.permissions", "rw-r-----")), maxValueLength);
        }
        String backends = get("log-persistence.spool.backends");
        return new GuardSettings(getInt("log-persistence.resilience.retry-attempts", d.retryAttempts()),
                getDuration("log-persistence.resilience.retry-backoff", d.retryBackoff()),
                !"false".equalsIgnoreCase(get("log-persistence.resilience.circuit-enabled")),
                getInt("log-persistence.resilience.failures-to-open", d.failuresToOpen()),
                getDuration("log-persistence.resilience.pause-initial", d.pauseInitial()),
                getDuration("log-persistence.resilience.pause-max", d.pauseMax()), spool,
                backends == null ? d.spoolBackends() : io.persistencelog.BackendNames.parse(backends));
    }

    static String relaxed(String property) {
        return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
