package io.persistencelog;

/** Severity of a log entry, lowest first. */
public enum LogLevel {
    TRACE, DEBUG, INFO, WARN, ERROR
}
