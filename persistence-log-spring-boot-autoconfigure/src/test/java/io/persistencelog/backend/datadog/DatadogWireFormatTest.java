package io.persistencelog.backend.datadog;

import io.persistencelog.testing.Entries;
import static org.assertj.core.api.Assertions.assertThat;

import io.persistencelog.BatchResult;
import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import io.persistencelog.codec.JsonNull;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** What goes on the wire, checked at a real HTTP server on 127.0.0.1. */
class DatadogWireFormatTest {

    private final FakeIntake intake = new FakeIntake();

    @AfterEach
    void stop() {
        intake.close();
    }

    @Test
    void aW3cTraceContextInTheMdcBecomesDatadogsDecimalTraceAndSpanIds() {
        DatadogBackend backend = new DatadogBackend(Settings.forIntake(intake.url()).build());
        backend.writeBatch(List.of(
                Entries.info("micrometer", "traceId", "4bf92f3577b34da6a3ce929d0e0e4736", "spanId", "00f067aa0ba902b7"),
                Entries.info("otel", "trace_id", "0af7651916cd43dd8448eb211c80319c", "span_id", "b7ad6b7169203331"),
                Entries.info("tracer", "traceId", "4bf92f3577b34da6a3ce929d0e0e4736", "spanId", "00f067aa0ba902b7",
                        "dd.trace_id", "123", "dd.span_id", "456"),
                Entries.info("untraced")));

        JsonNode logs = intake.received.get(0).logs();
        // Low 64 bits of the 128-bit id (a3ce929d0e0e4736) and the span id, as unsigned decimals.
        assertThat(logs.get(0).get("dd.trace_id").asString()).isEqualTo(Long.toUnsignedString(0xa3ce929d0e0e4736L));
        assertThat(logs.get(0).get("dd.span_id").asString()).isEqualTo(Long.toUnsignedString(0x00f067aa0ba902b7L));
        assertThat(logs.get(0).get("traceId").asString()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(logs.get(1).get("dd.trace_id").asString()).isEqualTo(Long.toUnsignedString(0x8448eb211c80319cL));
        assertThat(logs.get(1).get("dd.span_id").asString()).isEqualTo(Long.toUnsignedString(0xb7ad6b7169203331L));
        // The Datadog tracer's own MDC values win: they are written once, as given.
        assertThat(logs.get(2).get("dd.trace_id").asString()).isEqualTo("123");
        assertThat(logs.get(2).get("dd.span_id").asString()).isEqualTo("456");
        assertThat(logs.get(3).has("dd.trace_id")).isFalse();
    }

    @Test
    void postsAGzippedJsonArrayWithTheIntakeHeaders() {
        DatadogBackend backend = new DatadogBackend(Settings.forIntake(intake.url()).build());
        IllegalStateException failure = new IllegalStateException("card declined");
        BatchResult result = backend.writeBatch(List.of(
                Entries.info("order placed", "user_id", 123, "amount", 9.5, "paid", true, "tags", List.of("a", "b"),
                        "nothing", JsonNull.INSTANCE, "message", "user's own message"),
                Entries.plain(LogLevel.ERROR, "payment failed", failure, "order", Map.of("id", "o-1"))));

        assertThat(result.failedCount()).isZero();
        assertThat(intake.received).hasSize(1);
        RecordedRequest request = intake.received.get(0).request();
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getUrl().encodedPath()).isEqualTo("/api/v2/logs");
        assertThat(request.getHeaders().get("DD-API-KEY")).isEqualTo(Settings.API_KEY);
        assertThat(request.getHeaders().get("Content-Type")).isEqualTo("application/json");
        assertThat(request.getHeaders().get("Content-Encoding")).isEqualTo("gzip");
        byte[] raw = request.getBody().toByteArray();
        assertThat(raw[0] & 0xff).isEqualTo(0x1f);
        assertThat(raw[1] & 0xff).isEqualTo(0x8b);

        JsonNode logs = intake.received.get(0).logs();
        assertThat(logs.isArray()).isTrue();
        assertThat(logs.size()).isEqualTo(2);
        JsonNode first = logs.get(0);
        assertThat(first.get("message").asString()).isEqualTo("order placed");
        assertThat(first.get("status").asString()).isEqualTo("info");
        assertThat(first.get("service").asString()).isEqualTo("orders");
        assertThat(first.get("ddsource").asString()).isEqualTo("java");
        assertThat(first.get("ddtags").asString()).isEqualTo("env:test,team:core");
        assertThat(first.get("hostname").asString()).isEqualTo("host-1");
        assertThat(first.get("timestamp").isNumber()).isTrue();
        assertThat(first.get("timestamp").asLong()).isEqualTo(Entries.AT.toEpochMilli());
        assertThat(first.get("logger").get("name").asString()).isEqualTo("com.example.Orders");
        assertThat(first.get("logger").get("thread_name").asString()).isEqualTo("main");
        assertThat(first.get("user_id").isNumber()).isTrue();
        assertThat(first.get("user_id").asLong()).isEqualTo(123);
        assertThat(first.get("amount").asDouble()).isEqualTo(9.5);
        assertThat(first.get("paid").asBoolean()).isTrue();
        assertThat(first.get("tags").size()).isEqualTo(2);
        assertThat(first.get("nothing").isNull()).isTrue();
        assertThat(first.get("fields.message").asString()).isEqualTo("user's own message");
        assertThat(first.has("error")).isFalse();
        assertThat(first.has("persistence_log")).isFalse();

        JsonNode second = logs.get(1);
        assertThat(second.get("status").asString()).isEqualTo("error");
        assertThat(second.get("order").get("id").asString()).isEqualTo("o-1");
        JsonNode error = second.get("error");
        assertThat(error.get("kind").asString()).isEqualTo("java.lang.IllegalStateException");
        assertThat(error.get("message").asString()).isEqualTo("card declined");
        assertThat(error.get("stack").asString()).startsWith("java.lang.IllegalStateException: card declined")
                .contains("\tat io.persistencelog.backend.datadog.DatadogWireFormatTest");
    }

