package io.persistencelog.engine;

import io.persistencelog.codec.ClassPresence;
import io.persistencelog.codec.CurrentSpan;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;
import org.slf4j.spi.MDCAdapter;

/**
 * Reads the calling thread's MDC for an entry, on the caller's thread, as cheaply as the binding allows.
 *
 * <p>Logback's adapter keeps, per thread, an unmodifiable map that it replaces (never changes) when the MDC
 * is written; that map is kept by reference, so an entry costs no copy. Other adapters are asked for a
 * copy. An empty MDC gives null: the entry stores nothing and the drain side skips the merge (unless an
 * OpenTelemetry span is current, see {@link #capture()}).
 */
final class MdcSnapshot {

    private static final boolean LOGBACK_PRESENT = ClassPresence.isPresent(
            "ch.qos.logback.classic.util.LogbackMDCAdapter", MdcSnapshot.class);

    private MdcSnapshot() {
    }

    /**
     * The caller's MDC, or null when it is empty or cannot be read. When it holds no trace id and an
     * OpenTelemetry span is current on this thread, that span's {@code trace_id}/{@code span_id}/{@code trace_flags}
     * are added, as for captured Logback events: the pipeline thread that encodes the entry has no context, so
     * the span must be read here, at the call. Never throws.
     */
    static @Nullable Map<String, String> capture() {
        Map<String, String> mdc = mdc();
        if (mdc != null && CurrentSpan.hasTraceId(mdc)) {
            return mdc; // a tracer (Micrometer Tracing, the agent's MDC instrumentation) already put its ids here
        }
        // One Context.current() read when the OpenTelemetry API is present; a static flag otherwise.
        Map<String, String> span = CurrentSpan.fields();
        if (span == null) {
            return mdc;
        }
        if (mdc == null) {
            return span;
        }
        Map<String, String> merged = new HashMap<>(mdc);
        merged.putAll(span);
        return Collections.unmodifiableMap(merged);
    }

    private static @Nullable Map<String, String> mdc() {
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
