package io.persistencelog.benchmarks;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.util.FileSize;
import java.nio.file.Path;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.spi.LoggingEventBuilder;
import org.springframework.boot.logging.logback.StructuredLogEncoder;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;

/**
 * Logback's {@link AsyncAppender} (queue 65,536, no discarding, {@code neverBlock=false}, no caller data) in
 * front of a {@link FileAppender}, on a private {@link LoggerContext}, with one of three encoders:
 *
 * <ul>
 * <li>{@code JSON}: Logback's built-in {@link JsonEncoder}, leaving out what the others do not write
 * (context, sequence number, nanoseconds, MDC, markers, raw arguments);</li>
 * <li>{@code LOGSTASH}: logstash-logback-encoder's {@link LogstashEncoder} with its defaults, what most Boot
 * users put on files;</li>
 * <li>{@code BOOT_LOGSTASH}: Spring Boot's own {@link StructuredLogEncoder} in {@code logstash} format, what
 * {@code logging.structured.format.file=logstash} configures.</li>
 * </ul>
 *
 * <p>For throughput the file appender buffers (256 KiB, {@code immediateFlush=false}), the most favourable
 * setting; for delivery latency it flushes every event (Logback's default), since a buffered line is not in
 * the file. Key/values go through SLF4J 2's fluent API, which all three encoders write.
 */
final class LogbackFixture implements Subject {

    enum Encoding {
        JSON, LOGSTASH, BOOT_LOGSTASH
    }

    private final LoggerContext context;
    private final Logger[] loggers;
    private final Workload.Kind kind;

    private LogbackFixture(LoggerContext context, Workload.Kind kind) {
        this.context = context;
        this.kind = kind;
        this.loggers = loggers(context);
    }

    static Logger[] loggers(LoggerContext context) {
        Logger[] loggers = new Logger[Workload.LOGGERS.length];
        for (int i = 0; i < loggers.length; i++) {
            loggers[i] = context.getLogger(Workload.LOGGERS[i]);
        }
        return loggers;
    }

    static LoggerContext newContext() {
        LoggerContext context = new LoggerContext();
        context.setName("bench");
        // What SLF4J's Logback provider does for its default context; without it every event pays an exception.
        context.setMDCAdapter(new LogbackMDCAdapter());
        return context;
    }

    static LogbackFixture start(Path directory, Workload.Kind kind, Use use, Encoding encoding) {
        LoggerContext context = newContext();
        Encoder<ILoggingEvent> encoder = encoder(context, encoding);

        FileAppender<ILoggingEvent> file = new FileAppender<>();
        file.setContext(context);
        file.setName("file");
        file.setFile(directory.resolve("logback.json").toString());
        file.setEncoder(encoder);
        file.setAppend(true);
        boolean buffered = use != Use.DELIVERY;
        file.setImmediateFlush(!buffered);
        if (buffered) {
            file.setBufferSize(new FileSize(256 * 1024));
        }
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
        if (!file.isStarted() || !async.isStarted() || !encoder.isStarted()) {
            throw new IllegalStateException("Logback appenders did not start: " + context.getStatusManager()
                    .getCopyOfStatusList());
        }
        return new LogbackFixture(context, kind);
    }

    private static Encoder<ILoggingEvent> encoder(LoggerContext context, Encoding encoding) {
        switch (encoding) {
            case JSON -> {
                JsonEncoder encoder = new JsonEncoder();
                encoder.setContext(context);
                encoder.setWithContext(false);
                encoder.setWithSequenceNumber(false);
                encoder.setWithNanoseconds(false);
                encoder.setWithMDC(false);
                encoder.setWithMarkers(false);
                encoder.setWithArguments(false);
                encoder.start();
                return encoder;
            }
            case LOGSTASH -> {
                LogstashEncoder encoder = new LogstashEncoder();
                encoder.setContext(context);
                encoder.start();
                return encoder;
            }
            default -> {
                // What Boot's LoggingSystem puts into the context before its encoders start.
                context.putObject(Environment.class.getName(), new StandardEnvironment());
                StructuredLogEncoder encoder = new StructuredLogEncoder();
                encoder.setContext(context);
                encoder.setFormat("logstash");
                encoder.start();
                return encoder;
            }
        }
    }

    /** The workload's event through SLF4J 2's fluent API (also used by the capture fixture). */
    static void log(Logger[] loggers, Workload.Kind kind, long seq) {
        if (kind == Workload.Kind.constant) {
            loggers[0].atInfo()
                    .setMessage(Workload.MESSAGE)
                    .addKeyValue(Workload.KEY_INT, Workload.intValue(seq))
                    .addKeyValue(Workload.KEY_STRING, Workload.STRING_VALUE)
                    .addKeyValue(Workload.KEY_LONG, Workload.longValue(seq))
                    .log();
            return;
        }
        String[] k = Workload.KEYS;
        Throwable error = Workload.error(seq);
        Logger logger = loggers[(int) (seq & 3)];
        LoggingEventBuilder event = error == null ? logger.atInfo() : logger.atError().setCause(error);
        event.setMessage(Workload.message(seq))
                .addKeyValue(k[0], Workload.intValue(seq))
                .addKeyValue(k[1], Workload.longValue(seq))
                .addKeyValue(k[2], Workload.doubleValue(seq))
                .addKeyValue(k[3], (seq & 1) == 0)
                .addKeyValue(k[4], Workload.PATH_VALUE)
                .addKeyValue(k[5], Workload.NOTE_VALUE)
                .addKeyValue(k[6], Workload.STRING_VALUE)
                .addKeyValue(k[7], Workload.NESTED)
                .log();
    }

    @Override
    public void log(long seq) {
        log(loggers, kind, seq);
    }

    /** Stops the context: the AsyncAppender drains its queue, then the file appender flushes and closes. */
    @Override
    public void drainAndStop() {
        context.stop();
    }
}