    @ParameterizedTest
    @CsvSource({"TRACE,debug", "DEBUG,debug", "INFO,info", "WARN,warning", "ERROR,error"})
    void mapsLevelsToDatadogStatuses(LogLevel level, String status) {
        DatadogBackend backend = new DatadogBackend(Settings.forIntake(intake.url()).build());

        backend.writeBatch(List.of(Entries.plain(level, "x", null)));

        assertThat(intake.acceptedLogs().get(0).get("status").asString()).isEqualTo(status);
    }

    @Test
    void userFieldsNamedLikeDatadogAttributesDoNotOverrideThem() {
        DatadogBackend backend = new DatadogBackend(Settings.forIntake(intake.url()).build());

        backend.writeBatch(List.of(Entries.info("m", "status", "paid", "service", "evil", "hostname", "h",
                "ddtags", "x", "host", "h2", "timestamp", 1, "error", "e", "logger", "l")));

        JsonNode log = intake.acceptedLogs().get(0);
        assertThat(log.get("status").asString()).isEqualTo("info");
        assertThat(log.get("service").asString()).isEqualTo("orders");
        assertThat(log.get("hostname").asString()).isEqualTo("host-1");
        assertThat(log.get("fields.status").asString()).isEqualTo("paid");
        assertThat(log.get("fields.service").asString()).isEqualTo("evil");
        assertThat(log.get("fields.host").asString()).isEqualTo("h2");
        assertThat(log.get("fields.timestamp").asLong()).isEqualTo(1);
        assertThat(log.get("fields.logger").asString()).isEqualTo("l");
    }

    @Test
    void splitsBatchesIntoRequestsOfAtMostAThousandEntries() {
        DatadogBackend backend = new DatadogBackend(Settings.forIntake(intake.url()).build());
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            entries.add(Entries.info("m" + i, "seq", i));
        }

        BatchResult result = backend.writeBatch(entries);

