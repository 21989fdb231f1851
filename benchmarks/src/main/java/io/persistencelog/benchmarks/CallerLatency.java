package io.persistencelog.benchmarks;

import io.persistencelog.engine.OverflowPolicy;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Caller-side cost of one log call (what the application thread pays), sampled by JMH's SampleTime mode.
 *
 * <p>Between two calls each producer thread burns CPU in an untimed per-invocation setup (about 20 µs), so
 * the rate stays far below what any of the three drains, the queues never fill, and this measures the
 * enqueue path rather than back-pressure. Run with {@code -t 1} and {@code -t 2}. The {@code Caller} state
 * also counts the bytes the calling thread allocates ({@code callerBytes}/{@code callerCalls}), which
 * {@code -prof gc} cannot tell apart from the background threads' allocation.
 *
 * <p>Each benchmark method uses one framework's state only, and JMH runs every method in its own forked
 * JVMs, so a fork initialises exactly one logging framework.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 4, time = 2)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class CallerLatency {

    /** Work between two calls of one producer thread, in {@link Blackhole#consumeCPU} tokens. */
    static final long PACE_TOKENS = 4_000;

    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Caller {

        private static final com.sun.management.ThreadMXBean THREADS =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

        long seq;
        private long bytesAtStart;
        private long seqAtStart;
        /** Bytes allocated by this calling thread during the iteration (harness included). */
        public long callerBytes;
        /** Log calls this thread made during the iteration. */
        public long callerCalls;

        @Setup(Level.Iteration)
        public void startIteration() {
            callerBytes = 0;
            callerCalls = 0;
            seqAtStart = seq;
            bytesAtStart = THREADS.getCurrentThreadAllocatedBytes();
        }

        @Setup(Level.Invocation)
        public void pace() {
            Blackhole.consumeCPU(PACE_TOKENS);
            seq++;
        }

        @TearDown(Level.Iteration)
        public void endIteration() {
            callerBytes = THREADS.getCurrentThreadAllocatedBytes() - bytesAtStart;
            callerCalls = seq - seqAtStart;
        }
    }

    @State(Scope.Benchmark)
    public static class Starter {
        Path directory;
        StarterFixture fixture;

        @Setup(Level.Trial)
        public void start() {
            directory = LineFiles.newDirectory("latency-starter");
            // The default policy: a full queue would drop, and the tear-down fails the run if anything was.
            fixture = StarterFixture.start(directory, OverflowPolicy.DROP);
        }

        @TearDown(Level.Trial)
        public void stop() {
            fixture.drainAndStop();
            LineFiles.delete(directory);
        }
    }

    @State(Scope.Benchmark)
    public static class Log4j2 {
        Path directory;
        Log4j2Fixture fixture;

        @Setup(Level.Trial)
        public void start() {
            directory = LineFiles.newDirectory("latency-log4j2");
            fixture = Log4j2Fixture.start(directory);
        }

        @TearDown(Level.Trial)
        public void stop() {
            fixture.drainAndStop();
            LineFiles.delete(directory);
        }
    }

    @State(Scope.Benchmark)
    public static class Logback {
        Path directory;
        LogbackFixture fixture;

        @Setup(Level.Trial)
        public void start() {
            directory = LineFiles.newDirectory("latency-logback");
            fixture = LogbackFixture.start(directory);
        }

        @TearDown(Level.Trial)
        public void stop() {
            fixture.drainAndStop();
            LineFiles.delete(directory);
        }
    }

    @Benchmark
    public void starter(Starter s, Caller c) {
        s.fixture.log(c.seq);
    }

    @Benchmark
    public void log4j2(Log4j2 s, Caller c) {
        s.fixture.log(c.seq);
    }

    @Benchmark
    public void logback(Logback s, Caller c) {
        s.fixture.log(c.seq);
    }

    /**
     * What the starter's call site itself allocates before the logger runs: the varargs array and the boxed
     * int and long. Subtracted from the starter's caller bytes to get the engine's own allocation.
     */
    @Benchmark
    @Fork(1)
    public Object[] argumentsOnly(Caller c) {
        long seq = c.seq;
        return new Object[] {Workload.KEY_INT, Workload.intValue(seq), Workload.KEY_STRING, Workload.STRING_VALUE,
                Workload.KEY_LONG, Workload.longValue(seq)};
    }
}
