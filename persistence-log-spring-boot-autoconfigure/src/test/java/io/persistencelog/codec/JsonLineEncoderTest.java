package io.persistencelog.codec;

import io.persistencelog.codec.QueuedLogEntry;

import io.persistencelog.codec.JsonLineEncoder;

import static org.assertj.core.api.Assertions.assertThat;

import io.persistencelog.LogLevel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class JsonLineEncoderTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final JsonLineEncoder encoder = new JsonLineEncoder(100);

    private JsonNode encode(String message, Object... keyValues) {
        String line = encoder.encode(new QueuedLogEntry(0, LogLevel.WARN, "l", message, "t", keyValues)).toString();
        assertThat(line).endsWith("\n");
        assertThat(line.substring(0, line.length() - 1)).doesNotContain("\n");
        return JSON.readTree(line);
    }

    @Test
    void hostileStringsStayOnOneValidLine() {
        JsonNode node = encode("line1\nline2\u0000\t\"quoted\"", "bad", "\uD800 lone surrogate", "emoji", "\uD83D\uDE00");
        assertThat(node.get("message").asString()).isEqualTo("line1\nline2\u0000\t\"quoted\"");
        assertThat(node.get("bad").asString()).isEqualTo("\uFFFD lone surrogate");
        assertThat(node.get("emoji").asString()).isEqualTo("\uD83D\uDE00");
    }

    @Test
    void longValuesAreCutWithAMarker() {
        JsonNode node = encode("m", "big", "x".repeat(1000));
        assertThat(node.get("big").asString()).startsWith("x".repeat(100)).endsWith("...[truncated 900 chars]");
        assertThat(encoder.truncatedValues()).isEqualTo(1);
    }

    @Test
    void cyclesAndThrowingObjectsDoNotBreakTheLine() {
        Map<String, Object> cyclic = new HashMap<>();
        cyclic.put("self", cyclic);
        List<Object> list = new ArrayList<>();
        list.add(list);
        Object hostile = new Object() {
            @Override
            public String toString() {
                throw new IllegalStateException("nope");
            }
        };
        JsonNode node = encode("m", "map", cyclic, "list", list, "hostile", hostile);
        assertThat(node.get("map").toString()).contains("max depth");
        assertThat(node.get("list").toString()).contains("max depth");
        assertThat(node.get("hostile").asString()).contains("threw java.lang.IllegalStateException");
    }

    @Test
    void oddKeyValuesStayVisible() {
        JsonNode node = encode("m", "a", 1, 42, "numeric key", null, "null key", "b", null, "dangling");
        assertThat(node.get("a").asInt()).isEqualTo(1);
        assertThat(node.get("42").asString()).isEqualTo("numeric key");
        assertThat(node.get("null").asString()).isEqualTo("null key");
        assertThat(node.get("b").isNull()).isTrue();
        assertThat(node.get("_unpaired").asString()).isEqualTo("dangling");
    }

    @Test
    void nonFiniteNumbersAndNestedValuesAreValidJson() {
        JsonNode node = encode("m", "nan", Double.NaN, "list", List.of(1, "two", Map.of("k", true)), "array",
                new int[] { 1, 2 });
        assertThat(node.get("nan").asString()).isEqualTo("NaN");
        assertThat(node.get("list").get(2).get("k").asBoolean()).isTrue();
        assertThat(node.get("array").get(1).asInt()).isEqualTo(2);
    }
}
