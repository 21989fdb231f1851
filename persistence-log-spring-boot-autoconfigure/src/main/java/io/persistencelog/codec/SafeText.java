package io.persistencelog.codec;

import org.jspecify.annotations.Nullable;

/** {@code toString} that never throws: hostile objects must not break a log line. */
public final class SafeText {

    private SafeText() {
    }

    public static String toText(@Nullable Object value) {
        if (value == null) {
            return "null";
        }
        try {
            String text = value.toString();
            return text == null ? "null" : text;
        }
        catch (Throwable ex) {
            return "<toString() of " + value.getClass().getName() + " threw " + ex.getClass().getName() + ">";
        }
    }
}
