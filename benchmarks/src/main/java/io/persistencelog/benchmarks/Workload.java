package io.persistencelog.benchmarks;

import java.util.Map;

/**
 * The events every framework writes, as one JSON line each.
 *
 * <p>{@code constant}: one logger, one message and three key/values (an int, a string and a long); the int
 * and the long change with every call (so they are really boxed, as in an application).
 *
 * <p>{@code varied}: four loggers and five messages in turn, eight key/values (int, long, double, boolean,
 * two strings that need JSON escaping, a plain string and a nested map), and on 1 % of the calls a throwable
 * with a 30-frame stack trace. The throwable is built once: what is measured is writing it, not creating it.
 */
final class Workload {

    static final String LOGGER = "bench.orders";
    static final String MESSAGE = "order placed";
    static final String KEY_INT = "user_id";
    static final String KEY_STRING = "action";
    static final String KEY_LONG = "request_bytes";
    static final String STRING_VALUE = "checkout";

    static final String[] LOGGERS = {"bench.orders", "bench.payments.gateway", "bench.inventory", "bench.http.access"};
    static final String[] MESSAGES = {"order placed", "payment \"authorised\" by gateway", "stock level changed",
        "GET /api/v1/orders?id=42 -> 200", "retrying after timeout\tattempt=2"};
    static final String[] KEYS = {"user_id", "request_bytes", "latency_ms", "cached", "path", "note", "action", "ctx"};
    static final String PATH_VALUE = "C:\\temp\\orders \"2026\"/x.json";
    static final String NOTE_VALUE = "line one\nline two \u00e9\u4e2d\u2603";
    static final Map<String, Object> NESTED = Map.of("region", "eu-west-1", "retry", Map.of("attempt", 2,
            "max", 5), "tags", java.util.List.of("a", "b"));
    static final Throwable ERROR = deepException(30);

    /** Queue capacity shared by the starter and Logback's AsyncAppender (the starter's default). */
    static final int QUEUE_CAPACITY = 65_536;

    enum Kind {
        constant, varied
    }

    private Workload() {
    }

    static int intValue(long seq) {
        return (int) (seq + 1_000);
    }

    static long longValue(long seq) {
        return seq * 31 + 4_000_000_000L;
    }

    static double doubleValue(long seq) {
        return (seq % 1000) * 0.25;
    }

    static String logger(long seq) {
        return LOGGERS[(int) (seq & 3)];
    }

    static String message(long seq) {
        return MESSAGES[(int) (seq % MESSAGES.length)];
    }

    /** The throwable of the 1 % of varied calls that carry one, else null. */
    static Throwable error(long seq) {
        return seq % 100 == 99 ? ERROR : null;
    }

    private static Throwable deepException(int frames) {
        try {
            recurse(frames);
        }
        catch (IllegalStateException ex) {
            ex.setStackTrace(java.util.Arrays.copyOf(ex.getStackTrace(), frames));
            return ex;
        }
        throw new AssertionError();
    }

    private static void recurse(int depth) {
        if (depth <= 1) {
            throw new IllegalStateException("payment gateway answered 503");
        }
        recurse(depth - 1);
    }
}
