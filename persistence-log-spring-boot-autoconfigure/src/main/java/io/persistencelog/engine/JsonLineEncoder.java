package io.persistencelog.engine;

import io.persistencelog.LogEntry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.json.JsonFactory;

/**
 * Writes entries as JSON Lines objects with Jackson's streaming generator into a reused buffer.
 *
 * <p>Every input yields exactly one valid line: strings are cleaned of unpaired surrogates and cut to a
 * maximum length, nesting is cut at a fixed depth (so cycles end), and anything that throws while being
 * read is replaced by a description of the failure. One encoder per thread: it is not thread-safe.
 */
public final class JsonLineEncoder {

    public static final Set<String> RESERVED_KEYS = Set.of("timestamp", "level", "logger", "message", "thread",
            "error");

    static final int MAX_DEPTH = 8;
    static final int MAX_ITEMS = 1_000;
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ISO_INSTANT;
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .rootValueSeparator((String) null)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .disable(StreamWriteFeature.FLUSH_PASSED_TO_STREAM)
            .build();

    private final int maxStringLength;
    private final ByteSink sink = new ByteSink(8192);
    private JsonGenerator generator;
    private long truncatedValues;

    public JsonLineEncoder(int maxStringLength) {
        this.maxStringLength = maxStringLength;
        this.generator = newGenerator();
    }

    private JsonGenerator newGenerator() {
        return FACTORY.createGenerator(ObjectWriteContext.empty(), sink);
    }

    /** Values cut because they exceeded the maximum length, since this encoder was created. */
    public long truncatedValues() {
        return truncatedValues;
    }

    /** Encodes one entry followed by {@code \n}; the bytes stay valid until the next call. */
    public ByteSink encode(LogEntry entry) {
        sink.reset();
        try {
            writeEntry(entry);
            generator.flush();
        }
        catch (Throwable ex) {
            // The generator's state is unknown after a failure: start clean and write what is safe.
            sink.reset();
            generator = newGenerator();
            writeFallback(entry, ex);
            generator.flush();
        }
        sink.write('\n');
        return sink;
    }

    private void writeEntry(LogEntry entry) {
        JsonGenerator g = generator;
        g.writeStartObject();
        writeHeader(g, entry);
        for (Map.Entry<String, Object> field : entry.fields().entrySet()) {
            String key = field.getKey();
            g.writeName(clean(RESERVED_KEYS.contains(key) ? "fields." + key : key));
            writeValue(g, field.getValue(), 0);
        }
        Throwable error = entry.error();
        if (error != null) {
            g.writeName("error");
            writeError(g, error);
        }
        g.writeEndObject();
    }

    private void writeHeader(JsonGenerator g, LogEntry entry) {
        g.writeStringProperty("timestamp", TIMESTAMP.format(Instant.ofEpochMilli(entry.epochMillis())));
        g.writeStringProperty("level", entry.level().name());
        g.writeStringProperty("logger", clean(entry.logger()));
        g.writeStringProperty("message", clean(entry.message()));
        g.writeStringProperty("thread", clean(entry.thread()));
    }

    private void writeFallback(LogEntry entry, Throwable failure) {
        JsonGenerator g = generator;
        g.writeStartObject();
        writeHeader(g, entry);
        g.writeStringProperty("encodingError", clean(failure.getClass().getName() + ": "
                + SafeText.toText(failure.getMessage())));
        g.writeEndObject();
    }

    /** The {@code error} object: type, message and the full stack trace text (with causes). */
    public void writeError(JsonGenerator g, Throwable error) {
        g.writeStartObject();
        g.writeStringProperty("type", typeName(error));
        String message;
        try {
            message = error.getMessage();
        }
        catch (Throwable ex) {
            message = "<getMessage() threw " + ex.getClass().getName() + ">";
        }
        g.writeName("message");
        if (message == null) {
            g.writeNull();
        }
        else {
            g.writeString(clean(message));
        }
        g.writeStringProperty("stack", clean(stackTrace(error)));
        g.writeEndObject();
    }

