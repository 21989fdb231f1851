package io.persistencelog.codec;

import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The W3C trace context an entry carries in its fields, as tracers put it into the MDC: Micrometer Tracing
 * writes {@code traceId}/{@code spanId}, OpenTelemetry's MDC instrumentation {@code trace_id}/{@code span_id}
 * (and {@code trace_flags}). Backends with a trace model of their own read it from here: OTLP as the
 * record's {@code trace_id}/{@code span_id}/flags, Datadog as {@code dd.trace_id}/{@code dd.span_id}.
 *
 * @param traceId 32 lower-case hex digits, not all zero
 * @param spanId 16 lower-case hex digits, not all zero
 * @param flags W3C trace flags (bit 0: sampled)
 */
public record TraceContext(String traceId, String spanId, byte flags) {

    /** Field names holding the trace id, in the order they are looked up. */
    public static final String[] TRACE_ID_KEYS = { "traceId", "trace_id" };
    /** Field names holding the span id, in the order they are looked up. */
    public static final String[] SPAN_ID_KEYS = { "spanId", "span_id" };
    /** Field names holding the trace flags (two hex digits, as OpenTelemetry's MDC instrumentation writes them). */
    public static final String[] FLAGS_KEYS = { "trace_flags", "traceFlags" };

    /**
     * The trace context in an entry's fields, or null when it has none that is valid. A 64-bit trace id (16
     * hex digits, as older B3 tracers write it) is widened to 128 bits with leading zeros, as W3C prescribes.
     * Without a flags field a context is taken as sampled: a tracer that put its ids into the MDC records the
     * span.
     */
    public static @Nullable TraceContext of(Map<String, Object> fields) {
        if (fields.isEmpty()) {
            return null;
        }
        String traceId = normalize(first(fields, TRACE_ID_KEYS), 32);
        if (traceId == null) {
            return null;
        }
        String spanId = normalize(first(fields, SPAN_ID_KEYS), 16);
        if (spanId == null) {
            return null;
        }
        return new TraceContext(traceId, spanId, flags(first(fields, FLAGS_KEYS)));
    }

    /** Whether {@code key} is one of the fields that {@link #of(Map)} reads. */
    public static boolean isTraceKey(String key) {
        return contains(TRACE_ID_KEYS, key) || contains(SPAN_ID_KEYS, key) || contains(FLAGS_KEYS, key);
    }

    public boolean sampled() {
        return (flags & 1) != 0;
    }

    /**
     * The trace id as Datadog's trace/log correlation reads it ({@code dd.trace_id}): the low 64 bits of the
     * 128-bit id as an unsigned decimal number.
     */
    public String datadogTraceId() {
        return Long.toUnsignedString(Long.parseUnsignedLong(traceId.substring(16), 16));
    }

    /** The span id as Datadog reads it ({@code dd.span_id}): the 64-bit id as an unsigned decimal number. */
    public String datadogSpanId() {
        return Long.toUnsignedString(Long.parseUnsignedLong(spanId, 16));
    }

    private static @Nullable Object first(Map<String, Object> fields, String[] keys) {
        for (String key : keys) {
            Object value = fields.get(key);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static boolean contains(String[] keys, String key) {
        for (String k : keys) {
            if (k.equals(key)) {
                return true;
            }
        }
        return false;
    }

    /** Lower-case hex of exactly {@code length} digits (shorter trace ids padded), or null when invalid/all zero. */
    static @Nullable String normalize(@Nullable Object value, int length) {
        if (!(value instanceof CharSequence text)) {
            return null;
        }
        String id = text.toString().trim().toLowerCase(Locale.ROOT);
        if (id.length() == 16 && length == 32) {
            id = "0000000000000000" + id;
        }
        if (id.length() != length) {
            return null;
        }
        boolean nonZero = false;
        for (int i = 0; i < length; i++) {
            char c = id.charAt(i);
            boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
            if (!hex) {
                return null;
            }
            nonZero |= c != '0';
        }
        return nonZero ? id : null;
    }

    private static byte flags(@Nullable Object value) {
        if (value instanceof CharSequence text) {
            String v = text.toString().trim();
            if (v.length() == 2) {
                try {
                    return (byte) Integer.parseInt(v, 16);
                }
                catch (NumberFormatException ex) {
                    return 1;
                }
            }
        }
        else if (value instanceof Number number) {
            return number.byteValue();
        }
        return 1;
    }
}
