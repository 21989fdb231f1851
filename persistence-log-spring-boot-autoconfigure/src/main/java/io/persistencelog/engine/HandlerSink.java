package io.persistencelog.engine;

import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import io.persistencelog.LogPersistenceHandler;
import io.persistencelog.codec.QueuedLogEntry;
import io.persistencelog.codec.Redactor;
import java.time.Clock;
import org.jspecify.annotations.Nullable;

/**
 * Lets {@code AppLogger} calls and captured events reach any {@link LogPersistenceHandler}, such as an
 * application's own: entries are built on the caller's thread and handed to {@link LogPersistenceHandler#submit}.
 * The built-in pipeline is its own, faster, sink.
 */
public record HandlerSink(LogPersistenceHandler handler, Clock clock, LogLevel minLevel, Redactor redactor)
        implements LogSink {

    /** The handler itself when it is a sink already, else an adapter. */
    public static LogSink of(LogPersistenceHandler handler, Clock clock, LogLevel minLevel, Redactor redactor) {
        return handler instanceof LogSink sink ? sink : new HandlerSink(handler, clock, minLevel, redactor);
    }

    @Override
    public boolean isEnabled(LogLevel level) {
        return level.compareTo(minLevel) >= 0;
    }

    @Override
    public void log(LogLevel level, String logger, @Nullable String message, @Nullable Object @Nullable [] keyValues) {
        try {
            handler.submit(new QueuedLogEntry(clock.millis(), level, logger, message,
                    Thread.currentThread().getName(), keyValues, redactor, MdcSnapshot.capture(), false));
        }
        catch (RuntimeException ex) {
            InternalErrors.report("a LogPersistenceHandler threw from submit", ex);
        }
    }

    @Override
    public boolean offer(LogEntry entry) {
        try {
            return handler.submit(redactor.wrap(entry));
        }
        catch (RuntimeException ex) {
            InternalErrors.report("a LogPersistenceHandler threw from submit", ex);
            return false;
        }
    }
}
