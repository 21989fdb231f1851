package io.persistencelog.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import io.persistencelog.backend.file.FileBackend;
import io.persistencelog.backend.file.FileProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Searches over weekly files written by the real file backend (and, for torn lines, by hand). */
class LogSearchTest {

    static final Instant NOW = Instant.parse("2024-01-10T12:00:00Z");

    @TempDir
    Path dir;

    record Entry(Instant timestamp, LogLevel level, String logger, String message, String thread,
            Map<String, Object> fields, @Nullable Throwable error) implements LogEntry {
    }

    static Entry entry(String at, LogLevel level, String logger, String message, Object... keyValues) {
        return entryWithError(at, level, logger, message, null, keyValues);
    }

    static Entry entryWithError(String at, LogLevel level, String logger, String message, @Nullable Throwable error,
            Object... keyValues) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            fields.put((String) keyValues[i], keyValues[i + 1]);
        }
        return new Entry(Instant.parse(at), level, logger, message, "main", fields, error);
    }

    void write(ZoneId zone, LogEntry... entries) {
        FileBackend backend = new FileBackend(FileProperties.of(dir, zone), 32768);
        try {
            assertThat(backend.writeBatch(List.of(entries)).failedCount()).isZero();
        }
        finally {
            backend.close();
        }
    }

    void write(LogEntry... entries) {
        write(ZoneId.of("UTC"), entries);
    }

    SearchResult search(String... params) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (int i = 0; i < params.length; i += 2) {
            map.computeIfAbsent(params[i], k -> new ArrayList<>()).add(params[i + 1]);
        }
        return new LogSearch(dir).search(LogQuery.parse(map, NOW));
    }

    static List<Object> messages(SearchResult result) {
        return result.entries().stream().map(e -> e.get("message")).toList();
    }

    @Test
    void levelIsAMinimumAndEntriesComeNewestFirst() {
        write(entry("2024-01-10T10:00:00Z", LogLevel.INFO, "a", "info"),
                entry("2024-01-10T10:00:01Z", LogLevel.ERROR, "a", "error 1"),
                entry("2024-01-10T10:00:02Z", LogLevel.WARN, "a", "warn"),
                entry("2024-01-10T10:00:03Z", LogLevel.DEBUG, "a", "debug"),
                entry("2024-01-10T10:00:04Z", LogLevel.ERROR, "a", "error 2"));

        assertThat(messages(search("level", "warn"))).containsExactly("error 2", "warn", "error 1");
        assertThat(messages(search("level", "ERROR"))).containsExactly("error 2", "error 1");
        assertThat(messages(search())).containsExactly("error 2", "debug", "warn", "error 1", "info");
    }

    @Test
    void loggerMatchesTheNameAndItsChildrenOnly() {
        write(entry("2024-01-10T10:00:00Z", LogLevel.INFO, "com.acme", "parent"),
                entry("2024-01-10T10:00:01Z", LogLevel.INFO, "com.acme.Orders", "child"),
                entry("2024-01-10T10:00:02Z", LogLevel.INFO, "com.acme.Orders$Inner", "inner"),
                entry("2024-01-10T10:00:03Z", LogLevel.INFO, "com.acmecorp.Billing", "other"),
                entry("2024-01-10T10:00:04Z", LogLevel.INFO, "com.\"quoted\".Name", "escaped"));

        assertThat(messages(search("logger", "com.acme"))).containsExactly("inner", "child", "parent");
        assertThat(messages(search("logger", "com.acme.Orders"))).containsExactly("inner", "child");
        assertThat(messages(search("logger", "com.\"quoted\""))).containsExactly("escaped");
    }

    @Test
    void textIsFoundIgnoringCaseInTheMessageAndAnyValueIncludingTheError() {
        write(entry("2024-01-10T10:00:00Z", LogLevel.INFO, "a", "Payment ACCEPTED"),
                entry("2024-01-10T10:00:01Z", LogLevel.INFO, "a", "plain", "order", "ord-42", "status", 404),
                entryWithError("2024-01-10T10:00:02Z", LogLevel.ERROR, "a", "failed",
                        new IllegalStateException("gateway timeout")),
                entry("2024-01-10T10:00:03Z", LogLevel.INFO, "a", "Grüße aus Köln"),
                entry("2024-01-10T10:00:04Z", LogLevel.INFO, "a", "nothing", "payment_note", "x"));

        assertThat(messages(search("q", "payment accepted"))).containsExactly("Payment ACCEPTED");
        assertThat(messages(search("q", "ORD-42"))).containsExactly("plain");
        assertThat(messages(search("q", "404"))).containsExactly("plain");
        assertThat(messages(search("q", "gateway TIMEOUT"))).containsExactly("failed");
        assertThat(messages(search("q", "IllegalStateException"))).containsExactly("failed");
        assertThat(messages(search("q", "GRÜßE"))).containsExactly("Grüße aus Köln");
        // Keys are not values: "payment_note" is a field name only.
        assertThat(messages(search("q", "payment_note"))).isEmpty();
    }

    @Test
    void fieldsMatchExactlyWithNumbersComparedAsNumbers() {
        write(entry("2024-01-10T10:00:00Z", LogLevel.INFO, "a", "int", "user_id", 123, "region", "eu"),
                entry("2024-01-10T10:00:01Z", LogLevel.INFO, "a", "decimal", "user_id", 123.0, "region", "EU"),
                entry("2024-01-10T10:00:02Z", LogLevel.INFO, "a", "text", "user_id", "123", "region", "eu-west"),
                entry("2024-01-10T10:00:03Z", LogLevel.INFO, "a", "other", "user_id", 124, "paid", true),
                entry("2024-01-10T10:00:04Z", LogLevel.INFO, "a", "none"));

        assertThat(messages(search("field.user_id", "123"))).containsExactly("text", "decimal", "int");
        assertThat(messages(search("field.user_id", "123.00"))).containsExactly("decimal", "int");
        assertThat(messages(search("field.region", "eu"))).containsExactly("int");
        assertThat(messages(search("field.region", "eu", "field.user_id", "123"))).containsExactly("int");
        assertThat(messages(search("field.paid", "true"))).containsExactly("other");
        assertThat(messages(search("field.missing", "x"))).isEmpty();
    }

    @Test
    void rangesSpanWeekFilesWrittenInAnyZone() throws IOException {
        // +14:00: an entry of Sunday 2024-01-07 12:00 UTC is already Monday there, so it sits in week 2's file.
        ZoneId kiritimati = ZoneId.of("Pacific/Kiritimati");
        write(kiritimati, entry("2023-12-20T10:00:00Z", LogLevel.INFO, "a", "old week"),
                entry("2024-01-06T09:00:00Z", LogLevel.INFO, "a", "saturday"),
                entry("2024-01-07T12:00:00Z", LogLevel.INFO, "a", "sunday utc, monday there"),
                entry("2024-01-09T08:00:00Z", LogLevel.INFO, "a", "tuesday"));
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .contains("wk01_2024-01-01--2024-01-07.json", "wk02_2024-01-08--2024-01-14.json");
        }

        SearchResult result = search("from", "2024-01-06T00:00:00Z", "to", "2024-01-09T12:00:00+02:00");
        assertThat(messages(result)).containsExactly("tuesday", "sunday utc, monday there", "saturday");
        assertThat(result.scannedFiles()).as("the December week is not opened").isEqualTo(2);

        SearchResult boundary = search("from", "2024-01-07T11:00:00Z", "to", "2024-01-07T13:00:00Z");
        assertThat(messages(boundary)).containsExactly("sunday utc, monday there");

        assertThat(messages(search("from", "30d", "to", "2024-01-06T08:59:59Z"))).containsExactly("old week");
        assertThat(messages(search("from", "P2D"))).containsExactly("tuesday");
    }

    @Test
    void tornAndForeignLinesAreSkippedAndCounted() throws IOException {
        write(entry("2024-01-10T10:00:00Z", LogLevel.ERROR, "a", "first"),
                entry("2024-01-10T10:00:01Z", LogLevel.ERROR, "a", "second"));
        Path file = dir.resolve("wk02_2024-01-08--2024-01-14.json");
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.add(1, "not json at all");
        lines.add(1, "[1,2,3]");
        Files.write(file, lines);
        // A crash mid-write leaves a torn last line without its newline.
        Files.writeString(file, "{\"timestamp\":\"2024-01-10T10:00:02Z\",\"level\":\"ERROR\",\"logger\":\"a\",\"mess",
                StandardOpenOption.APPEND);

        SearchResult result = search("level", "ERROR");
        assertThat(messages(result)).containsExactly("second", "first");
        assertThat(result.skippedLines()).isEqualTo(3);
        assertThat(result.scannedEntries()).isEqualTo(2);
        assertThat(histogramTotal(result, "ERROR")).isEqualTo(2);
    }

    @Test
    void linesInAnotherKeyOrderAreStillRead() throws IOException {
        Files.writeString(dir.resolve("wk02_2024-01-08--2024-01-14.json"),
                "{\"level\":\"WARN\",\"message\":\"reordered\",\"logger\":\"x.Y\",\"timestamp\":\"2024-01-10T10:00:00+01:00\"}\n");
        assertThat(messages(search("level", "WARN", "logger", "x"))).containsExactly("reordered");
    }

    @Test
    void limitKeepsTheNewestButTheHistogramCountsEveryMatch() {
        List<LogEntry> entries = new ArrayList<>();
        Instant start = Instant.parse("2024-01-10T11:00:00Z");
        for (int i = 0; i < 250; i++) {
            entries.add(entry(start.plusSeconds(i).toString(), i % 2 == 0 ? LogLevel.ERROR : LogLevel.INFO, "a",
                    "m" + i));
        }
        write(entries.toArray(LogEntry[]::new));

        SearchResult result = search("level", "ERROR", "limit", "100");
        assertThat(result.entries()).hasSize(100);
        assertThat(result.entries().get(0).get("message")).isEqualTo("m248");
        assertThat(result.entries().get(99).get("message")).isEqualTo("m50");
        assertThat(result.truncated()).isTrue();
        assertThat(histogramTotal(result, "ERROR")).isEqualTo(125);
        assertThat(histogramTotal(result, "INFO")).isZero();

        SearchResult all = search("level", "ERROR", "limit", "125");
        assertThat(all.entries()).hasSize(125);
        assertThat(all.truncated()).isFalse();
    }

    @Test
    void histogramHasRoundBucketsAlignedToTheirSize() {
        write(entry("2024-01-10T11:00:05Z", LogLevel.ERROR, "a", "e1"),
                entry("2024-01-10T11:00:59.999Z", LogLevel.ERROR, "a", "e2"),
                entry("2024-01-10T11:01:00Z", LogLevel.WARN, "a", "w"),
                entry("2024-01-10T11:59:30Z", LogLevel.INFO, "a", "i"),
                entry("2024-01-10T10:59:59Z", LogLevel.INFO, "a", "before the range"));

        SearchResult result = search("from", "1h");
        assertThat(result.bucketSize()).isEqualTo(Duration.ofMinutes(1));
        assertThat(result.histogram()).hasSize(60);
        assertThat(result.histogram().get(0).get("start")).isEqualTo("2024-01-10T11:00:00Z");
        assertThat(counts(result, 0)).containsEntry("ERROR", 2L).containsEntry("WARN", 0L);
        assertThat(counts(result, 1)).containsEntry("WARN", 1L);
        assertThat(counts(result, 59)).containsEntry("INFO", 1L);
        assertThat(counts(result, 0).keySet()).containsExactly("TRACE", "DEBUG", "INFO", "WARN", "ERROR");

        // An unaligned range starts at the bucket holding 'from' and covers 'to'.
        SearchResult odd = search("from", "2024-01-10T11:00:20Z", "to", "2024-01-10T11:30:10Z");
        assertThat(odd.bucketSize()).isEqualTo(Duration.ofSeconds(30));
        assertThat(odd.histogram().get(0).get("start")).isEqualTo("2024-01-10T11:00:00Z");
        assertThat(odd.histogram()).hasSize(61);
        assertThat(odd.histogram().get(60).get("start")).isEqualTo("2024-01-10T11:30:00Z");

        assertThat(Histogram.bucketSize(Duration.ofMinutes(15).toMillis())).isEqualTo(15_000);
        assertThat(Histogram.bucketSize(Duration.ofHours(24).toMillis())).isEqualTo(Duration.ofMinutes(30).toMillis());
        assertThat(Histogram.bucketSize(Duration.ofDays(7).toMillis())).isEqualTo(Duration.ofHours(3).toMillis());
        assertThat(Histogram.bucketSize(Duration.ofDays(3650).toMillis())).isEqualTo(Duration.ofDays(61).toMillis());
    }

    @Test
    void withoutFromTheLastDayIsSearched() {
        write(entry("2024-01-09T11:59:59Z", LogLevel.ERROR, "a", "two days ago"),
                entry("2024-01-09T12:00:00Z", LogLevel.ERROR, "a", "exactly a day ago"),
                entry("2024-01-10T11:00:00Z", LogLevel.ERROR, "a", "recent"),
                entry("2024-01-10T12:00:00Z", LogLevel.ERROR, "a", "now is inclusive"),
                entry("2024-01-10T12:00:00.001Z", LogLevel.ERROR, "a", "after now"));
        SearchResult result = search();
        assertThat(messages(result)).containsExactly("now is inclusive", "recent", "exactly a day ago");
        assertThat(histogramTotal(result, "ERROR")).isEqualTo(3);
        assertThat(result.from()).isEqualTo(Instant.parse("2024-01-09T12:00:00Z"));
        assertThat(result.to()).isEqualTo(NOW);
    }

    @Test
    void aMissingDirectoryIsAnEmptyAnswer() {
        SearchResult result = new LogSearch(dir.resolve("absent")).search(LogQuery.parse(Map.of(), NOW));
        assertThat(result.entries()).isEmpty();
        assertThat(result.scannedFiles()).isZero();
        assertThat(result.histogram()).isNotEmpty();
    }

    @Test
    void entriesComeBackAsPersisted() {
        write(entryWithError("2024-01-10T10:00:00Z", LogLevel.ERROR, "com.acme.Pay", "charge failed",
                new IllegalStateException("card declined"), "amount", 12.50, "user_id", 7, "fields", List.of(1, "two")));
        Map<String, @Nullable Object> entry = search().entries().get(0);
        assertThat(entry).containsEntry("timestamp", "2024-01-10T10:00:00Z").containsEntry("level", "ERROR")
                .containsEntry("logger", "com.acme.Pay").containsEntry("user_id", 7).containsEntry("thread", "main");
        assertThat(entry.get("amount")).hasToString("12.5");
        assertThat(entry.get("fields")).isEqualTo(List.of(1, "two"));
        @SuppressWarnings("unchecked")
        Map<String, Object> error = (Map<String, Object>) entry.get("error");
        assertThat(error).containsEntry("type", "java.lang.IllegalStateException")
                .containsEntry("message", "card declined");
        assertThat((String) error.get("stack")).contains("LogSearchTest");
    }

    @Test
    void badParametersNameTheParameter() {
        assertBad("level", "level", "LOUD");
        assertBad("limit", "limit", "0");
        assertBad("limit", "limit", "1001");
        assertBad("limit", "limit", "ten");
        assertBad("from", "from", "yesterday");
        assertBad("to", "to", "2024-13-01T00:00:00Z");
        assertBad("from", "from", "2024-01-10T00:00:00Z", "to", "2024-01-09T00:00:00Z");
        assertBad("levle", "levle", "ERROR");
        assertBad("level", "level", "ERROR", "level", "WARN");
        assertBad("field.", "field.", "x");
        assertBad("q", "q", "x".repeat(1001));
    }

    void assertBad(String parameter, String... params) {
        assertThatThrownBy(() -> search(params)).isInstanceOfSatisfying(InvalidQueryException.class,
                ex -> {
                    assertThat(ex.parameter()).isEqualTo(parameter);
                    assertThat(ex.getMessage()).contains("'" + parameter + "'");
                });
    }

    @Test
    void theReverseReaderReturnsEveryLineLastFirstAcrossChunks() throws IOException {
        Path file = dir.resolve("lines.txt");
        List<String> lines = new ArrayList<>();
        java.util.Random random = new java.util.Random(17);
        StringBuilder content = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            int length = i % 500 == 7 ? ReverseLineReader.CHUNK + 1234 : random.nextInt(400) + 1;
            String line = i + ":" + "x".repeat(length);
            lines.add(line);
            content.append(line).append('\n');
        }
        Files.writeString(file, content);
        List<String> read = new ArrayList<>();
        try (ReverseLineReader reader = new ReverseLineReader(file, LogSearch.MAX_LINE_BYTES)) {
            reader.forEachLine((b, off, len) -> read.add(new String(b, off, len, StandardCharsets.UTF_8)));
        }
        List<String> expected = new ArrayList<>(lines);
        java.util.Collections.reverse(expected);
        assertThat(read).isEqualTo(expected);
    }

    @Test
    void anOversizedLineIsSkippedAndCounted() throws IOException {
        Path file = dir.resolve("lines.txt");
        Files.writeString(file, "first\n" + "y".repeat(3 * ReverseLineReader.CHUNK) + "\nlast\n");
        List<String> read = new ArrayList<>();
        try (ReverseLineReader reader = new ReverseLineReader(file, ReverseLineReader.CHUNK * 2)) {
            reader.forEachLine((b, off, len) -> read.add(new String(b, off, len, StandardCharsets.UTF_8)));
            assertThat(reader.oversizedLines()).isEqualTo(1);
        }
        assertThat(read).containsExactly("last", "first");
    }

    @Test
    void readingAFileStopsOnceItsEntriesAreOlderThanTheRange() {
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            entries.add(entry(Instant.parse("2024-01-08T00:00:00Z").plusSeconds(i).toString(), LogLevel.INFO, "a", "old"));
        }
        entries.add(entry("2024-01-10T11:59:00Z", LogLevel.INFO, "a", "new"));
        write(entries.toArray(LogEntry[]::new));
        SearchResult result = search("from", "1h");
        assertThat(messages(result)).containsExactly("new");
        assertThat(result.scannedEntries()).as("the new entry and the first too old one").isEqualTo(2);
    }

    static long histogramTotal(SearchResult result, String level) {
        return result.histogram().stream().mapToLong(b -> counts(b).get(level)).sum();
    }

    static Map<String, Long> counts(SearchResult result, int bucket) {
        return counts(result.histogram().get(bucket));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Long> counts(Map<String, Object> bucket) {
        return (Map<String, Long>) bucket.get("counts");
    }

    static List<String> list(String... s) {
        return Arrays.asList(s);
    }
}
