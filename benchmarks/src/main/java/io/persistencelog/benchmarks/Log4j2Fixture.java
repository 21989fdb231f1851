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
 * {@code immediateFlush=false} (flushed at the end of each Disruptor batch) and {@code JsonTemplateLayout}.
 *
 * <p>The event uses Log4j2's garbage-free path: a parameterised message with three parameters (no varargs
 * array), which the template resolves by index into {@code user_id}, {@code action} and
 * {@code request_bytes}. This is the fastest way Log4j2 offers to write these fields.
 */
final class Log4j2Fixture {

    static {
        System.setProperty("log4j2.asyncLoggerRingBufferSize", Integer.toString(Workload.QUEUE_CAPACITY));
        System.setProperty("log4j2.shutdownHookEnabled", "false");
        System.setProperty("log4j2.isWebapp", "false");
        System.setProperty("log4j2.enableThreadlocals", "true");
    }

    private static final String CONFIG = """
            <Configuration status="WARN">
              <Appenders>
                <RandomAccessFile name="file" fileName="%s" immediateFlush="false" append="true">
                  <JsonTemplateLayout eventTemplateUri="classpath:log4j2-event-template.json"/>
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
    private final Logger logger;

    private Log4j2Fixture(AsyncLoggerContext context) {
        this.context = context;
        this.logger = context.getLogger(Workload.LOGGER);
    }

    static synchronized Log4j2Fixture start(Path directory) {
        String xml = CONFIG.formatted(directory.resolve("log4j2.json").toString().replace("&", "&amp;"));
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
        return new Log4j2Fixture(context);
    }

    void log(long seq) {
        logger.info(Workload.MESSAGE, Workload.intValue(seq), Workload.STRING_VALUE, Workload.longValue(seq));
    }

    /**
     * Waits until the consumer has handled every event, then stops the context (which flushes and closes the
     * file). Waiting here first, in 0.1 ms steps, keeps Log4j2's own shutdown from sleeping in 50 ms steps
     * while a backlog drains, which would charge it for time it did not need.
     */
    void drainAndStop() {
        RingBufferAdmin ringBuffer = context.createRingBufferAdmin();
        while (ringBuffer.getRemainingCapacity() < ringBuffer.getBufferSize()) {
            LockSupport.parkNanos(100_000);
        }
        if (!context.stop(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("Log4j2 did not stop in time");
        }
    }
}
