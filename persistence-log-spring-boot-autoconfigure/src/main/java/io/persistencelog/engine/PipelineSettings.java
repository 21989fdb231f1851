package io.persistencelog.engine;

import io.persistencelog.LogLevel;
import io.persistencelog.codec.JsonLineEncoder;
import java.time.Clock;
import java.time.Duration;

/**
 * Tuning of the pipeline.
 *
 * @param queueCapacity entries the shared queue holds
 * @param whenFull what a log call does when the queue is full
 * @param batchSize most entries the dispatcher hands to the lanes at once
 * @param batchMaxWait how long the dispatcher lingers to fill a batch; zero dispatches what is there
 * @param laneCapacity entries each backend's lane may hold before it drops (or blocks, under BLOCK)
 * @param shutdownTimeout how long stopping waits to drain
 * @param minLevel lowest level persisted
 * @param maxValueLength longest string value written; longer ones are cut with a marker
 * @param clock source of entry timestamps
 */
public record PipelineSettings(int queueCapacity, OverflowPolicy whenFull, int batchSize, Duration batchMaxWait,
        int laneCapacity, Duration shutdownTimeout, LogLevel minLevel, int maxValueLength, Clock clock) {

    public static final int DEFAULT_QUEUE_CAPACITY = 65_536;
    public static final int DEFAULT_BATCH_SIZE = 100;
    public static final int DEFAULT_MAX_VALUE_LENGTH = JsonLineEncoder.DEFAULT_MAX_VALUE_LENGTH;
    /**
     * Largest queue: its array is allocated up front (and rounded up to a power of two), so a larger value
     * would cost hundreds of megabytes at startup or fail outright.
     */
    public static final int MAX_QUEUE_CAPACITY = 1 << 22;
    /** Largest batch: the dispatcher allocates one batch buffer up front. */
    public static final int MAX_BATCH_SIZE = 1 << 16;

    public PipelineSettings {
        requirePositive(queueCapacity, "queue.capacity");
        requirePositive(batchSize, "batch.size");
        requirePositive(laneCapacity, "lane.capacity");
        requirePositive(maxValueLength, "max-value-length");
        requireAtMost(queueCapacity, MAX_QUEUE_CAPACITY, "queue.capacity");
        requireAtMost(batchSize, MAX_BATCH_SIZE, "batch.size");
        if (laneCapacity < batchSize) {
            // A lane must hold at least one whole batch: smaller, the dispatcher would wait forever for room
            // under "block" (a batch never fits) or hand oversized batches over unbounded under "drop".
            throw new IllegalArgumentException("log-persistence.lane.capacity (" + laneCapacity
                    + ") must be at least log-persistence.batch.size (" + batchSize + "): a lane must hold one "
                    + "whole batch; raise log-persistence.lane.capacity or lower log-persistence.batch.size");
        }
        if (batchMaxWait.isNegative()) {
            throw new IllegalArgumentException("log-persistence.batch.max-wait must not be negative");
        }
        if (shutdownTimeout.isNegative()) {
            throw new IllegalArgumentException("log-persistence.shutdown-timeout must not be negative");
        }
    }

    public static PipelineSettings defaults() {
        return new PipelineSettings(DEFAULT_QUEUE_CAPACITY, OverflowPolicy.DROP, DEFAULT_BATCH_SIZE, Duration.ZERO,
                DEFAULT_QUEUE_CAPACITY, Duration.ofSeconds(10), LogLevel.INFO, DEFAULT_MAX_VALUE_LENGTH,
                Clock.systemUTC());
    }

    public PipelineSettings withClock(Clock newClock) {
        return new PipelineSettings(queueCapacity, whenFull, batchSize, batchMaxWait, laneCapacity, shutdownTimeout,
                minLevel, maxValueLength, newClock);
    }

    private static void requireAtMost(int value, int max, String property) {
        if (value > max) {
            throw new IllegalArgumentException("log-persistence." + property + " must be at most " + max
                    + " but was " + value + "; its memory is allocated at startup");
        }
    }

    private static void requirePositive(int value, String property) {
        if (value <= 0) {
            throw new IllegalArgumentException("log-persistence." + property + " must be greater than 0 but was "
                    + value + "; set it to a positive number");
        }
    }
}
