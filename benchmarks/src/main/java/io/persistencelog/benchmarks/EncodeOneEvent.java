package io.persistencelog.benchmarks;

import io.persistencelog.LogLevel;
import io.persistencelog.codec.ByteSink;
import io.persistencelog.codec.JsonLineEncoder;
import io.persistencelog.engine.PipelineSettings;
import io.persistencelog.codec.QueuedLogEntry;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The drain side's main cost: turning one entry into its JSON line, on one core. Not part of the
 * comparison; it shows the ceiling of one drain thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EncodeOneEvent {

    private final JsonLineEncoder encoder = new JsonLineEncoder(PipelineSettings.DEFAULT_MAX_VALUE_LENGTH);
    private final String thread = Thread.currentThread().getName();
    private long seq;

    @Benchmark
    public int encode() {
        long s = seq++;
        QueuedLogEntry entry = new QueuedLogEntry(1_704_708_930_123L + s, LogLevel.INFO, Workload.LOGGER,
                Workload.MESSAGE, thread, new Object[] {Workload.KEY_INT, Workload.intValue(s), Workload.KEY_STRING,
                        Workload.STRING_VALUE, Workload.KEY_LONG, Workload.longValue(s)});
        ByteSink line = encoder.encode(entry);
        return line.size();
    }
}
