package io.persistencelog.benchmarks;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.util.FileSize;
import java.nio.file.Path;

/**
 * Logback's {@link AsyncAppender} (queue 65,536, no discarding, {@code neverBlock=false}) in front of a
 * {@link FileAppender} with Logback's {@link JsonEncoder}, built on a private {@link LoggerContext} (not
 * through SLF4J's binding). The file appender buffers (256 KiB, {@code immediateFlush=false}) and the
 * encoder leaves out what the other two do not write (context, sequence number, nanoseconds, MDC,
 * markers, raw arguments), so Logback does no more work than they do. The key/values go through SLF4J 2's
 * fluent API, which Logback writes as its {@code kvpList}.
 */
final class LogbackFixture {

    private final LoggerContext context;
    private final Logger logger;

    private LogbackFixture(LoggerContext context) {
        this.context = context;
        this.logger = context.getLogger(Workload.LOGGER);
    }

    static LogbackFixture start(Path directory) {
        LoggerContext context = new LoggerContext();
        context.setName("bench");
        // What SLF4J's Logback provider does for its default context; without it every event pays an exception.
        context.setMDCAdapter(new LogbackMDCAdapter());

        JsonEncoder encoder = new JsonEncoder();
        encoder.setContext(context);
        encoder.setWithContext(false);
        encoder.setWithSequenceNumber(false);
        encoder.setWithNanoseconds(false);
        encoder.setWithMDC(false);
        encoder.setWithMarkers(false);
        encoder.setWithArguments(false);
        encoder.start();

        FileAppender<ILoggingEvent> file = new FileAppender<>();
        file.setContext(context);
        file.setName("file");
        file.setFile(directory.resolve("logback.json").toString());
        file.setEncoder(encoder);
        file.setAppend(true);
        file.setImmediateFlush(false);
        file.setBufferSize(new FileSize(256 * 1024));
        file.start();

        AsyncAppender async = new AsyncAppender();
        async.setContext(context);
        async.setName("async");
        async.setQueueSize(Workload.QUEUE_CAPACITY);
        async.setDiscardingThreshold(0);
        async.setNeverBlock(false);
        async.setIncludeCallerData(false);
        async.setMaxFlushTime(300_000);
        async.addAppender(file);
        async.start();

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        root.setLevel(Level.INFO);
        root.addAppender(async);
        context.start();
        if (!file.isStarted() || !async.isStarted()) {
            throw new IllegalStateException("Logback appenders did not start: " + context.getStatusManager()
                    .getCopyOfStatusList());
        }
        return new LogbackFixture(context);
    }

    void log(long seq) {
        logger.atInfo()
                .setMessage(Workload.MESSAGE)
                .addKeyValue(Workload.KEY_INT, Workload.intValue(seq))
                .addKeyValue(Workload.KEY_STRING, Workload.STRING_VALUE)
                .addKeyValue(Workload.KEY_LONG, Workload.longValue(seq))
                .log();
    }

    /** Stops the context: the AsyncAppender drains its queue, then the file appender flushes and closes. */
    void drainAndStop() {
        context.stop();
    }
}
