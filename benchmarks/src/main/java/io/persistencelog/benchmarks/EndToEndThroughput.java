package io.persistencelog.benchmarks;

import io.persistencelog.engine.OverflowPolicy;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * End-to-end throughput: the time from releasing the producers until every one of {@value #EVENTS} events
 * is in the file and the file is closed, measured once per iteration (SingleShotTime). The score is time
 * per event; events per second = 1 / score. Each iteration starts a fresh framework on a fresh directory
 * (untimed) and its tear-down counts the lines in the file, failing the run unless all are there.
 *
 * <p>The producers log as fast as they can; the starter runs with {@code when-full=block} so nothing is
 * dropped, Logback's AsyncAppender blocks ({@code neverBlock=false}) and Log4j2 waits for a free ring-buffer
 * slot (its default).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(EndToEndThroughput.EVENTS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 5, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
public class EndToEndThroughput {

    static final int EVENTS = 1_000_000;

    /** Producer threads, created untimed and released together. */
    static final class Producers {
        private final CountDownLatch go = new CountDownLatch(1);
        private final Thread[] threads;

        Producers(int count, LongConsumer log) {
            threads = new Thread[count];
            int share = EVENTS / count;
            for (int t = 0; t < count; t++) {
                long first = (long) t * share;
                long last = t == count - 1 ? EVENTS : first + share;
                threads[t] = new Thread(() -> {
                    awaitQuietly(go);
                    for (long seq = first; seq < last; seq++) {
                        log.accept(seq);
                    }
                }, "producer-" + t);
                threads[t].start();
            }
        }

        void runToEnd() {
            go.countDown();
            for (Thread thread : threads) {
                try {
                    thread.join();
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(ex);
                }
            }
        }

        private static void awaitQuietly(CountDownLatch latch) {
            try {
                latch.await();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @State(Scope.Benchmark)
    public static class Starter {
        @Param({"1", "2"})
        public int producers;
        Path directory;
        StarterFixture fixture;
        Producers run;

        @Setup(Level.Iteration)
        public void start() {
            directory = LineFiles.newDirectory("e2e-starter");
            fixture = StarterFixture.start(directory, OverflowPolicy.BLOCK);
            run = new Producers(producers, fixture::log);
        }

        @TearDown(Level.Iteration)
        public void verify() {
            LineFiles.verify("starter", directory, EVENTS);
            LineFiles.delete(directory);
        }
    }

    @State(Scope.Benchmark)
    public static class Log4j2 {
        @Param({"1", "2"})
        public int producers;
        Path directory;
        Log4j2Fixture fixture;
        Producers run;

        @Setup(Level.Iteration)
        public void start() {
            directory = LineFiles.newDirectory("e2e-log4j2");
            fixture = Log4j2Fixture.start(directory);
            run = new Producers(producers, fixture::log);
        }

        @TearDown(Level.Iteration)
        public void verify() {
            LineFiles.verify("log4j2", directory, EVENTS);
            LineFiles.delete(directory);
        }
    }

    @State(Scope.Benchmark)
    public static class Logback {
        @Param({"1", "2"})
        public int producers;
        Path directory;
        LogbackFixture fixture;
        Producers run;

        @Setup(Level.Iteration)
        public void start() {
            directory = LineFiles.newDirectory("e2e-logback");
            fixture = LogbackFixture.start(directory);
            run = new Producers(producers, fixture::log);
        }

        @TearDown(Level.Iteration)
        public void verify() {
            LineFiles.verify("logback", directory, EVENTS);
            LineFiles.delete(directory);
        }
    }

    @Benchmark
    public void starter(Starter s) {
        s.run.runToEnd();
        s.fixture.drainAndStop();
    }

    @Benchmark
    public void log4j2(Log4j2 s) {
        s.run.runToEnd();
        s.fixture.drainAndStop();
    }

    @Benchmark
    public void logback(Logback s) {
        s.run.runToEnd();
        s.fixture.drainAndStop();
    }
}
