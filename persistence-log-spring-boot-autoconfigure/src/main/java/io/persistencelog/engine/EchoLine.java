package io.persistencelog.engine;

import io.persistencelog.codec.RecordedThrowable;

import io.persistencelog.codec.ParsedKeyValues;

import io.persistencelog.codec.Redactor;

import io.persistencelog.codec.SafeText;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the console shows for an {@code AppLogger} call: the message followed by {@code key=value} for each
 * key/value (masked by the redactor), the same key/values as SLF4J key/value pairs, and the throwable. Built
 * the same way by the synchronous echo (on the caller's thread) and the asynchronous one (on the echo
 * thread), so both modes print the same line. The MDC is not part of the text: Logback patterns show it with
 * {@code %X}.
 */
record EchoLine(String text, Map<String, Object> fields, @Nullable Throwable error) {

    static EchoLine of(@Nullable String message, @Nullable Object @Nullable [] keyValues, Redactor redactor) {
        String base = redactor.redactMessage(String.valueOf(message));
        if (keyValues == null || keyValues.length == 0) {
            return new EchoLine(base, Map.of(), null);
        }
        ParsedKeyValues parsed = ParsedKeyValues.parse(keyValues);
        Map<String, Object> fields = redactor.redact(parsed.fields());
        StringBuilder text = new StringBuilder(base);
        fields.forEach((k, v) -> text.append(' ').append(k).append('=').append(SafeText.toText(v)));
        Throwable error = parsed.error();
        Throwable masked = redactor.redactError(error);
        if (masked instanceof RecordedThrowable recorded && masked != error) {
            // Logback would print the stand-in's own class name: the masked stack text goes into the line
            // instead, with the original type first, as Logback would have shown it.
            text.append(System.lineSeparator()).append(recorded.recordedStack());
            return new EchoLine(text.toString(), fields, null);
        }
        return new EchoLine(text.toString(), fields, error);
    }
}
