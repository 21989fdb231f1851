package io.persistencelog.search;

import io.persistencelog.LogLevel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Matching entries per level in about {@link #TARGET_BUCKETS} equal buckets over a range. Bucket sizes are
 * round (1 s, 5 s, 1 m, 30 m, 3 h, 1 d, ...) and aligned to multiples of their size since the epoch, so
 * consecutive searches line up and a chart's axis reads naturally.
 */
final class Histogram {

    static final int TARGET_BUCKETS = 60;

    private static final long SECOND = 1000L;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;
    private static final long[] SIZES = { SECOND, 2 * SECOND, 5 * SECOND, 10 * SECOND, 15 * SECOND, 30 * SECOND,
            MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 20 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR,
            3 * HOUR, 4 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY };
    private static final LogLevel[] LEVELS = LogLevel.values();

    private final long first;
    private final long end;
    private final long size;
    private final long[][] counts;

    Histogram(Instant from, Instant to) {
        long start = from.toEpochMilli();
        this.end = to.toEpochMilli();
        this.size = bucketSize(end - start);
        this.first = Math.floorDiv(start, size) * size;
        int buckets = (int) Math.max(1, (end - first + size - 1) / size);
        this.counts = new long[buckets][LEVELS.length];
    }

    /** The smallest round size that cuts a span into at most about 60 buckets. */
    static long bucketSize(long spanMillis) {
        long ideal = Math.max(1, (spanMillis + TARGET_BUCKETS - 1) / TARGET_BUCKETS);
        for (long candidate : SIZES) {
            if (candidate >= ideal) {
                return candidate;
            }
        }
        return (ideal + DAY - 1) / DAY * DAY;
    }

    void add(long epochMillis, LogLevel level) {
        long index = Math.floorDiv(epochMillis - first, size);
        if (index == counts.length && epochMillis == end) {
            // The range's end is inclusive; when it falls on a boundary it counts in the last bucket.
            index--;
        }
        if (index >= 0 && index < counts.length) {
            counts[(int) index][level.ordinal()]++;
        }
    }

    Duration bucketSize() {
        return Duration.ofMillis(size);
    }

    /** {@code [{"start": "...", "counts": {"TRACE": 0, ..., "ERROR": 2}}, ...]}, oldest bucket first. */
    List<Map<String, Object>> buckets() {
        List<Map<String, Object>> list = new ArrayList<>(counts.length);
        for (int i = 0; i < counts.length; i++) {
            Map<String, Long> perLevel = new LinkedHashMap<>();
            for (LogLevel level : LEVELS) {
                perLevel.put(level.name(), counts[i][level.ordinal()]);
            }
            Map<String, Object> bucket = new LinkedHashMap<>();
            bucket.put("start", Instant.ofEpochMilli(first + i * size).toString());
            bucket.put("counts", perLevel);
            list.add(bucket);
        }
        return list;
    }
}
