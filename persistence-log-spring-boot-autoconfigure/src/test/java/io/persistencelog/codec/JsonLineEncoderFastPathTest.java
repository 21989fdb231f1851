package io.persistencelog.codec;

import io.persistencelog.codec.QueuedLogEntry;

import io.persistencelog.codec.JsonLineEncoder;

import static org.assertj.core.api.Assertions.assertThat;

import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The encoder's fast paths (cached names, the per-second timestamp, writing simple key/value arrays pair by
 * pair) must write exactly what the general path writes through {@link LogEntry#fields()}.
 */
class JsonLineEncoderFastPathTest {

    @Test
    void simpleAndOddKeyValuesGiveTheSameLineAsTheFieldMap() {
        List<@Nullable Object[]> cases = new ArrayList<>();
        cases.add(new Object[] {"user_id", 1234, "action", "checkout", "bytes", 4_000_000_000L});
        cases.add(new Object[] {});
        cases.add(new Object[] {"message", "reserved", "timestamp", 1, "fields.message", "literal"});
        cases.add(new Object[] {"a", null, "b", 1.5, "c", Double.NaN, "d", true, "e", List.of(1, 2), "f", Map.of("k", "v")});
        cases.add(new Object[] {"dup", 1, "other", 2, "dup", 3});
        cases.add(new Object[] {"odd", 1, "dangling"});
        cases.add(new Object[] {"error", new IllegalStateException("boom"), "after", 1});
        cases.add(new Object[] {42, "non-string key", "k", "v"});
        cases.add(new Object[] {"bad\uD800surrogate", "x\uDC00y", "quote\"key", "line\nbreak"});
        cases.add(new Object[] {"k".repeat(200), "v".repeat(200)});
        for (@Nullable Object[] keyValues : cases) {
            for (long millis : new long[] {1_704_708_930_123L, 1_704_708_930_000L, 1_704_708_930_001L, 0L, -1L,
                    -62_135_596_800_000L, 253_402_300_799_999L, 253_402_300_800_000L}) {
                QueuedLogEntry queued = new QueuedLogEntry(millis, LogLevel.WARN, "app.orders", "order placed",
                        "worker-1", keyValues.clone());
                assertSameLine(queued, 64);
                assertSameLine(queued, 32_768);
            }
        }
    }

    @Test
    void cachedTextIsStillCleanedAndLongTextStillTruncatedAndCounted() {
        JsonLineEncoder encoder = new JsonLineEncoder(20);
        String longMessage = "m".repeat(30);
        for (int i = 0; i < 3; i++) {
            String line = encoder.encode(new QueuedLogEntry(0L, LogLevel.INFO, "bad\uD800logger", longMessage, "t",
                    new Object[] {"k", "v"})).toString();
            assertThat(line).contains("\"logger\":\"bad\uFFFDlogger\"").contains("[truncated 10 chars]");
        }
        assertThat(encoder.truncatedValues()).isEqualTo(3);
    }

    @Test
    void timestampsMatchIsoInstantAcrossSecondsAndYears() {
        JsonLineEncoder encoder = new JsonLineEncoder(100);
        long[] samples = {0L, 999L, 1_000L, 1_001L, -1L, -999L, -1_000L, 1_704_708_930_123L, 1_704_708_930_123L,
            1_704_708_931_000L, -62_135_596_800_001L, 253_402_300_800_000L, 1_704_708_931_050L};
        for (long millis : samples) {
            String line = encoder.encode(new QueuedLogEntry(millis, LogLevel.INFO, "l", "m", "t", null)).toString();
            String expected = DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(millis));
            assertThat(line).as("millis %d", millis).startsWith("{\"timestamp\":\"" + expected + "\",\"level\"");
        }
    }

    @Test
    void headerChunksMatchAPlainJacksonHeaderForAwkwardText() {
        String[] texts = {"plain", "quo\"te", "back\\slash", "ctl\u0001\n\t\u007f", "\u00e9 \u00fc \u6f22 \uD83D\uDE00",
            "bad\uD800", "x".repeat(300), ""};
        for (LogLevel level : LogLevel.values()) {
            for (String text : texts) {
                for (int maxLength : new int[] {40, 32_768}) {
                    JsonLineEncoder encoder = new JsonLineEncoder(maxLength);
                    // Twice: once building the cached chunks, once using them.
                    for (int round = 0; round < 2; round++) {
                        String line = encoder.encode(new QueuedLogEntry(1_704_708_930_123L, level, text, text, text,
                                new Object[] { "k", text })).toString();
                        assertThat(line).isEqualTo(plainJackson(level, text, maxLength));
                    }
                }
            }
        }
    }

    private static String plainJackson(LogLevel level, String text, int maxLength) {
        JsonLineEncoder cleaner = new JsonLineEncoder(maxLength);
        java.io.StringWriter out = new java.io.StringWriter();
        try (tools.jackson.core.JsonGenerator g = new tools.jackson.core.json.JsonFactory()
                .createGenerator(tools.jackson.core.ObjectWriteContext.empty(), out)) {
            g.writeStartObject();
            g.writeStringProperty("timestamp", "2024-01-08T10:15:30.123Z");
            g.writeStringProperty("level", level.name());
            g.writeStringProperty("logger", cleaner.clean(text));
            g.writeStringProperty("message", cleaner.clean(text));
            g.writeStringProperty("thread", cleaner.clean(text));
            g.writeStringProperty("k", cleaner.clean(text));
            g.writeEndObject();
        }
        return out + "\n";
    }

    private static void assertSameLine(QueuedLogEntry queued, int maxLength) {
        String fast = new JsonLineEncoder(maxLength).encode(queued).toString();
        String general = new JsonLineEncoder(maxLength).encode(new PlainEntry(queued)).toString();
        assertThat(fast).isEqualTo(general);
        assertThat(fast).endsWith("\n").doesNotContain("\r");
        assertThat(fast.indexOf('\n')).isEqualTo(fast.length() - 1);
    }

    /** A LogEntry that is not a QueuedLogEntry, so the encoder takes the general path. */
    private record PlainEntry(LogEntry delegate) implements LogEntry {
        @Override
        public Instant timestamp() {
            return delegate.timestamp();
        }

        @Override
        public long epochMillis() {
            return delegate.epochMillis();
        }

        @Override
        public LogLevel level() {
            return delegate.level();
        }

        @Override
        public String logger() {
            return delegate.logger();
        }

        @Override
        public String message() {
            return delegate.message();
        }

        @Override
        public String thread() {
            return delegate.thread();
        }

        @Override
        public Map<String, Object> fields() {
            return delegate.fields();
        }

        @Override
        public @Nullable Throwable error() {
            return delegate.error();
        }
    }
}
