package io.persistencelog.codec;

import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.SerializableString;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.io.SerializedString;
import tools.jackson.core.json.JsonFactory;

// Longer than 350 lines on purpose: the allocation-free JSON Lines writer keeps its fast path, bounded values, safe text and
// hostile-input fallbacks in one place, so every backend writes the same bytes for the same entry.
/**
 * Writes entries as JSON Lines objects with Jackson's streaming generator into a reused buffer.
 *
 * <p>Every input yields exactly one valid line: strings are cleaned of unpaired surrogates and cut to a
 * maximum length, nesting is cut at a fixed depth (so cycles end), and anything that throws while being
 * read is replaced by a description of the failure. One encoder per thread: it is not thread-safe.
 *
 * <p>The hot path (measured with the benchmarks module) avoids per-line garbage: the timestamp's
 * {@code yyyy-MM-ddTHH:mm:ss} part is formatted once per second and written as raw bytes; field names,
 * short messages are cached as pre-escaped UTF-8 ({@link SerializedString}), level + logger and thread as
 * pre-built raw chunks of the line; and
 * an entry's key/value array is written pair by pair when it is simple (distinct String keys, no throwable),
 * which yields the same line as going through {@link LogEntry#fields()}.
 */
public final class JsonLineEncoder {

    public static final Set<String> RESERVED_KEYS = Set.of("timestamp", "level", "logger", "message", "thread",
            "error");

    static final int MAX_DEPTH = 8;
    static final int MAX_ITEMS = 1_000;
    /** Least total size of one entry's field values, in characters (see {@link #startEntry()}). */
    static final long MIN_ENTRY_BUDGET = 1L << 20;
    public static final String BUDGET_EXCEEDED = "<truncated: entry size budget exceeded>";
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ISO_INSTANT;
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .rootValueSeparator((String) null)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .disable(StreamWriteFeature.FLUSH_PASSED_TO_STREAM)
            .build();

    private static final SerializedString TIMESTAMP_NAME = new SerializedString("timestamp");
    private static final SerializedString LEVEL_NAME = new SerializedString("level");
    private static final SerializedString LOGGER_NAME = new SerializedString("logger");
    private static final SerializedString MESSAGE_NAME = new SerializedString("message");
    private static final SerializedString THREAD_NAME = new SerializedString("thread");
    private static final SerializedString[] LEVEL_VALUES = levelValues();
    /** Longest text kept in the name caches; longer text is written directly. */
    private static final int MAX_CACHED_LENGTH = 128;
    /** Most key/value pairs checked for the pair-by-pair path (the duplicate check is quadratic). */
    private static final int MAX_FAST_PAIRS = 16;

    private final int maxStringLength;
    private final ByteSink sink = new ByteSink(8192);
    /** Field names as written (reserved ones prefixed with {@code fields.}), pre-escaped. */
    private final TextCache keys = new TextCache(256,
            key -> new SerializedString(clean(RESERVED_KEYS.contains(key) ? "fields." + key : key)));
    /** Messages (and other header text), pre-escaped. */
    private final TextCache texts = new TextCache(512, text -> new SerializedString(clean(text)));
    /** Per level: raw {@code ,"level":"INFO","logger":"..."} by logger name. */
    private final TextCache[] levelLoggerChunks = levelLoggerChunks();
    /** Raw {@code ,"thread":"..."} by thread name. */
    private final TextCache threadChunks = new TextCache(256, thread -> chunk(",\"thread\":\"", thread));
    /** Longest text the caches take: short enough never to be truncated, even with a {@code fields.} prefix. */
    private final int cacheLimit;
    private final byte[] timestamp = new byte[32];
    private long timestampSecond = Long.MIN_VALUE;
    private JsonGenerator generator;
    private long truncatedValues;
    /**
     * Characters one entry's field values may still take. Depth and item limits alone do not bound a line:
     * a list that holds itself ten times is 10^8 leaves at depth 8. Once spent, every container ends with a
     * marker instead of descending further.
     */
    private final long entryBudget;
    private long budgetLeft;

    /** The default of {@code log-persistence.max-value-length}. */
    public static final int DEFAULT_MAX_VALUE_LENGTH = 32_768;

