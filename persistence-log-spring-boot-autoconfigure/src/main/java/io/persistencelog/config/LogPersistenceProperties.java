package io.persistencelog.config;

import io.persistencelog.LogLevel;
import io.persistencelog.codec.JsonLineEncoder;
import io.persistencelog.engine.OverflowPolicy;
import io.persistencelog.engine.PipelineSettings;
import io.persistencelog.codec.Redactor;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Configuration of persistence-log's pipeline. Bound by Spring Boot's {@code Binder} in both modes: from
 * the {@code Environment} in a Spring application, from system properties and environment variables in a
 * plain {@code main} ({@link SettingsSource}).
 *
 * @param enabled Whether to persist logs at all; when false, AppLogger calls only reach the
 *     console
 * @param backends Comma-separated backends to write to, e.g. "file,datadog"; the LOG_BACKENDS environment
 *     variable takes precedence; "file" when neither is set
 * @param shutdownTimeout How long stopping the application waits for accepted entries to be persisted
 * @param minLevel Lowest level of AppLogger calls that is persisted
 * @param maxValueLength Longest string value written to a backend; longer values are cut and marked
 * @param queue Shared queue between log calls and backends
 * @param batch Batches the dispatcher hands to the backends
 * @param lane Per-backend buffers
 * @param redaction Masking of sensitive fields
 */
@ConfigurationProperties(LogPersistenceProperties.PREFIX)
public record LogPersistenceProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("file") String backends,
        @DefaultValue("10s") Duration shutdownTimeout,
        @DefaultValue("INFO") LogLevel minLevel,
        @DefaultValue("" + JsonLineEncoder.DEFAULT_MAX_VALUE_LENGTH) int maxValueLength,
        @DefaultValue Queue queue,
        @DefaultValue Batch batch,
        @DefaultValue Lane lane,
        @DefaultValue Redaction redaction) {

    public static final String PREFIX = "log-persistence";

    public LogPersistenceProperties {
        requireNonNegative(shutdownTimeout, "log-persistence.shutdown-timeout");
        requirePositive(maxValueLength, "log-persistence.max-value-length");
    }

    /**
     * Shared queue between log calls and backends.
     *
     * @param capacity Entries the queue holds
     * @param whenFull What a log call does when the queue is full: "drop" (count it, print it to the
     *     console, never block) or "block" (wait for room)
     */
    public record Queue(@DefaultValue("65536") int capacity, @DefaultValue("drop") OverflowPolicy whenFull) {
        public Queue {
            requirePositive(capacity, "log-persistence.queue.capacity");
        }
    }

    /**
     * Batches the dispatcher hands to the backends.
     *
     * @param size Most entries per batch
     * @param maxWait How long to wait for a batch to fill before handing over what is there; 0 hands over at
     *     once (lowest latency)
     */
    public record Batch(@DefaultValue("100") int size, @DefaultValue("0ms") Duration maxWait) {
        public Batch {
            requirePositive(size, "log-persistence.batch.size");
            requireNonNegative(maxWait, "log-persistence.batch.max-wait");
        }
    }

    /**
     * Per-backend buffers: each backend has its own, so a slow backend only fills its own.
     *
     * @param capacity Entries one backend may have waiting before further batches are dropped for it (or,
     *     with queue.when-full=block, before the pipeline waits)
     */
    public record Lane(@DefaultValue("65536") int capacity) {
        public Lane {
            requirePositive(capacity, "log-persistence.lane.capacity");
        }
    }

    /**
     * Masking of sensitive fields before any backend sees them.
     *
     * @param enabled Whether to mask fields whose names match a pattern
     * @param fieldPatterns Field-name patterns, matched ignoring case and the separators "_", "-" and ".", as
     *     substrings: "token" masks "accessToken"
     */
    public record Redaction(@DefaultValue("true") boolean enabled,
            @DefaultValue({ "password", "passwd", "pwd", "secret", "token", "authorization", "api_key", "cookie",
                    "credential", "private_key", "jwt", "bearer", "session" }) List<String> fieldPatterns) {
    }

    /** The redaction the pipeline applies. */
    public Redactor toRedactor() {
        return redaction.enabled() ? new Redactor(redaction.fieldPatterns()) : Redactor.NONE;
    }

    /** The engine's settings, with the given clock. */
    public PipelineSettings toPipelineSettings(Clock clock) {
        return new PipelineSettings(queue.capacity(), queue.whenFull(), batch.size(), batch.maxWait(),
                lane.capacity(), shutdownTimeout, minLevel, maxValueLength, clock);
    }

    private static void requirePositive(int value, String property) {
        if (value <= 0) {
            throw new IllegalArgumentException(property + " must be greater than 0 but was " + value
                    + "; set it to a positive number");
        }
    }

    private static void requireNonNegative(@Nullable Duration value, String property) {
        if (value != null && value.isNegative()) {
            throw new IllegalArgumentException(property + " must not be negative but was " + value);
        }
    }
}
