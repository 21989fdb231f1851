package io.persistencelog.benchmarks;

import io.persistencelog.AppLogger;
import io.persistencelog.AppLoggerFactory;
import io.persistencelog.BatchResult;
import io.persistencelog.LogBackend;
import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import io.persistencelog.engine.AsyncPersistencePipeline;
import io.persistencelog.engine.DefaultBackendRegistry;
import io.persistencelog.engine.LaneStats;
import io.persistencelog.engine.OverflowPolicy;
import io.persistencelog.engine.PipelineHolder;
import io.persistencelog.engine.PipelineSettings;
import io.persistencelog.codec.QueuedLogEntry;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * Memory stays bounded under overload: ten times the queue capacity is logged against a backend that never
 * returns, and the heap grows by no more than what the bounded buffers can hold (queue capacity + lane
 * capacity entries, at the measured size of one retained entry) plus a constant. Logs the same amount
 * again to show that the heap does not grow further. Prints a line per step and writes the figures as
 * JSON for the report.
 *
 * <p>Usage: {@code OverloadMemoryCheck [output.json] [capacity]}; run it in a JVM of its own (the report
 * script uses {@code -Xmx256m}).
 */
public final class OverloadMemoryCheck {

    /** Allowance for the fixed structures: queue and lane arrays, the overflow console's buffer, threads. */
    static final long CONSTANT_ALLOWANCE = 8L * 1024 * 1024;

