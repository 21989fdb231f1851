package io.persistencelog.backend.datadog;

import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import io.persistencelog.codec.ByteSink;
import io.persistencelog.codec.JsonLineEncoder;
import io.persistencelog.codec.SafeText;
import io.persistencelog.codec.TraceContext;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.json.JsonFactory;

/**
 * Writes one entry as a Datadog log object, never larger than Datadog's per-log limit.
 *
 * <p>Shape: {@code message}, {@code status}, {@code service}, {@code ddsource}, {@code ddtags},
 * {@code hostname}, {@code timestamp} (epoch millis; Datadog's reserved date attribute, which its default date
 * remapper reads; the send time, with the entry's own in {@code persistence_log.original_timestamp}, when Datadog
 * would drop the entry's own: more than 18 h old or 2 h ahead), {@code logger.name}, {@code logger.thread_name}, every
 * structured field as a top-level attribute (a field named like one of these is kept as
 * {@code fields.<name>}), and {@code error.kind}, {@code error.message}, {@code error.stack} for a
 * throwable. An entry over the limit is cut: first its message, then its structured fields and stack trace;
 * such an entry carries {@code persistence_log.truncated: true}. Not thread-safe: one per lane.
 */
final class DatadogEncoder {

    /** Attributes this encoder writes itself, or that Datadog reads as its own. */
    static final Set<String> RESERVED = Set.of("message", "status", "service", "ddsource", "ddtags", "hostname",
            "host", "source", "timestamp", "date", "logger", "error", "persistence_log");

    static final String DD_TRACE_ID = "dd.trace_id";
    static final String DD_SPAN_ID = "dd.span_id";

    /** Characters kept of the message, stack and other texts when fields had to be dropped. */
    static final int REDUCED_TEXT_CHARS = 64 * 1024;
    static final int REDUCED_NAME_CHARS = 1024;
    static final int MINIMAL_MESSAGE_CHARS = 1024;
    /** Room for the cut marker and the {@code persistence_log} attribute added to a cut entry. */
    private static final int MARKER_ROOM = 128;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .rootValueSeparator((String) null)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .disable(StreamWriteFeature.FLUSH_PASSED_TO_STREAM)
            .build();

    private final JsonLineEncoder values;
    private final ByteSink sink = new ByteSink(16 * 1024);
    private final String service;
    private final String source;
    private final String ddtags;
    private final String hostname;
    private final int maxEntryBytes;
    private final java.util.function.LongSupplier wallMillis;
    private JsonGenerator generator;
    /** Whether the last encoded entry was re-stamped because Datadog would drop its own time. */
    private boolean restamped;
    /** The {@code timestamp} written for the entry being encoded. */
    private long stamp;

    /** Datadog drops logs older than 18 h; the hour of margin covers retries and batching before the send. */
    static final long MAX_AGE_MILLIS = java.time.Duration.ofHours(17).toMillis();
    /** Datadog drops logs more than 2 h in the future. */
    static final long MAX_AHEAD_MILLIS = java.time.Duration.ofHours(1).toMillis();

    DatadogEncoder(DatadogProperties settings, String hostname, int maxEntryBytes, int maxValueLength) {
        this(settings, hostname, maxEntryBytes, maxValueLength, System::currentTimeMillis);
    }

    DatadogEncoder(DatadogProperties settings, String hostname, int maxEntryBytes, int maxValueLength,
            java.util.function.LongSupplier wallMillis) {
        this.wallMillis = wallMillis;
        this.values = new JsonLineEncoder(maxValueLength);
        this.service = values.clean(settings.serviceOrDefault());
        this.source = values.clean(settings.source());
        this.ddtags = values.clean(settings.ddtags());
        this.hostname = values.clean(hostname);
        this.maxEntryBytes = maxEntryBytes;
        this.generator = newGenerator();
    }

    private JsonGenerator newGenerator() {
        return FACTORY.createGenerator(ObjectWriteContext.empty(), sink);
    }

    /** Datadog's status for a level: trace and debug are both {@code debug}, warn is {@code warning}. */
    static String status(LogLevel level) {
        return switch (level) {
            case TRACE, DEBUG -> "debug";
            case INFO -> "info";
            case WARN -> "warning";
            case ERROR -> "error";
        };
    }

    /** Whether the last entry encoded carries the send time instead of its own (see {@link #encode}). */
    boolean restamped() {
        return restamped;
    }

    /** The encoded object; valid until the next call. */
    ByteSink bytes() {
        return sink;
    }

    /**
     * Encodes the entry into {@link #bytes()}.
     *
     * @return whether it had to be cut to fit the per-log limit
     */
    boolean encode(LogEntry entry) {
        long now = wallMillis.getAsLong();
        long time = entry.epochMillis();
        restamped = time < now - MAX_AGE_MILLIS || time > now + MAX_AHEAD_MILLIS;
        stamp = restamped ? now : time;
        String message = values.clean(entry.message());
        write(entry, message, true, Integer.MAX_VALUE, Integer.MAX_VALUE, false);
        int size = sink.size();
        if (size <= maxEntryBytes) {
            return false;
        }
        // Every char is at least one byte: cutting the overflow (and room for the marker) in chars is enough
        // when the message alone is large enough.
        int keep = message.length() - (size - maxEntryBytes) - MARKER_ROOM;
        if (keep >= 0) {
            write(entry, cut(message, keep), true, Integer.MAX_VALUE, Integer.MAX_VALUE, true);
            if (sink.size() <= maxEntryBytes) {
                return true;
            }
        }
        write(entry, cut(message, REDUCED_TEXT_CHARS), false, REDUCED_TEXT_CHARS, REDUCED_NAME_CHARS, true);
        if (sink.size() <= maxEntryBytes) {
            return true;
        }
        write(entry, cut(message, MINIMAL_MESSAGE_CHARS), false, 0, REDUCED_NAME_CHARS, true);
        return true;
    }

