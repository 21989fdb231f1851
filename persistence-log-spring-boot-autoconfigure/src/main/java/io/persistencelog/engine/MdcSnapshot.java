package io.persistencelog.engine;

import io.persistencelog.codec.ClassPresence;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;
import org.slf4j.spi.MDCAdapter;

/**
 * Reads the calling thread's MDC for an entry, on the caller's thread, as cheaply as the binding allows.
 *
 * <p>Logback's adapter keeps, per thread, an unmodifiable map that it replaces (never changes) when the MDC
 * is written; that map is kept by reference, so an entry costs no copy. Other adapters are asked for a
 * copy. An empty MDC gives null: the entry stores nothing and the drain side skips the merge.
 */
final class MdcSnapshot {

    private static final boolean LOGBACK_PRESENT = ClassPresence.isPresent(
            "ch.qos.logback.classic.util.LogbackMDCAdapter", MdcSnapshot.class);

    private MdcSnapshot() {
    }

    /** The caller's MDC, or null when it is empty or cannot be read. Never throws. */
    static @Nullable Map<String, String> capture() {
        try {
            MDCAdapter adapter = MDC.getMDCAdapter();
            if (adapter == null) {
                return null;
            }
            Map<String, String> map = LOGBACK_PRESENT && LogbackMdc.handles(adapter) ? LogbackMdc.read(adapter)
                    : adapter.getCopyOfContextMap();
            return map == null || map.isEmpty() ? null : map;
        }
        catch (Throwable ex) {
            return null; // a broken MDC adapter must not cost the log call
        }
    }


    /** Loaded only when Logback is on the classpath. */
    private static final class LogbackMdc {

        static boolean handles(MDCAdapter adapter) {
            return adapter instanceof ch.qos.logback.classic.util.LogbackMDCAdapter;
        }

        static @Nullable Map<String, String> read(MDCAdapter adapter) {
            // The read-only per-thread map: shared, never modified afterwards (null when never set).
            return ((ch.qos.logback.classic.util.LogbackMDCAdapter) adapter).getPropertyMap();
        }
    }
}
