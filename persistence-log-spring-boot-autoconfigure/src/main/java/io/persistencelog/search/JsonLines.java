package io.persistencelog.search;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/** One JSON Lines line into plain maps, lists, strings, numbers, booleans and nulls (Jackson's streaming parser). */
final class JsonLines {

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private JsonLines() {
    }

    /**
     * The line's object, keys in file order; numbers keep their written precision (integers as Long or
     * BigInteger, fractions as BigDecimal).
     *
     * @throws tools.jackson.core.JacksonException if the line is not one complete JSON object
     * @throws IllegalStateException if the line holds something other than an object
     */
    static Map<String, @Nullable Object> parseObject(byte[] b, int off, int len) {
        try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), b, off, len)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalStateException("not a JSON object");
            }
            Map<String, @Nullable Object> object = readObject(p);
            if (p.nextToken() != null) {
                throw new IllegalStateException("text after the JSON object");
            }
            return object;
        }
    }

    private static Map<String, @Nullable Object> readObject(JsonParser p) {
        Map<String, @Nullable Object> map = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            p.nextToken();
            map.put(name, readValue(p));
        }
        return map;
    }

    private static @Nullable Object readValue(JsonParser p) {
        JsonToken token = p.currentToken();
        if (token == null) {
            throw new IllegalStateException("line ends inside a value");
        }
        return switch (token) {
            case START_OBJECT -> readObject(p);
            case START_ARRAY -> readArray(p);
            case VALUE_STRING -> p.getString();
            case VALUE_NUMBER_INT -> p.getNumberValue();
            case VALUE_NUMBER_FLOAT -> p.getDecimalValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            default -> null;
        };
    }

    private static List<@Nullable Object> readArray(JsonParser p) {
        List<@Nullable Object> list = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() == null) {
                throw new IllegalStateException("line ends inside an array");
            }
            list.add(readValue(p));
        }
        return list;
    }
}