    public JsonLineEncoder(int maxStringLength) {
        this.maxStringLength = maxStringLength;
        this.cacheLimit = Math.min(MAX_CACHED_LENGTH, maxStringLength - "fields.".length());
        this.generator = newGenerator();
        this.entryBudget = Math.max(MIN_ENTRY_BUDGET, 4L * maxStringLength);
        this.budgetLeft = entryBudget;
    }

    /** Starts a new entry's size budget; for backends that write field values one by one. */
    public void startEntry() {
        budgetLeft = entryBudget;
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
        sink.shrinkIfOversized();
        budgetLeft = entryBudget;
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
        if (entry instanceof QueuedLogEntry queued) {
            @Nullable Object[] keyValues = queued.keyValues();
            // With an MDC the fields are the key/values plus the MDC entries: that goes through fields().
            // Decided once per entry (usually by the dispatcher); an entry whose field map is built already is
            // written from it.
            if (!queued.fieldsPrepared() && queued.writesKeyValuesDirectly()) {
                for (int i = 0; i < keyValues.length; i += 2) {
                    g.writeName(fieldName((String) keyValues[i]));
                    writeValue(g, keyValues[i + 1], 0);
                }
                g.writeEndObject();
                return;
            }
        }
        for (Map.Entry<String, Object> field : entry.fields().entrySet()) {
            g.writeName(fieldName(field.getKey()));
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
        g.writeName(TIMESTAMP_NAME);
        writeTimestamp(g, entry.epochMillis());
        String logger = entry.logger();
        if (logger.length() <= cacheLimit) {
            // ,"level":"INFO","logger":"..." as one pre-built chunk; the generator adds the comma before the
            // next name itself, because raw output does not change its state.
            g.writeRaw(levelLoggerChunks[entry.level().ordinal()].get(logger));
        }
        else {
            g.writeName(LEVEL_NAME);
            g.writeString(LEVEL_VALUES[entry.level().ordinal()]);
            g.writeName(LOGGER_NAME);
            g.writeString(clean(logger));
        }
        g.writeName(MESSAGE_NAME);
        writeText(g, entry.message());
        String thread = entry.thread();
        if (thread.length() <= cacheLimit) {
            g.writeRaw(threadChunks.get(thread));
        }
        else {
            g.writeName(THREAD_NAME);
            g.writeString(clean(thread));
        }
    }

    /**
     * Writes what {@code DateTimeFormatter.ISO_INSTANT} writes for a millisecond instant
     * ({@code 2024-01-08T10:15:30.123Z}, no fraction when the milliseconds are 0), reusing the formatted
     * second.
     */
    private void writeTimestamp(JsonGenerator g, long epochMillis) {
        long second = Math.floorDiv(epochMillis, 1000L);
        int millis = (int) Math.floorMod(epochMillis, 1000L);
        if (second != timestampSecond) {
            String formatted = TIMESTAMP.format(Instant.ofEpochSecond(second));
            if (formatted.length() != 20) {
                // Years before 0 or after 9999: rare enough to format in full every time.
                g.writeString(TIMESTAMP.format(Instant.ofEpochMilli(epochMillis)));
                return;
            }
            for (int i = 0; i < 19; i++) {
                timestamp[i] = (byte) formatted.charAt(i);
            }
            timestampSecond = second;
        }
        int length = 19;
        if (millis != 0) {
            timestamp[length++] = '.';
            timestamp[length++] = (byte) ('0' + millis / 100);
            timestamp[length++] = (byte) ('0' + millis / 10 % 10);
            timestamp[length++] = (byte) ('0' + millis % 10);
        }
        timestamp[length++] = 'Z';
        g.writeRawUTF8String(timestamp, 0, length);
    }

    private void writeText(JsonGenerator g, String text) {
        if (text.length() <= cacheLimit) {
            g.writeString(texts.get(text));
        }
        else {
            g.writeString(clean(text));
        }
    }

    private SerializableString fieldName(String key) {
        if (key.length() <= cacheLimit) {
            return keys.get(key);
        }
        return new SerializedString(clean(RESERVED_KEYS.contains(key) ? "fields." + key : key));
    }

    /**
     * Whether an entry without an MDC is written straight from its key/values, without building its field
     * map: distinct string keys, no throwable, and (when redacting) nothing the redactor could change.
     */
    static boolean writesKeyValuesDirectly(@Nullable Object[] keyValues, Redactor redactor) {
        return isSimple(keyValues, redactor);
    }

    /** Even length, distinct String keys, no throwable anywhere: the pairs are exactly the fields. */
    private static boolean isSimple(@Nullable Object[] keyValues, Redactor redactor) {
        int length = keyValues.length;
        if ((length & 1) != 0 || length > 2 * MAX_FAST_PAIRS) {
            return false;
        }
        boolean redacting = redactor.isActive();
        for (int i = 0; i < length; i += 2) {
            if (!(keyValues[i] instanceof String key) || keyValues[i + 1] instanceof Throwable) {
                return false;
            }
            // Masking happens in fields(): anything it could change takes that path. Scalars cannot hide a
            // secret; strings only when secret-shaped (a few indexOf scans); containers and other objects
            // (whose toString() is written) always go through the redactor.
            if (redacting && (redactor.isSensitive(key) || !isPlainValue(keyValues[i + 1]))) {
                return false;
            }
            for (int j = 0; j < i; j += 2) {
                if (key.equals(keyValues[j])) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean isPlainValue(@Nullable Object value) {
        if (value instanceof String s) {
            return !Redactor.mayHoldSecretValue(s);
        }
        return value == null || value instanceof Number || value instanceof Boolean || value instanceof Character
                || value instanceof Enum<?>;
    }

    private TextCache[] levelLoggerChunks() {
        LogLevel[] levels = LogLevel.values();
        TextCache[] caches = new TextCache[levels.length];
        for (LogLevel level : levels) {
            String prefix = ",\"level\":\"" + level.name() + "\",\"logger\":\"";
            caches[level.ordinal()] = new TextCache(64, logger -> chunk(prefix, logger));
        }
        return caches;
    }

    private static SerializedString[] levelValues() {
        LogLevel[] levels = LogLevel.values();
        SerializedString[] values = new SerializedString[levels.length];
        for (LogLevel level : levels) {
            values[level.ordinal()] = new SerializedString(level.name());
        }
        return values;
    }

    /**
     * A direct-mapped cache from text to what is written for it (cleaned and pre-escaped). Bounded: a
     * colliding text replaces the slot's previous one. Only short text (never truncated, so
     * {@link #truncatedValues} stays exact) is cached.
     */
    private static final class TextCache {
        private final @Nullable String[] raw;
        private final @Nullable SerializedString[] cooked;
        private final int mask;
        private final Function<String, SerializedString> maker;

        TextCache(int size, Function<String, SerializedString> maker) {
            this.raw = new String[size];
            this.cooked = new SerializedString[size];
            this.mask = size - 1;
            this.maker = maker;
        }

        SerializedString get(String text) {
            int h = text.hashCode();
            int slot = (h ^ (h >>> 16)) & mask;
            String cachedRaw = raw[slot];
            SerializedString cachedCooked = cooked[slot];
            if (cachedCooked != null && (cachedRaw == text || text.equals(cachedRaw))) {
                return cachedCooked;
            }
            SerializedString made = maker.apply(text);
            raw[slot] = text;
            cooked[slot] = made;
            return made;
        }
    }

    /** Raw JSON {@code <prefix><escaped text>"}, e.g. {@code ,"thread":"main"}. */
    private SerializedString chunk(String prefix, String text) {
        String escaped = new String(new SerializedString(clean(text)).asQuotedUTF8(), StandardCharsets.UTF_8);
        return new SerializedString(prefix + escaped + '"');
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
        budgetLeft -= 8; // punctuation, a number or a marker: what any value costs at least, roughly
        if (value == null || value == JsonNull.INSTANCE) {
            g.writeNull();
        }
        else if (value instanceof String s) {
            budgetLeft -= s.length();
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
        else if (budgetLeft < 0 && !(value instanceof Throwable)) {
            g.writeString(BUDGET_EXCEEDED);
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
            String text = SafeText.toText(value);
            budgetLeft -= text.length();
            g.writeString(clean(text));
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
            if (budgetLeft <= 0) {
                g.writeStringProperty("<truncated>", BUDGET_EXCEEDED);
                break;
            }
            String name = SafeText.toText(e.getKey());
            budgetLeft -= name.length();
            g.writeName(clean(name));
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
            if (budgetLeft <= 0) {
                g.writeString(BUDGET_EXCEEDED);
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
            if (budgetLeft <= 0) {
                g.writeString(BUDGET_EXCEEDED);
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
