package io.persistencelog.backend.slack;

import io.persistencelog.testing.Entries;
import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlackMessageTest {

    private static final SlackProperties SETTINGS = SlackProperties.of("https://hooks.slack.com/services/T0/B0/msgtest1234");

    private static LogEntry entry(LogLevel level, String logger, String message, Object... keyValues) {
        return Entries.entry(message, keyValues).at(System.currentTimeMillis()).level(level).logger(logger).build();
    }

    private static String build(List<LogEntry> entries, SlackProperties settings) {
        return new String(SlackMessage.build(entries, 10_000, settings), StandardCharsets.UTF_8);
    }

    @Test
    void hugeMessagesAndErrorsStayWithinSlackLimits() {
        String huge = "x".repeat(50_000);
        Throwable error = new IllegalStateException("y".repeat(20_000));
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            entries.add(entry(LogLevel.ERROR, "l".repeat(5_000) + i, huge + i, error));
        }
        SlackProperties twenty = new SlackProperties(SETTINGS.webhookUrl(), LogLevel.ERROR, SETTINGS.burstWindow(),
                SETTINGS.minInterval(), 20, SETTINGS.connectTimeout(), SETTINGS.requestTimeout(),
                SETTINGS.maxRetries(), SETTINGS.maxRetryWait(), SETTINGS.rejectedPause(), "p".repeat(5_000));
        String body = build(entries, twenty);

        String text = JsonPath.read(body, "$.text");
        assertThat(text.length()).isLessThanOrEqualTo(SlackMessage.TEXT_LIMIT);
        List<String> sections = JsonPath.read(body, "$.blocks[*].text.text");
        assertThat(sections).hasSize(21);
        assertThat(sections).allSatisfy(s -> assertThat(s.length()).isBetween(1, SlackMessage.SECTION_TEXT_LIMIT));
        List<Object> blocks = JsonPath.read(body, "$.blocks");
        assertThat(blocks.size()).isLessThanOrEqualTo(50);
        // the error part survives the cut of the message
        assertThat(sections.get(1)).contains("java.lang.IllegalStateException").endsWith("```");
    }

    @Test
    void distinctMessagesAreRankedByCountWithTheRestSummarised() {
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            entries.add(entry(LogLevel.ERROR, "a.Rare", "rare"));
        }
        for (int i = 0; i < 10; i++) {
            entries.add(entry(LogLevel.ERROR, "a.Common", "common"));
        }
        for (int i = 0; i < 7; i++) {
            entries.add(entry(LogLevel.ERROR, "a.Other" + i, "one-off " + i));
        }
        String body = build(entries, SETTINGS);
        List<String> sections = JsonPath.read(body, "$.blocks[?(@.type == 'section')].text.text");
        assertThat(sections.get(0)).isEqualTo("*20 errors in the last 10 s*");
        assertThat(sections.get(1)).startsWith("*10×* `a.Common`\ncommon");
        assertThat(sections.get(2)).startsWith("*3×* `a.Rare`\nrare");
        assertThat(sections).hasSize(6);
        List<String> context = JsonPath.read(body, "$.blocks[?(@.type == 'context')].elements[0].text");
        assertThat(context).containsExactly("…and 4 more distinct messages (4 entries)");
    }

    @Test
    void mixedLevelsAreSpelledOutWhenWarningsAreAlertedToo() {
        List<LogEntry> entries = List.of(entry(LogLevel.WARN, "a", "w"), entry(LogLevel.ERROR, "a", "e"),
                entry(LogLevel.WARN, "a", "w"));
        assertThat(SlackMessage.summary(entries, 65_000, LogLevel.WARN))
                .isEqualTo("3 entries at WARN or above (1 ERROR, 2 WARN) in the last 65 s");
        assertThat(SlackMessage.summary(List.of(entries.get(0)), 500, LogLevel.WARN))
                .isEqualTo("1 warning in the last 1 s");
        assertThat(SlackMessage.window(3 * 60 * 60 * 1000L)).isEqualTo("3 h");
        assertThat(SlackMessage.window(5 * 60 * 1000L)).isEqualTo("5 min");
    }

    @Test
    void brokenTextBecomesValidJsonAndIsCutWithoutSplittingCharacters() {
        String emoji = "\uD83D\uDE00";
        assertThat(SlackMessage.truncate("ab" + emoji + "cd", 4)).isEqualTo("ab…");
        assertThat(SlackMessage.clean("bad \uD800 surrogate", 100)).isEqualTo("bad \uFFFD surrogate");
        String body = build(List.of(entry(LogLevel.ERROR, "a", "line1\nline2 \uDC00 \"quoted\" <tag> ```code```")),
                SETTINGS);
        List<String> sections = JsonPath.read(body, "$.blocks[*].text.text");
        assertThat(sections.get(1)).contains("line1\nline2 \uFFFD \"quoted\" &lt;tag&gt;");
    }

    @Test
    void aHostileThrowableDoesNotBreakTheMessage() {
        Throwable hostile = new RuntimeException() {
            @Override
            public String getMessage() {
                throw new IllegalStateException("no message for you");
            }
        };
        String body = build(List.of(entry(LogLevel.ERROR, "a", "m", hostile)), SETTINGS);
        assertThat(JsonPath.<List<String>>read(body, "$.blocks[*].text.text")).hasSize(2);
    }

    @Test
    void rootCauseIsShownWithItsFirstFrame() {
        Exception root = new java.io.IOException("disk full");
        Exception top = new IllegalStateException("save failed", new RuntimeException("wrapped", root));
        String text = SlackMessage.errorText(top);
        assertThat(text).startsWith("java.lang.IllegalStateException: save failed\n    at ")
                .contains("\ncaused by java.io.IOException: disk full\n    at ");
    }
}
