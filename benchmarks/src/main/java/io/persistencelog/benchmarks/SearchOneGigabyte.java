package io.persistencelog.benchmarks;

import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import io.persistencelog.backend.file.FileBackend;
import io.persistencelog.backend.file.FileProperties;
import io.persistencelog.search.LogQuery;
import io.persistencelog.search.LogSearch;
import io.persistencelog.search.SearchResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The logsearch endpoint's engine over 1 GiB of weekly files (four weeks written by the real file backend,
 * 1% ERROR, 5% WARN, the rest INFO): the newest 100 ERROR entries with their histogram. {@code lastDay} is
 * the endpoint's default range (24 h); {@code wholeMonth} asks for 30 days, so the histogram makes it read all
 * 1 GiB. The files are generated once into {@code target/search-data} (or {@code -Dsearch.dir=...}) and reused.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = { "-Xmx512m" })
public class SearchOneGigabyte {

    static final long TARGET_BYTES = 1L << 30;
    static final Instant NOW = Instant.parse("2024-01-29T00:00:00Z");
    static final long SPAN_MILLIS = 28L * 24 * 3600 * 1000;

    private LogSearch search;

    @Setup(Level.Trial)
    public void files() throws IOException {
        Path dir = Path.of(System.getProperty("search.dir", "target/search-data"));
        if (size(dir) < TARGET_BYTES) {
            generate(dir);
        }
        search = new LogSearch(dir);
        System.out.printf("%n%d MiB of weekly files in %s%n", size(dir) >> 20, dir.toAbsolutePath());
    }

    @Benchmark
    public SearchResult lastDay() {
        return search.search(LogQuery.parse(Map.of("level", List.of("ERROR")), NOW));
    }

    @Benchmark
    public SearchResult wholeMonth() {
        return search.search(LogQuery.parse(Map.of("level", List.of("ERROR"), "from", List.of("30d")), NOW));
    }

    private static long size(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static void generate(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        FileBackend backend = new FileBackend(FileProperties.of(dir, ZoneOffset.UTC), 32768);
        // About 250 bytes a line: 1 GiB is about 4.3 million entries spread evenly over the four weeks.
        long entries = TARGET_BYTES / 250;
        long start = NOW.toEpochMilli() - SPAN_MILLIS;
        long step = SPAN_MILLIS / entries;
        List<LogEntry> batch = new ArrayList<>(4096);
        for (long i = 0; i < entries; i++) {
            LogLevel level = i % 100 == 0 ? LogLevel.ERROR : i % 20 == 1 ? LogLevel.WARN : LogLevel.INFO;
            batch.add(new BenchEntry(Instant.ofEpochMilli(start + i * step), level,
                    "com.example.shop.OrderService", level == LogLevel.ERROR ? "Payment failed for order " + i
                            : "Order processed successfully for customer account " + (i % 9973),
                    "http-nio-8080-exec-" + (i % 16),
                    Map.of("order_id", i, "user_id", i % 9973, "region", "eu-west-1", "duration_ms", i % 500)));
            if (batch.size() == 4096) {
                backend.writeBatch(batch);
                batch.clear();
            }
        }
        backend.writeBatch(batch);
        backend.close();
    }

    record BenchEntry(Instant timestamp, LogLevel level, String logger, String message, String thread,
            Map<String, Object> fields) implements LogEntry {
        @Override
        public Throwable error() {
            return null;
        }
    }
}
