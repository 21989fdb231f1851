package io.persistencelog.codec;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The calling thread's current OpenTelemetry span, as the MDC fields OpenTelemetry's own MDC instrumentation
 * writes ({@code trace_id}, {@code span_id}, {@code trace_flags}), so that an application traced by the
 * OpenTelemetry API (agent or SDK) without MDC instrumentation still gets its trace context on every entry.
 * Must be called on the logging thread: the current span is per thread. Without the OpenTelemetry API on the
 * classpath it answers null at the cost of one static boolean read.
 */
public final class CurrentSpan {

    private static final boolean API_PRESENT = ClassPresence.isPresent("io.opentelemetry.api.trace.Span",
            CurrentSpan.class);

    private CurrentSpan() {
    }

    /** The current span's ids as fields, or null when no valid span is current (or the API is absent). */
    public static @Nullable Map<String, String> fields() {
        if (!API_PRESENT) {
            return null;
        }
        try {
            return Api.current();
        }
        catch (LinkageError | RuntimeException ex) {
            return null; // an incompatible API version must never break a log call
        }
    }

    /** Whether these fields already carry a trace id, so the current span need not be looked up. */
    public static boolean hasTraceId(Map<String, ?> fields) {
        if (fields.isEmpty()) {
            return false;
        }
        for (String key : TraceContext.TRACE_ID_KEYS) {
            if (fields.containsKey(key)) {
                return true;
            }
        }
        return false;
    }

    /** Loaded only when the API is present. */
    private static final class Api {

        static @Nullable Map<String, String> current() {
            SpanContext context = Span.current().getSpanContext();
            if (!context.isValid()) {
                return null;
            }
            return Map.of("trace_id", context.getTraceId(), "span_id", context.getSpanId(), "trace_flags",
                    context.getTraceFlags().asHex());
        }
    }
}
