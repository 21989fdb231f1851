package io.persistencelog.engine;

import io.persistencelog.codec.QueuedLogEntry;

import io.persistencelog.codec.Redactor;

/** Writes echoed entries to the console on the pipeline's echo thread (see {@link ConsoleEcho}). */
interface EchoWriter {

    /**
     * Writes one entry; the {@code AppLogger} call already asked its logger whether it takes the entry's level.
     * May throw; the caller counts the failure.
     */
    void write(QueuedLogEntry entry, Redactor redactor);

    /** A line from persistence-log itself, e.g. that the echo skipped lines. */
    void notice(String text);
}
