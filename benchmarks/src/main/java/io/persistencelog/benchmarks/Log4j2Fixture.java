package io.persistencelog.benchmarks;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.async.AsyncLoggerContext;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.xml.XmlConfiguration;
import org.apache.logging.log4j.core.jmx.RingBufferAdmin;

/**
 * Log4j2 all-async loggers: an {@link AsyncLoggerContext} (what {@code AsyncLoggerContextSelector} creates,
 * backed by the LMAX Disruptor) writing through a {@code RandomAccessFile} appender with
 * {@code immediateFlush=false} (flushed at the end of each Disruptor batch, Log4j2's recommended setting) and
 * {@code JsonTemplateLayout}.
 *
 * <p>Two settings: {@code default} leaves the async-logger properties alone (ring of 262,144 slots,
 * {@code Timeout} wait strategy: the consumer sleeps in a timed wait, so a paced producer pays a futex
 * wake-up); {@code tuned} is what a latency-minded user configures: a 4,096-slot ring and the {@code Sleep}
 * wait strategy (the consumer spins, yields, then parks 100 ns at a time, so producers never signal it).
 *
 * <p>The event uses Log4j2's garbage-free path: a parameterised message whose parameters the template
 * resolves by index into the fields. This is the fastest way Log4j2 offers to write these fields.
 */
final class Log4j2Fixture implements Subject {

    private static final String CONFIG = """
            <Configuration status="WARN">
              <Appenders>
                <RandomAccessFile name="file" fileName="%s" immediateFlush="false" append="true">
                  <JsonTemplateLayout eventTemplateUri="classpath:%s"/>
                </RandomAccessFile>
              </Appenders>
              <Loggers>
                <Root level="info" includeLocation="false">
                  <AppenderRef ref="file"/>
                </Root>
              </Loggers>
            </Configuration>
            """;

    private static int contexts;

    private final AsyncLoggerContext context;
    private final Logger[] loggers;
    private final Workload.Kind kind;

    private Log4j2Fixture(AsyncLoggerContext context, Workload.Kind kind) {
        this.context = context;
        this.kind = kind;
        this.loggers = new Logger[Workload.LOGGERS.length];
        for (int i = 0; i < loggers.length; i++) {
            loggers[i] = context.getLogger(Workload.LOGGERS[i]);
        }
    }

    /** Must run before any Log4j2 class reads its properties (each fork runs one configuration). */
    private static void properties(boolean tuned) {
        System.setProperty("log4j2.shutdownHookEnabled", "false");
        System.setProperty("log4j2.isWebapp", "false");
        System.setProperty("log4j2.enableThreadlocals", "true");
        if (tuned) {
            System.setProperty("log4j2.asyncLoggerRingBufferSize", "4096");
            System.setProperty("log4j2.asyncLoggerWaitStrategy", "Sleep");
        }
    }

    static synchronized Log4j2Fixture start(Path directory, Workload.Kind kind, boolean tuned) {
        properties(tuned);
        String template = kind == Workload.Kind.constant ? "log4j2-event-template.json"
                : "log4j2-event-template-varied.json";
        String xml = CONFIG.formatted(directory.resolve("log4j2.json").toString().replace("&", "&amp;"), template);
        AsyncLoggerContext context = new AsyncLoggerContext("bench-" + (++contexts));
        try {
            ConfigurationSource source = new ConfigurationSource(
                    new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
            context.start(new XmlConfiguration(context, source));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        if (!context.getConfiguration().getAppenders().containsKey("file")) {
            throw new IllegalStateException("Log4j2 did not create the file appender; see the status log above");
        }
        return new Log4j2Fixture(context, kind);
    }

    @Override
    public void log(long seq) {
        if (kind == Workload.Kind.constant) {
            loggers[0].info(Workload.MESSAGE, Workload.intValue(seq), Workload.STRING_VALUE, Workload.longValue(seq));
            return;
        }
        Throwable error = Workload.error(seq);
        Logger logger = loggers[(int) (seq & 3)];
        if (error == null) {
            logger.info(Workload.message(seq), Workload.intValue(seq), Workload.longValue(seq),
                    Workload.doubleValue(seq), (seq & 1) == 0, Workload.PATH_VALUE, Workload.NOTE_VALUE,
                    Workload.STRING_VALUE, Workload.NESTED);
        }
        else {
            logger.error(Workload.message(seq), Workload.intValue(seq), Workload.longValue(seq),
                    Workload.doubleValue(seq), (seq & 1) == 0, Workload.PATH_VALUE, Workload.NOTE_VALUE,
                    Workload.STRING_VALUE, Workload.NESTED, error);
        }
    }

    /**
     * Waits until the consumer has handled every event, then stops the context (which flushes and closes the
     * file). Waiting here first, in 0.1 ms steps, keeps Log4j2's own shutdown from sleeping in 50 ms steps
     * while a backlog drains, which would charge it for time it did not need.
     */
    @Override
    public void drainAndStop() {
        RingBufferAdmin ringBuffer = context.createRingBufferAdmin();
        while (ringBuffer.getRemainingCapacity() < ringBuffer.getBufferSize()) {
            LockSupport.parkNanos(100_000);
        }
        if (!context.stop(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("Log4j2 did not stop in time");
        }
    }
}
