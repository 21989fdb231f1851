package io.persistencelog.engine;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Failures inside the library on a caller's thread. They are swallowed (a log call never throws), counted,
 * and the first one is printed to stderr so it is not silent.
 */
public final class InternalErrors {

    private static final AtomicLong count = new AtomicLong();

    private InternalErrors() {
    }

    static void report(String where, Throwable ex) {
        if (count.getAndIncrement() == 0) {
            System.err.println("persistence-log: internal error in " + where + " (further ones are only counted): "
                    + Lane.describe(ex));
        }
    }

    public static long count() {
        return count.get();
    }
}
