package io.persistencelog.engine;

import io.persistencelog.codec.JsonLineEncoder;

import io.persistencelog.LogEntry;
import java.io.PrintStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jctools.queues.MpscArrayQueue;

/**
 * Prints entries the pipeline could not accept to the console, as the original Python design promises ("if
 * the queue fills, logs still go to console"). Printing happens on its own daemon thread so the caller of a
 * dropped log call still never waits for I/O; if even this small buffer is full the entry is only
 * counted, and the count is printed. The pipeline hands entries over already wrapped by its redactor, so
 * what is printed is masked like what the backends see.
 */
final class OverflowConsole {

    private static final int CAPACITY = 4096;

    private final MpscArrayQueue<LogEntry> pending = new MpscArrayQueue<>(CAPACITY);
    private final AtomicLong notPrinted = new AtomicLong();
    private final PrintStream out;
    private final JsonLineEncoder encoder;
    private volatile boolean started;
    private final Object startLock = new Object();

    OverflowConsole(PrintStream out, int maxValueLength) {
        this.out = out;
        this.encoder = new JsonLineEncoder(maxValueLength);
    }

    void print(LogEntry entry) {
        if (!pending.offer(entry)) {
            notPrinted.incrementAndGet();
        }
        startOnce();
    }

    private void startOnce() {
        if (!started) {
            synchronized (startLock) {
                if (!started) {
                    Thread printer = new Thread(this::run, "persistence-log-overflow-console");
                    printer.setDaemon(true);
                    printer.start();
                    started = true;
                }
            }
        }
    }

    private void run() {
        while (true) {
            LogEntry entry = pending.poll();
            if (entry == null) {
                long skipped = notPrinted.getAndSet(0);
                if (skipped > 0) {
                    out.println("persistence-log: " + skipped + " more dropped entries were not printed");
                }
                try {
                    TimeUnit.MILLISECONDS.sleep(20);
                }
                catch (InterruptedException ex) {
                    return;
                }
                continue;
            }
            out.print("persistence-log dropped: " + encoder.encode(entry));
        }
    }
}
