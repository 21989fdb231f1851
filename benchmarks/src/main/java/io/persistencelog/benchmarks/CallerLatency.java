package io.persistencelog.benchmarks;

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
import org.slf4j.MDC;

/**
 * Caller-side cost of one log call (what the application thread pays), sampled by JMH's SampleTime mode.
 *
 * <p>Between two calls each producer thread burns CPU in an untimed per-invocation setup (about 20 µs), so
 * the rate stays far below what any of the drains sustains, the queues never fill, and this measures the
 * call rather than back-pressure. The {@code Caller} state also counts the bytes the calling thread allocates
 * ({@code callerBytes}/{@code callerCalls}), which {@code -prof gc} cannot tell apart from background threads.
 *
 * <p>{@code config} picks the set-up ({@link Subject#CONFIGS}), {@code workload} the events
 * ({@link Workload}), {@code mdc} how many MDC entries the calling thread holds (0 or 3; the starter copies
 * nothing for 0 and keeps Logback's read-only map by reference for 3). JMH runs every parameter combination
 * in its own forked JVMs, so a fork initialises exactly one logging framework.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 4, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
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
        public void startIteration(Target target) {
            if (target.mdc > 0) {
                // A request's context as Micrometer Tracing puts it into the MDC.
                MDC.put("traceId", "4bf92f3577b34da6a3ce929d0e0e4736");
                MDC.put("spanId", "00f067aa0ba902b7");
                MDC.put("tenant", "acme");
            }
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
    public static class Target {
        @Param({"starter-echo-async"})
        public String config;
        @Param({"constant"})
        public String workload;
        @Param({"0"})
        public int mdc;

        Path directory;
        Subject subject;

        @Setup(Level.Trial)
        public void start() {
            directory = LineFiles.newDirectory("latency-" + config);
            subject = Subject.start(config, Workload.Kind.valueOf(workload), directory, Subject.Use.LATENCY);
        }

        @TearDown(Level.Trial)
        public void stop() {
            subject.drainAndStop();
            LineFiles.delete(directory);
        }
    }

    @Benchmark
    public void call(Target t, Caller c) {
        t.subject.log(c.seq);
    }

    /**
     * What the starter's call site itself allocates before the logger runs (constant workload): the varargs
     * array and the boxed int and long. Subtracted from the starter's caller bytes to get its own allocation.
     */
    @Benchmark
    public Object[] argumentsOnly(Caller c) {
        long seq = c.seq;
        return new Object[] {Workload.KEY_INT, Workload.intValue(seq), Workload.KEY_STRING, Workload.STRING_VALUE,
                Workload.KEY_LONG, Workload.longValue(seq)};
    }
}
