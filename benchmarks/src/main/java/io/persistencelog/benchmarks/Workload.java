package io.persistencelog.benchmarks;

/**
 * The one structured event every framework writes: a message and three key/values (an int, a string and a
 * long), as one JSON line. The int and the long change with every call (so they are really boxed, as in an
 * application), the string is a constant.
 */
final class Workload {

    static final String LOGGER = "bench.orders";
    static final String MESSAGE = "order placed";
    static final String KEY_INT = "user_id";
    static final String KEY_STRING = "action";
    static final String KEY_LONG = "request_bytes";
    static final String STRING_VALUE = "checkout";

    /** Queue capacity for all three frameworks (the starter's default, Logback's AsyncAppender setting). */
    static final int QUEUE_CAPACITY = 65_536;

    private Workload() {
    }

    static int intValue(long seq) {
        return (int) (seq + 1_000);
    }

    static long longValue(long seq) {
        return seq * 31 + 4_000_000_000L;
    }
}
