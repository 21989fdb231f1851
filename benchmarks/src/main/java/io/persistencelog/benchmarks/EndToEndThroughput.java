package io.persistencelog.benchmarks;

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
 * dropped (its capture path never blocks a library's call, so that harness waits for room in the queue),
 * Logback's AsyncAppender blocks ({@code neverBlock=false}) and Log4j2 waits for a free ring-buffer slot
 * (its default). With the echo on, the starter's console echo thread also formats and writes every event to
 * {@code /dev/null} through Boot's console pattern, sharing the two cores; lines it cannot keep up with are
 * skipped for the console only (counted), never for the file.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(EndToEndThroughput.EVENTS)
@Warmup(iterations = 2)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
public class EndToEndThroughput {

    static final int EVENTS = 200_000;

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
    public static class Target {
        @Param({"starter-echo-async"})
        public String config;
        @Param({"constant"})
        public String workload;
        @Param({"1"})
        public int producers;
        Path directory;
        Subject subject;
        Producers run;

        @Setup(Level.Iteration)
        public void start() {
            directory = LineFiles.newDirectory("e2e-" + config);
            subject = Subject.start(config, Workload.Kind.valueOf(workload), directory, Subject.Use.THROUGHPUT);
            run = new Producers(producers, subject::log);
        }

        @TearDown(Level.Iteration)
        public void verify() {
            LineFiles.verify(config, directory, EVENTS);
            LineFiles.delete(directory);
        }
    }

    @Benchmark
    public void run(Target t) {
        t.run.runToEnd();
        t.subject.drainAndStop();
    }
}
