package io.persistencelog;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One structured log event, immutable once built.
 *
 * <p>Fields are never null; {@link #fields()} is unmodifiable. Values inside {@link #fields()} are the
 * caller's own objects: like every asynchronous logger, the pipeline serialises them later on its own
 * thread, so callers should not mutate what they log.
 */
public interface LogEntry {

    Instant timestamp();

    /** Timestamp as epoch milliseconds; cheaper than {@link #timestamp()} on the drain side. */
    default long epochMillis() {
        return timestamp().toEpochMilli();
    }

    LogLevel level();

    String logger();

    String message();

    String thread();

    /** Structured key/values in the order they were given. */
    Map<String, Object> fields();

    @Nullable Throwable error();
}
