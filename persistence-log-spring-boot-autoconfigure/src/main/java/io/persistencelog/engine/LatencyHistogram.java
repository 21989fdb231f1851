package io.persistencelog.engine;

import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.jspecify.annotations.Nullable;

/**
 * Lock-free latency recording (HdrHistogram {@link Recorder}: writers never block) with cumulative
 * percentiles on read. Cheap enough to leave on in production: a record is a few atomic increments.
 */
public final class LatencyHistogram {

    private static final double NANOS_PER_MILLI = 1_000_000.0;

    private final Recorder recorder = new Recorder(3);
    private final Histogram total = new Histogram(3);
    /** Recycled between reads; it must come from this recorder, so it starts empty (the first read makes one). */
    private @Nullable Histogram interval;

    public void recordNanos(long nanos) {
        recorder.recordValue(Math.max(0, nanos));
    }

    /** Cumulative view since creation. */
    public synchronized Snapshot snapshot() {
        interval = recorder.getIntervalHistogram(interval);
        total.add(interval);
        if (total.getTotalCount() == 0) {
            return new Snapshot(0, 0, 0, 0, 0, 0, 0);
        }
        return new Snapshot(total.getTotalCount(), total.getMean() / NANOS_PER_MILLI,
                total.getMinValue() / NANOS_PER_MILLI, total.getMaxValue() / NANOS_PER_MILLI,
                total.getValueAtPercentile(50) / NANOS_PER_MILLI, total.getValueAtPercentile(99) / NANOS_PER_MILLI,
                total.getValueAtPercentile(99.9) / NANOS_PER_MILLI);
    }

    /** Cumulative figures in milliseconds. */
    public record Snapshot(long count, double meanMs, double minMs, double maxMs, double p50Ms, double p99Ms,
            double p999Ms) {

        public Map<String, Object> toMap(String prefix) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put(prefix + "P50Ms", p50Ms);
            map.put(prefix + "P99Ms", p99Ms);
            map.put(prefix + "P999Ms", p999Ms);
            map.put(prefix + "MaxMs", maxMs);
            return map;
        }
    }
}
