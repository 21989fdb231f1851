package io.persistencelog.engine;

import io.persistencelog.TimingStats;

/** Caller-side cost of one logger's calls, recorded in a lock-free histogram. */
public final class TimingRecorder {

    private final LatencyHistogram histogram = new LatencyHistogram();

    public void recordNanos(long nanos) {
        histogram.recordNanos(nanos);
    }

    public TimingStats snapshot() {
        LatencyHistogram.Snapshot s = histogram.snapshot();
        return new TimingStats(s.count(), s.meanMs(), s.minMs(), s.maxMs(), s.p50Ms(), s.p99Ms(), s.p999Ms());
    }
}
