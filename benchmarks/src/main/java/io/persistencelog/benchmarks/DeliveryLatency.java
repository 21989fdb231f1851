package io.persistencelog.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Open-loop delivery latency: the time from a call's <em>scheduled</em> moment to the moment its line can be
 * read from the file, at a fixed mean rate with Poisson arrivals (exponential gaps).
 *
 * <p>One producer thread calls at the scheduled times (parking when the next call is far, spinning when it is
 * near); a tailer thread reads the file as it grows, finds each line's {@code user_id} (the call's sequence
 * number + 1,000) and records {@code seen - scheduled}. Measuring from the schedule, not from the call,
 * keeps a producer that falls behind from hiding the delay (no coordinated omission). The tailer parks
 * 50 µs when it finds nothing new, so figures carry up to ~0.1 ms of polling error.
 *
 * <p>Usage: {@code DeliveryLatency <config> <out.jsonl> [rates=1000,10000,100000] [seconds=5]}. Each rate runs
 * one second of warm-up (not recorded) and then {@code seconds} of measurement, in the same JVM.
 */
public final class DeliveryLatency {

    private static final int USER_ID_OFFSET = 1_000;
    private static final byte[] KEY = "\"user_id\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private DeliveryLatency() {
    }

    public static void main(String[] args) throws Exception {
        String config = args[0];
        Path out = Path.of(args[1]);
        int[] rates = Arrays.stream((args.length > 2 ? args[2] : "1000,10000,100000").split(","))
                .mapToInt(Integer::parseInt).toArray();
        double seconds = args.length > 3 ? Double.parseDouble(args[3]) : 5;

        long total = 0;
        for (int rate : rates) {
            total += (long) (rate * (seconds + 1));
        }
        AtomicLongArray scheduled = new AtomicLongArray((int) total + 1);
        long[] seen = new long[(int) total + 1];
        Path directory = LineFiles.newDirectory("delivery-" + config);
        Subject subject = Subject.start(config, Workload.Kind.constant, directory, Subject.Use.DELIVERY);
        Tailer tailer = new Tailer(directory, scheduled, seen);
        tailer.start();
        SplittableRandom random = new SplittableRandom(42);
        long seq = 0;
        StringBuilder json = new StringBuilder();
        try {
            for (int rate : rates) {
                long warm = rate; // one second
                long measured = (long) (rate * seconds);
                long first = seq;
                double meanGapNanos = 1e9 / rate;
                long next = System.nanoTime() + 10_000_000;
                for (long i = 0; i < warm + measured; i++) {
                    waitUntil(next);
                    scheduled.set((int) seq, next);
                    subject.log(seq);
                    seq++;
                    next += (long) (-Math.log(1 - random.nextDouble()) * meanGapNanos);
                }
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (tailer.count < seq && System.nanoTime() < deadline) {
                    LockSupport.parkNanos(1_000_000);
                }
                long[] latencies = new long[(int) measured];
                int n = 0;
                long missing = 0;
                for (long s = first + warm; s < seq; s++) {
                    long at = seen[(int) s];
                    if (at == 0) {
                        missing++;
                    }
                    else {
                        latencies[n++] = at - scheduled.get((int) s);
                    }
                }
                Arrays.sort(latencies, 0, n);
                String row = String.format(Locale.ROOT, "{\"config\":\"%s\",\"rate\":%d,\"events\":%d,\"missing\":%d,"
                        + "\"p50Us\":%.1f,\"p99Us\":%.1f,\"p999Us\":%.1f,\"maxUs\":%.1f}", config, rate, n, missing,
                        q(latencies, n, 0.5), q(latencies, n, 0.99), q(latencies, n, 0.999),
                        n == 0 ? Double.NaN : latencies[n - 1] / 1000.0);
                System.out.println(row);
                json.append(row).append('\n');
            }
        }
        finally {
            tailer.stopped = true;
            tailer.join();
            subject.drainAndStop();
            LineFiles.delete(directory);
        }
        Files.writeString(out, json.toString(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static double q(long[] sorted, int n, double q) {
        if (n == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1));
        return sorted[rank] / 1000.0;
    }

    private static void waitUntil(long nanos) {
        while (true) {
            long remaining = nanos - System.nanoTime();
            if (remaining <= 0) {
                return;
            }
            if (remaining > 200_000) {
                LockSupport.parkNanos(remaining - 100_000);
            }
            else {
                Thread.onSpinWait();
            }
        }
    }

    /** Reads the subject's file as it grows and stamps every line with the time it was first readable. */
    static final class Tailer extends Thread {
        private final Path directory;
        private final AtomicLongArray scheduled;
        private final long[] seen;
        volatile long count;
        volatile boolean stopped;

        Tailer(Path directory, AtomicLongArray scheduled, long[] seen) {
            super("tailer");
            setDaemon(true);
            this.directory = directory;
            this.scheduled = scheduled;
            this.seen = seen;
        }

        @Override
        public void run() {
            try {
                Path file = null;
                while (file == null && !stopped) {
                    file = firstFile();
                    if (file == null) {
                        LockSupport.parkNanos(50_000);
                    }
                }
                if (file == null) {
                    return;
                }
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                    ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
                    byte[] line = new byte[64 * 1024];
                    int lineLength = 0;
                    while (!stopped) {
                        buffer.clear();
                        int read = channel.read(buffer);
                        if (read <= 0) {
                            LockSupport.parkNanos(50_000);
                            continue;
                        }
                        long now = System.nanoTime();
                        for (int i = 0; i < read; i++) {
                            byte b = buffer.get(i);
                            if (b == '\n') {
                                long s = userId(line, lineLength) - USER_ID_OFFSET;
                                if (s >= 0 && s < seen.length && seen[(int) s] == 0) {
                                    seen[(int) s] = now;
                                    count++;
                                }
                                lineLength = 0;
                            }
                            else if (lineLength < line.length) {
                                line[lineLength++] = b;
                            }
                        }
                    }
                }
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }

        private Path firstFile() throws IOException {
            try (Stream<Path> list = Files.list(directory)) {
                // Hidden files are not log files (the starter keeps its directory lock there).
                return list.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                        .findFirst().orElse(null);
            }
        }

        /** The number after {@code "user_id":} (quoted or not), or -1. */
        static long userId(byte[] line, int length) {
            outer:
            for (int i = 0; i + KEY.length < length; i++) {
                for (int k = 0; k < KEY.length; k++) {
                    if (line[i + k] != KEY[k]) {
                        continue outer;
                    }
                }
                int j = i + KEY.length;
                if (j < length && line[j] == '"') {
                    j++;
                }
                long value = 0;
                int digits = 0;
                while (j < length && line[j] >= '0' && line[j] <= '9') {
                    value = value * 10 + (line[j++] - '0');
                    digits++;
                }
                return digits == 0 ? -1 : value;
            }
            return -1;
        }
    }
}