        assertThat(result.failedCount()).isZero();
        assertThat(intake.received).extracting(r -> r.logs().size()).containsExactly(1000, 1000, 500);
        List<JsonNode> logs = intake.acceptedLogs();
        for (int i = 0; i < logs.size(); i++) {
            assertThat(logs.get(i).get("seq").asInt()).isEqualTo(i);
        }
        assertThat(backend.getMetrics()).containsEntry("requests", 3L).containsEntry("entriesSent", 2500L);
    }

    @Test
    void splitsBatchesIntoRequestsOfAtMostFiveMegabytesUncompressed() {
        DatadogBackend backend = new DatadogBackend(Settings.forIntake(intake.url()).build(), 2_000_000);
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            entries.add(Entries.info("x".repeat(900_000), "seq", i));
        }

        BatchResult result = backend.writeBatch(entries);

        assertThat(result.failedCount()).isZero();
        assertThat(intake.received).allSatisfy(r -> assertThat(r.json().length)
                .isLessThanOrEqualTo(DatadogBackend.MAX_PAYLOAD_BYTES));
        // 5 entries of ~900 KB fit in 5 MB, a sixth does not.
        assertThat(intake.received).extracting(r -> r.logs().size()).containsExactly(5, 5, 2);
        List<JsonNode> logs = intake.acceptedLogs();
        assertThat(logs).extracting(l -> l.get("seq").asInt()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        assertThat(backend.getMetrics()).containsEntry("truncated", 0L);
    }

    @Test
    void cutsTheMessageOfAnEntryOverOneMegabyteAndCountsIt() {
        DatadogBackend backend = new DatadogBackend(Settings.forIntake(intake.url()).build(), 4_000_000);

        BatchResult result = backend.writeBatch(List.of(Entries.info("small before"),
                Entries.info("y".repeat(3_000_000), "user_id", 7), Entries.info("small after")));

        assertThat(result.failedCount()).isZero();
        assertThat(intake.received).hasSize(1);
        byte[] json = intake.received.get(0).json();
        assertThat(json.length).isLessThan(DatadogBackend.MAX_ENTRY_BYTES + 2_000);
        List<JsonNode> logs = intake.acceptedLogs();
        assertThat(logs).extracting(l -> l.get("message").asString().length() < 100)
                .containsExactly(true, false, true);
        JsonNode cut = logs.get(1);
        assertThat(cut.get("message").asString()).startsWith("yyyy").matches("(?s)y+\\.\\.\\.\\[truncated \\d+ chars]");
        assertThat(cut.get("user_id").asInt()).isEqualTo(7);
        assertThat(cut.get("persistence_log").get("truncated").asBoolean()).isTrue();
        assertThat(FakeIntake.JSON.writeValueAsBytes(cut).length).isLessThanOrEqualTo(DatadogBackend.MAX_ENTRY_BYTES);
        assertThat(backend.getMetrics()).containsEntry("truncated", 1L);
    }

    @Test
    void dropsTheFieldsOfAnEntryWhoseFieldsAloneExceedOneMegabyte() {
        DatadogBackend backend = new DatadogBackend(Settings.forIntake(intake.url()).build());
        Object[] keyValues = new Object[80];
        for (int i = 0; i < 40; i++) {
            keyValues[2 * i] = "f" + i;
            keyValues[2 * i + 1] = "z".repeat(30_000);
        }

        BatchResult result = backend.writeBatch(List.of(Entries.plain(LogLevel.WARN, "many big fields",
                new RuntimeException("boom"), keyValues)));

        assertThat(result.failedCount()).isZero();
        JsonNode log = intake.acceptedLogs().get(0);
        assertThat(intake.received.get(0).json().length).isLessThanOrEqualTo(DatadogBackend.MAX_ENTRY_BYTES + 2);
        assertThat(log.get("message").asString()).isEqualTo("many big fields");
        assertThat(log.has("f0")).isFalse();
        assertThat(log.get("persistence_log").get("dropped_fields").asInt()).isEqualTo(40);
        assertThat(log.get("error").get("kind").asString()).isEqualTo("java.lang.RuntimeException");
        assertThat(backend.getMetrics()).containsEntry("truncated", 1L);
    }

    @Test
    void cutsMessagesWhoseEscapedFormIsLargerThanTheirLength() {
        DatadogBackend backend = new DatadogBackend(Settings.forIntake(intake.url()).build(), 4_000_000);
        // Each control character becomes six bytes (\u0001): 400,000 chars are 2.4 MB of JSON.
        BatchResult result = backend.writeBatch(List.of(Entries.info("\u0001".repeat(400_000))));

        assertThat(result.failedCount()).isZero();
        assertThat(intake.received.get(0).json().length).isLessThanOrEqualTo(DatadogBackend.MAX_ENTRY_BYTES + 2);
        assertThat(intake.acceptedLogs().get(0).get("persistence_log").get("truncated").asBoolean()).isTrue();
    }

    @Test
    void leavesOutDdtagsWhenThereAreNoTags() {
        DatadogBackend backend = new DatadogBackend(Settings.forIntake(intake.url()).tags(List.of()).build());

        backend.writeBatch(List.of(Entries.info("m")));

        assertThat(intake.acceptedLogs().get(0).has("ddtags")).isFalse();
    }
}
