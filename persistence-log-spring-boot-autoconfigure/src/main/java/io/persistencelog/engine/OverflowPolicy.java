package io.persistencelog.engine;

/** What a log call does when the queue is full. */
public enum OverflowPolicy {
    /** Count the entry as dropped and print it to the console; the caller never waits. */
    DROP,
    /** Back-pressure: the caller waits until the queue has room (or the pipeline stops). */
    BLOCK
}