    private OverloadMemoryCheck() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
        Path output = Path.of(args.length > 0 ? args[0] : "memory.json");
        int capacity = args.length > 1 ? Integer.parseInt(args[1]) : Workload.QUEUE_CAPACITY;
        PrintStream report = System.out;
        // Dropped entries are echoed to the console by design; keep them out of this report.
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));

        long entryBytes = retainedBytesPerEntry(capacity);
        report.printf(Locale.ROOT, "retained size of one logged entry (entry + varargs array + boxes): %d bytes%n",
                entryBytes);

        StalledBackend stalled = new StalledBackend();
        PipelineSettings d = PipelineSettings.defaults();
        PipelineSettings settings = new PipelineSettings(capacity, OverflowPolicy.DROP, d.batchSize(),
                d.batchMaxWait(), capacity, Duration.ofSeconds(1), LogLevel.INFO, d.maxValueLength(), d.clock());
        DefaultBackendRegistry registry = new DefaultBackendRegistry(Set.of(StalledBackend.NAME));
        registry.register(stalled);
        long heapBefore = usedHeapAfterGc();
        AsyncPersistencePipeline pipeline = new AsyncPersistencePipeline(settings, registry);
        pipeline.start();
        PipelineHolder.install(pipeline);
        AppLogger logger = AppLoggerFactory.getAppLogger(Workload.LOGGER);

        long logged = 10L * capacity;
        long seq = 0;
        for (; seq < logged; seq++) {
            logger.info(Workload.MESSAGE, Workload.KEY_INT, Workload.intValue(seq), Workload.KEY_STRING,
                    Workload.STRING_VALUE, Workload.KEY_LONG, Workload.longValue(seq));
        }
        awaitSettledBuffers(pipeline);
        long heapAfter = usedHeapAfterGc();
        LaneStats lane = pipeline.laneStats(StalledBackend.NAME);
        long inLane = lane == null ? 0 : lane.inFlight();
        long held = pipeline.queueSize() + inLane;
        long dropped = pipeline.droppedCount() + (lane == null ? 0 : lane.dropped());
        long growth = heapAfter - heapBefore;
        long bound = 2L * capacity * entryBytes + CONSTANT_ALLOWANCE;
        report.printf(Locale.ROOT, "logged %d entries (10 x capacity %d) against a stalled backend: held %d "
                + "(queue %d, lane %d), dropped %d; heap grew %.1f MiB; bound (queue + lane capacity) x %d B + %d MiB "
                + "= %.1f MiB%n", logged, capacity, held, pipeline.queueSize(), inLane, dropped,
                mib(growth), entryBytes, CONSTANT_ALLOWANCE >> 20, mib(bound));

        for (long end = seq + logged; seq < end; seq++) {
            logger.info(Workload.MESSAGE, Workload.KEY_INT, Workload.intValue(seq), Workload.KEY_STRING,
                    Workload.STRING_VALUE, Workload.KEY_LONG, Workload.longValue(seq));
        }
        awaitSettledBuffers(pipeline);
        long heapAfterMore = usedHeapAfterGc();
        long growthMore = heapAfterMore - heapBefore;
        report.printf(Locale.ROOT, "logged %d more: held %d, dropped %d; heap growth now %.1f MiB%n", logged,
                pipeline.queueSize() + (lane == null ? 0 : lane.inFlight()),
                pipeline.droppedCount() + (lane == null ? 0 : lane.dropped()), mib(growthMore));

        boolean within = growth <= bound && growthMore <= bound;
        report.println(within ? "PASS: heap stays within the bound" : "FAIL: heap exceeds the bound");
        stalled.release();
        pipeline.shutdown(Duration.ofSeconds(5));
        PipelineHolder.uninstall(pipeline);

        String json = String.format(Locale.ROOT, "{\"capacity\":%d,\"laneCapacity\":%d,\"logged\":%d,\"held\":%d,"
                + "\"dropped\":%d,\"entryBytes\":%d,\"constantBytes\":%d,\"heapGrowthBytes\":%d,"
                + "\"heapGrowthAfterTwiceBytes\":%d,\"boundBytes\":%d,\"withinBound\":%b,\"maxHeapBytes\":%d}%n",
                capacity, capacity, logged, held, dropped, entryBytes, CONSTANT_ALLOWANCE,
                growth, growthMore, bound, within, Runtime.getRuntime().maxMemory());
        Files.writeString(output, json);
        if (!within) {
            System.exit(1);
        }
    }

    /** Retained heap per entry as the logger builds it, measured by holding {@code count} of them. */
    private static long retainedBytesPerEntry(int count) {
        String thread = Thread.currentThread().getName();
        long before = usedHeapAfterGc();
        Object[] held = new Object[count];
        long arrayBytes = 16L + 4L * count;
        for (int i = 0; i < count; i++) {
            long seq = 1_000_000L + i;
            held[i] = new QueuedLogEntry(System.currentTimeMillis(), LogLevel.INFO, Workload.LOGGER, Workload.MESSAGE,
                    thread, new Object[] {Workload.KEY_INT, Workload.intValue(seq), Workload.KEY_STRING,
                            Workload.STRING_VALUE, Workload.KEY_LONG, Workload.longValue(seq)});
        }
        long after = usedHeapAfterGc();
        long perEntry = Math.max(1, (after - before - arrayBytes) / count);
        if (held[count - 1] == null) {
            throw new IllegalStateException("unreachable");
        }
        return perEntry;
    }

    private static void awaitSettledBuffers(AsyncPersistencePipeline pipeline) throws InterruptedException {
        long last = -1;
        int stable = 0;
        while (stable < 5) {
            Thread.sleep(100);
            long now = pipeline.queueSize() + pipeline.droppedCount();
            stable = now == last ? stable + 1 : 0;
            last = now;
        }
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static double mib(long bytes) {
        return bytes / 1024.0 / 1024.0;
    }

    /** A backend whose writes never return until released: the lane stays stuck on its first batch. */
    static final class StalledBackend implements LogBackend {
        static final String NAME = "stalled";
        private final CountDownLatch release = new CountDownLatch(1);

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public boolean write(LogEntry entry) {
            return writeBatch(List.of(entry)).failedCount() == 0;
        }

        @Override
        public BatchResult writeBatch(List<LogEntry> entries) {
            try {
                release.await();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            return BatchResult.persisted(entries.size());
        }

        void release() {
            release.countDown();
        }
    }
}
