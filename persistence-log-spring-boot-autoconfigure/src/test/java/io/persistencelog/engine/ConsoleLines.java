package io.persistencelog.engine;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * A test's own Logback logger standing in for the console: not additive (nothing reaches the real console), at
 * the given level, every line kept in a list. {@link #detach()} puts the logger back as it was.
 */
final class ConsoleLines {

    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private ConsoleLines(Logger logger) {
        this.logger = logger;
    }

    /** {@code level} null: the logger inherits its level, as an application's loggers usually do. */
    static ConsoleLines attach(String loggerName, @Nullable Level level) {
        ConsoleLines lines = new ConsoleLines((Logger) LoggerFactory.getLogger(loggerName));
        lines.logger.setLevel(level);
        lines.logger.setAdditive(false);
        lines.appender.setContext(lines.logger.getLoggerContext());
        lines.appender.start();
        lines.logger.addAppender(lines.appender);
        return lines;
    }

    Logger logger() {
        return logger;
    }

    ListAppender<ILoggingEvent> appender() {
        return appender;
    }

    void detach() {
        logger.detachAppender(appender);
        logger.setAdditive(true);
        logger.setLevel(null);
    }
}
