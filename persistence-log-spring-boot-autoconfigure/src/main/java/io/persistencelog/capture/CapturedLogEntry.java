package io.persistencelog.capture;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import io.persistencelog.LogEntry;
import io.persistencelog.codec.EntryHeader;
import io.persistencelog.LogLevel;
import io.persistencelog.codec.CurrentSpan;
import io.persistencelog.codec.JsonNull;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;

/**
 * A Logback event as a {@link LogEntry}. Built on the logging thread, so it only keeps references: what
 * must be read on that thread (thread name, MDC snapshot, key/values, markers, throwable) is read once in
 * {@link #of}; the message is formatted and the field map built lazily on the drain side.
 *
 * <p>Fields: the event's SLF4J key/values ({@code addKeyValue}), then its MDC entries (a key/value wins over
 * an MDC entry of the same name), then {@value #MARKERS_FIELD} with the marker names when the event has
 * markers. A throwable becomes {@link #error()}.
 */
final class CapturedLogEntry extends EntryHeader {

    static final String MARKERS_FIELD = "markers";
    /** Holds the text of a throwable that Logback only has as a proxy (e.g. an event from another JVM). */
    static final String EXCEPTION_FIELD = "exception";

    private final ILoggingEvent event;
    private final Map<String, String> mdc;
    private final @Nullable List<KeyValuePair> keyValues;
    private final @Nullable List<Marker> markers;
    private final @Nullable IThrowableProxy throwable;
    private volatile @Nullable String message;
    private volatile @Nullable Map<String, Object> fields;

    private CapturedLogEntry(ILoggingEvent event, long epochMillis, LogLevel level, String thread) {
        super(epochMillis, level, String.valueOf(event.getLoggerName()), thread);
        this.event = event;
        // The MDC is per thread: it must be read here, on the logging thread. Logback hands out a read-only
        // snapshot, so keeping the reference is enough.
        Map<String, String> mdcMap = event.getMDCPropertyMap();
        Map<String, String> mdcFields = mdcMap == null ? Map.of() : mdcMap;
        if (!CurrentSpan.hasTraceId(mdcFields)) {
            // No tracer put its ids into the MDC: the current OpenTelemetry span, if any, is this event's trace.
            Map<String, String> span = CurrentSpan.fields();
            if (span != null) {
                Map<String, String> merged = new HashMap<>(mdcFields);
                merged.putAll(span);
                mdcFields = merged;
            }
        }
        this.mdc = mdcFields;
        this.keyValues = event.getKeyValuePairs();
        this.markers = event.getMarkerList();
        this.throwable = event.getThrowableProxy();
    }

    /** Reads what belongs to the logging thread; call it on that thread. */
    static CapturedLogEntry of(ILoggingEvent event, long epochMillis, String thread) {
        return new CapturedLogEntry(event, epochMillis, levelOf(event), thread);
    }

    static LogLevel levelOf(ILoggingEvent event) {
        int level = event.getLevel().toInt();
        if (level >= ch.qos.logback.classic.Level.ERROR_INT) {
            return LogLevel.ERROR;
        }
        if (level >= ch.qos.logback.classic.Level.WARN_INT) {
            return LogLevel.WARN;
        }
        if (level >= ch.qos.logback.classic.Level.INFO_INT) {
            return LogLevel.INFO;
        }
        if (level >= ch.qos.logback.classic.Level.DEBUG_INT) {
            return LogLevel.DEBUG;
        }
        return LogLevel.TRACE;
    }

    @Override
    public String message() {
        String m = message;
        if (m == null) {
            // Benign race: formatting is deterministic; Logback caches the result in the event as well.
            m = format();
            message = m;
        }
        return m;
    }

    private String format() {
        try {
            String formatted = event.getFormattedMessage();
            if (formatted != null) {
                return formatted;
            }
        }
        catch (Throwable ex) {
            // fall back to the raw pattern below
        }
        try {
            return String.valueOf(event.getMessage());
        }
        catch (Throwable ex) {
            return "<message could not be read: " + ex.getClass().getName() + ">";
        }
    }

    @Override
    public Map<String, Object> fields() {
        Map<String, Object> f = fields;
        if (f == null) {
            f = buildFields();
            fields = f;
        }
        return f;
    }

    private Map<String, Object> buildFields() {
        List<KeyValuePair> kvs = keyValues;
        List<Marker> markerList = markers;
        boolean exceptionText = throwable != null && !(throwable instanceof ThrowableProxy);
        if ((kvs == null || kvs.isEmpty()) && mdc.isEmpty() && (markerList == null || markerList.isEmpty())
                && !exceptionText) {
            return Map.of();
        }
        Map<String, Object> result = new LinkedHashMap<>();
        if (kvs != null) {
            for (KeyValuePair kv : kvs) {
                if (kv != null) {
                    result.put(String.valueOf(kv.key), kv.value == null ? JsonNull.INSTANCE : kv.value);
                }
            }
        }
        if (!mdc.isEmpty()) {
            // Sorted: MDC maps are hash maps, and a stable order keeps lines comparable.
            for (Map.Entry<String, String> e : sortedMdc(mdc).entrySet()) {
                Object value = e.getValue() == null ? JsonNull.INSTANCE : e.getValue();
                result.putIfAbsent(String.valueOf(e.getKey()), value);
            }
        }
        if (markerList != null && !markerList.isEmpty()) {
            List<String> names = new ArrayList<>(markerList.size());
            for (Marker marker : markerList) {
                if (marker != null) {
                    names.add(marker.getName());
                }
            }
            result.putIfAbsent(MARKERS_FIELD, Collections.unmodifiableList(names));
        }
        IThrowableProxy proxy = throwable;
        if (exceptionText && proxy != null) {
            result.putIfAbsent(EXCEPTION_FIELD, ThrowableProxyUtil.asString(proxy));
        }
        return Collections.unmodifiableMap(result);
    }

    @Override
    public @Nullable Throwable error() {
        return throwable instanceof ThrowableProxy proxy ? proxy.getThrowable() : null;
    }

    @Override
    public String toString() {
        return "LogEntry[" + level() + " " + logger() + ": " + message() + "]";
    }
}