    /** The throwable's class name, or the recorded one for a throwable read back from the spool. */
    public static String typeName(Throwable error) {
        return error instanceof RecordedThrowable recorded ? recorded.recordedType() : error.getClass().getName();
    }

    public static String stackTrace(Throwable error) {
        if (error instanceof RecordedThrowable recorded) {
            return recorded.recordedStack();
        }
        StringWriter out = new StringWriter(1024);
        try (PrintWriter writer = new PrintWriter(out)) {
            error.printStackTrace(writer);
        }
        catch (Throwable ex) {
            out.append("<printStackTrace() threw ").append(ex.getClass().getName()).append('>');
        }
        return out.toString();
    }

    /**
     * Writes one structured field value the way the weekly file does: strings cleaned and cut, numbers kept
     * as numbers, nesting and collection sizes bounded, hostile objects described instead of thrown. For
     * backends that build their own JSON shape around the fields.
     */
    public void writeFieldValue(JsonGenerator g, @Nullable Object value) {
        writeValue(g, value, 0);
    }

    private void writeValue(JsonGenerator g, @Nullable Object value, int depth) {
        if (value == null || value == JsonNull.INSTANCE) {
            g.writeNull();
        }
        else if (value instanceof String s) {
            g.writeString(clean(s));
        }
        else if (value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof Byte) {
            g.writeNumber(((Number) value).longValue());
        }
        else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isFinite(d)) {
                g.writeNumber(d);
            }
            else {
                g.writeString(Double.toString(d));
            }
        }
        else if (value instanceof BigDecimal b) {
            g.writeNumber(b);
        }
        else if (value instanceof BigInteger b) {
            g.writeNumber(b);
        }
        else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        }
        else if (depth >= MAX_DEPTH) {
            g.writeString("<max depth reached>");
        }
        else if (value instanceof Map<?, ?> map) {
            writeMap(g, map, depth);
        }
        else if (value instanceof Iterable<?> items) {
            writeIterable(g, items, depth);
        }
        else if (value.getClass().isArray()) {
            writeArray(g, value, depth);
        }
        else if (value instanceof Optional<?> optional) {
            writeValue(g, optional.orElse(null), depth + 1);
        }
        else if (value instanceof Throwable t) {
            writeError(g, t);
        }
        else {
            g.writeString(clean(SafeText.toText(value)));
        }
    }

    private void writeMap(JsonGenerator g, Map<?, ?> map, int depth) {
        g.writeStartObject();
        int count = 0;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (++count > MAX_ITEMS) {
                g.writeStringProperty("<truncated>", "more than " + MAX_ITEMS + " entries");
                break;
            }
            g.writeName(clean(SafeText.toText(e.getKey())));
            writeValue(g, e.getValue(), depth + 1);
        }
        g.writeEndObject();
    }

    private void writeIterable(JsonGenerator g, Iterable<?> items, int depth) {
        g.writeStartArray();
        int count = 0;
        for (Object item : items) {
            if (++count > MAX_ITEMS) {
                g.writeString("<truncated: more than " + MAX_ITEMS + " items>");
                break;
            }
            writeValue(g, item, depth + 1);
        }
        g.writeEndArray();
    }

    private void writeArray(JsonGenerator g, Object array, int depth) {
        g.writeStartArray();
        int length = Array.getLength(array);
        for (int i = 0; i < length; i++) {
            if (i >= MAX_ITEMS) {
                g.writeString("<truncated: " + length + " items>");
                break;
            }
            writeValue(g, Array.get(array, i), depth + 1);
        }
        g.writeEndArray();
    }

    /** Replaces unpaired surrogates (which are not valid UTF-8) and cuts over-long text with a marker. */
    public String clean(String text) {
        String result = text;
        if (result.length() > maxStringLength) {
            truncatedValues++;
            result = result.substring(0, maxStringLength) + "...[truncated " + (text.length() - maxStringLength)
                    + " chars]";
        }
        return Utf16.replaceUnpairedSurrogates(result);
    }
}
