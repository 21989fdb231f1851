package io.persistencelog.engine.spool;

import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import io.persistencelog.codec.ByteSink;
import io.persistencelog.codec.JsonLineEncoder;
import io.persistencelog.codec.JsonNull;
import io.persistencelog.codec.RecordedThrowable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * A spool record is the entry's JSON line (the weekly file's format, without the newline), so what is
 * replayed is exactly what would have been written; reading it back restores the header, the fields
 * (numbers stay numbers) and the error.
 */
final class SpoolCodec {

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private final JsonLineEncoder encoder;

    SpoolCodec(int maxValueLength) {
        this.encoder = new JsonLineEncoder(maxValueLength);
    }

    /** The record bytes; valid until the next call. */
    ByteSink encode(LogEntry entry) {
        ByteSink line = encoder.encode(entry);
        line.truncate(line.size() - 1); // drop the newline
        return line;
    }

    static LogEntry decode(byte[] bytes, int offset, int length) {
        try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), bytes, offset, length)) {
            p.nextToken();
            Map<String, Object> object = readObject(p);
            return toEntry(object);
        }
    }

    @SuppressWarnings("unchecked")
    private static LogEntry toEntry(Map<String, Object> object) {
        long millis = Instant.parse(String.valueOf(object.remove("timestamp"))).toEpochMilli();
        LogLevel level = LogLevel.valueOf(String.valueOf(object.remove("level")));
        String logger = String.valueOf(object.remove("logger"));
        String message = String.valueOf(object.remove("message"));
        String thread = String.valueOf(object.remove("thread"));
        Throwable error = null;
        if (object.get("error") instanceof Map<?, ?> e) {
            object.remove("error");
            Map<String, Object> err = (Map<String, Object>) e;
            Object msg = err.get("message");
            error = new RecordedThrowable(String.valueOf(err.get("type")),
                    msg == null || msg == JsonNull.INSTANCE ? null : String.valueOf(msg),
                    String.valueOf(err.get("stack")));
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        object.forEach((key, value) -> fields.put(key.startsWith("fields.")
                && JsonLineEncoder.RESERVED_KEYS.contains(key.substring(7)) ? key.substring(7) : key, value));
        return new SpooledLogEntry(millis, level, logger, message, thread, Collections.unmodifiableMap(fields),
                error);
    }

    private static Map<String, Object> readObject(JsonParser p) {
        Map<String, Object> map = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            p.nextToken();
            map.put(name == null ? "null" : name, readValue(p));
        }
        return map;
    }

    private static Object readValue(JsonParser p) {
        JsonToken token = p.currentToken();
        if (token == null) {
            return JsonNull.INSTANCE;
        }
        return switch (token) {
            case START_OBJECT -> readObject(p);
            case START_ARRAY -> readArray(p);
            case VALUE_STRING -> p.getString();
            case VALUE_NUMBER_INT -> p.getNumberValue();
            case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            default -> JsonNull.INSTANCE;
        };
    }

    private static List<@Nullable Object> readArray(JsonParser p) {
        List<@Nullable Object> list = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            list.add(readValue(p));
        }
        return list;
    }
}
