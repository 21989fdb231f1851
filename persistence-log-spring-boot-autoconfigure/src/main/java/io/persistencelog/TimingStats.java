package io.persistencelog;

/**
 * Snapshot of the caller-side cost of log calls (building the entry and enqueueing it, never the
 * background write), in milliseconds.
 */
public record TimingStats(long totalCalls, double avgTimeMs, double minTimeMs, double maxTimeMs,
        double p50TimeMs, double p99TimeMs, double p999TimeMs) {

    public static final TimingStats EMPTY = new TimingStats(0, 0, 0, 0, 0, 0, 0);
}