    private void write(LogEntry entry, String message, boolean withFields, int textChars, int nameChars,
            boolean truncated) {
        sink.reset();
        try {
            writeObject(generator, entry, message, withFields, textChars, nameChars, truncated);
            generator.flush();
        }
        catch (Throwable ex) {
            // The generator's state is unknown after a failure: start clean and write what is safe.
            sink.reset();
            generator = newGenerator();
            writeFallback(generator, entry, cut(message, REDUCED_TEXT_CHARS), ex);
            generator.flush();
        }
    }

    private void writeObject(JsonGenerator g, LogEntry entry, String message, boolean withFields, int textChars,
            int nameChars, boolean truncated) {
        g.writeStartObject();
        writeHeader(g, entry, message, nameChars);
        values.startEntry();
        if (withFields) {
            for (Map.Entry<String, Object> field : entry.fields().entrySet()) {
                String key = field.getKey();
                g.writeName(values.clean(RESERVED.contains(key) ? "fields." + key : key));
                values.writeFieldValue(g, field.getValue());
            }
        }
        Throwable error = entry.error();
        if (error != null && textChars > 0) {
            g.writeObjectPropertyStart("error");
            g.writeStringProperty("kind", cut(values.clean(JsonLineEncoder.typeName(error)), nameChars));
            String errorMessage = messageOf(error);
            if (errorMessage != null) {
                g.writeStringProperty("message", cut(values.clean(errorMessage), textChars / 16));
            }
            g.writeStringProperty("stack", cut(values.clean(JsonLineEncoder.stackTrace(error)), textChars));
            g.writeEndObject();
        }
        if (truncated || restamped) {
            g.writeObjectPropertyStart("persistence_log");
            if (truncated) {
                g.writeBooleanProperty("truncated", true);
            }
            if (!withFields && !entry.fields().isEmpty()) {
                g.writeNumberProperty("dropped_fields", entry.fields().size());
            }
            if (restamped) {
                g.writeStringProperty("original_timestamp", originalTime(entry.epochMillis()));
            }
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private void writeHeader(JsonGenerator g, LogEntry entry, String message, int nameChars) {
        g.writeStringProperty("message", message);
        g.writeStringProperty("status", status(entry.level()));
        g.writeStringProperty("service", service);
        g.writeStringProperty("ddsource", source);
        if (!ddtags.isEmpty()) {
            g.writeStringProperty("ddtags", ddtags);
        }
        g.writeStringProperty("hostname", hostname);
        g.writeNumberProperty("timestamp", stamp);
        g.writeObjectPropertyStart("logger");
        g.writeStringProperty("name", cut(values.clean(entry.logger()), nameChars));
        g.writeStringProperty("thread_name", cut(values.clean(entry.thread()), nameChars));
        g.writeEndObject();
        Map<String, Object> fields = entry.fields();
        // Datadog links a log to its trace by dd.trace_id/dd.span_id; the Datadog tracer's own MDC values win.
        if (!fields.containsKey(DD_TRACE_ID)) {
            TraceContext trace = TraceContext.of(fields);
            if (trace != null) {
                g.writeStringProperty(DD_TRACE_ID, trace.datadogTraceId());
                if (!fields.containsKey(DD_SPAN_ID)) {
                    g.writeStringProperty(DD_SPAN_ID, trace.datadogSpanId());
                }
            }
        }
    }

    private void writeFallback(JsonGenerator g, LogEntry entry, String message, Throwable failure) {
        g.writeStartObject();
        writeHeader(g, entry, message, REDUCED_NAME_CHARS);
        g.writeObjectPropertyStart("persistence_log");
        g.writeStringProperty("encoding_error", cut(values.clean(failure.getClass().getName() + ": "
                + SafeText.toText(failure.getMessage())), REDUCED_NAME_CHARS));
        g.writeEndObject();
        g.writeEndObject();
    }

    private static String originalTime(long epochMillis) {
        try {
            return java.time.Instant.ofEpochMilli(epochMillis).toString();
        }
        catch (java.time.DateTimeException ex) {
            return Long.toString(epochMillis);
        }
    }

    private static @Nullable String messageOf(Throwable error) {
        try {
            return error.getMessage();
        }
        catch (Throwable ex) {
            return "<getMessage() threw " + ex.getClass().getName() + ">";
        }
    }

    /** Keeps at most {@code chars} characters (never half a surrogate pair) and marks the cut. */
    static String cut(String text, int chars) {
        if (text.length() <= chars) {
            return text;
        }
        int end = Math.max(0, chars);
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "...[truncated " + (text.length() - end) + " chars]";
    }
}
