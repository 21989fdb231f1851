package io.persistencelog.codec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Turns a caller's {@code "k1", v1, "k2", v2} array into a field map and an error, never throwing. Oddities
 * stay visible instead of disappearing: a dangling last value is kept under {@value #UNPAIRED_KEY}, a
 * non-String key is converted with {@code String.valueOf}, a null value is kept as JSON null.
 */
public record ParsedKeyValues(Map<String, Object> fields, @Nullable Throwable error) {

    static final String UNPAIRED_KEY = "_unpaired";
    static final Object NULL_VALUE = JsonNull.INSTANCE;

    public static ParsedKeyValues parse(@Nullable Object[] keyValues) {
        if (keyValues.length == 0) {
            return new ParsedKeyValues(Map.of(), null);
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        Throwable error = null;
        int i = 0;
        for (; i + 1 < keyValues.length; i += 2) {
            Object key = keyValues[i];
            Object value = keyValues[i + 1];
            if (value instanceof Throwable t && error == null) {
                error = t;
                continue;
            }
            if (key instanceof Throwable t && error == null) {
                // A throwable in a key position shifts the pairs; take it and re-read from the next element.
                error = t;
                i -= 1;
                continue;
            }
            fields.put(keyName(key), value == null ? NULL_VALUE : value);
        }
        if (i < keyValues.length) {
            Object last = keyValues[i];
            if (last instanceof Throwable t && error == null) {
                error = t;
            }
            else {
                fields.put(UNPAIRED_KEY, last == null ? NULL_VALUE : last);
            }
        }
        return new ParsedKeyValues(Collections.unmodifiableMap(fields), error);
    }

    private static String keyName(@Nullable Object key) {
        if (key instanceof String s) {
            return s;
        }
        return SafeText.toText(key);
    }
}
