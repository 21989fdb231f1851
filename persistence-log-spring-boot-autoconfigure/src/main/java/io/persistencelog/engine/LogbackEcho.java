package io.persistencelog.engine;

import io.persistencelog.codec.QueuedLogEntry;

import io.persistencelog.codec.Redactor;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/**
 * The asynchronous echo for applications whose SLF4J binding is Logback: a Logback event built from the
 * entry, with the caller's thread name, the entry's timestamp and the caller's MDC, handed to the logger's
 * appenders ({@link Logger#callAppenders}) so the application's own configuration (pattern, colours,
 * appenders, levels, additivity) decides what is written. The level and turbo filters are asked by the caller,
 * at the call. Caller data ({@code %line}, {@code %method}) is
 * not available: the event is built on another thread.
 *
 * <p>The event carries {@link DefaultAppLogger#PERSISTED_MARKER}, so the Logback capture does not persist
 * the call a second time. This class is only loaded when Logback is on the classpath.
 */
final class LogbackEcho implements EchoWriter {

    /** Caller-data lookups stop at this class name; the event never asks for them (built off-thread). */
    private static final String FQCN = DefaultAppLogger.class.getName();

    private final LoggerContext context;

    private LogbackEcho(LoggerContext context) {
        this.context = context;
    }

    /**
     * The Logback echo when SLF4J is bound to Logback, else null. Call only after checking that Logback is on
     * the classpath ({@link ConsoleEcho#forCurrentBinding}).
     */
    static @Nullable EchoWriter forCurrentBinding() {
        try {
            ILoggerFactory factory = LoggerFactory.getILoggerFactory();
            return factory instanceof LoggerContext context ? new LogbackEcho(context) : null;
        }
        catch (Throwable ex) {
            return null;
        }
    }

    @Override
    public void write(QueuedLogEntry entry, Redactor redactor) {
        Logger logger = context.getLogger(entry.logger());
        Level level = toLogback(entry.level());
        // No level check here: the caller asked its logger (level and turbo filters, on its own thread with its
        // own MDC) before leaving the line to the echo, as Logback decides before any appender runs.
        EchoLine line = EchoLine.of(entry.message(), entry.keyValues(), redactor);
        LoggingEvent event = new LoggingEvent(FQCN, logger, level, line.text(), line.error(), null);
        event.setThreadName(entry.thread());
        event.setTimeStamp(entry.epochMillis());
        // Without an explicit map the event would read the echo thread's MDC.
        Map<String, String> mdc = entry.mdc();
        event.setMDCPropertyMap(mdc == null ? Map.of() : mdc);
        event.addMarker(DefaultAppLogger.PERSISTED_MARKER);
        for (Map.Entry<String, Object> field : line.fields().entrySet()) {
            event.addKeyValuePair(new KeyValuePair(field.getKey(), field.getValue()));
        }
        logger.callAppenders(event);
    }

    @Override
    public void notice(String text) {
        Logger logger = context.getLogger("io.persistencelog");
        if (!logger.isEnabledFor(Level.WARN)) {
            return; // an application that silenced persistence-log's own logger keeps it silent
        }
        LoggingEvent event = new LoggingEvent(FQCN, logger, Level.WARN, text, null, null);
        event.setMDCPropertyMap(Map.of());
        event.addMarker(DefaultAppLogger.PERSISTED_MARKER);
        logger.callAppenders(event);
    }

    private static Level toLogback(io.persistencelog.LogLevel level) {
        return switch (level) {
            case TRACE -> Level.TRACE;
            case DEBUG -> Level.DEBUG;
            case INFO -> Level.INFO;
            case WARN -> Level.WARN;
            case ERROR -> Level.ERROR;
        };
    }
}
