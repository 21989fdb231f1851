package io.persistencelog.backend.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.logs.v1.LogRecord;
import io.persistencelog.BatchResult;
import io.persistencelog.LogEntry;
import io.persistencelog.testing.Entries;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Delivery by the OTLP/HTTP specification: what is retried, what is refused for good, what is counted. */
class OtlpDeliveryTest {

    private static final String TOKEN = "Bearer s3cr3t-otlp-token-4711";

    private final OtlpReceiver receiver = new OtlpReceiver();
    private final List<Duration> waits = new ArrayList<>();

    @AfterEach
    void close() {
        receiver.close();
    }

    private OtlpBackend backend(String endpoint) {
        return backend(endpoint, 3);
    }

    private OtlpBackend backend(String endpoint, int maxRetries) {
        OtlpProperties properties = new OtlpProperties(endpoint, Map.of("Authorization", TOKEN), null,
                Duration.ofSeconds(5), null, Map.of(), maxRetries, Duration.ofMillis(100), Duration.ofSeconds(30),
                512, Duration.ZERO);
        OtlpSettings settings = OtlpSettings.resolve(properties, name -> null, prefix -> Map.of());
        return new OtlpBackend(settings, Clock.systemUTC(), 32768, wait -> waits.add(wait));
    }

    private OtlpBackend backend() {
        return backend(receiver.logsUrl().toString());
    }

    private static List<LogEntry> entries(int n) {
        return IntStream.range(0, n).<LogEntry>mapToObj(i -> Entries.info("entry " + i, "i", i)).toList();
    }

    private static String metricsText(OtlpBackend backend) {
        return backend.getMetrics().toString() + backend;
    }

    @Test
    void everyEntryArrivesExactlyOnceAcrossA503AndA429WithRetryAfter() {
        receiver.then(503, "overloaded").then(429, "slow down", "Retry-After", "7");
        OtlpBackend backend = backend();

        BatchResult result = backend.writeBatch(entries(5));

        assertThat(result.failedCount()).isZero();
        assertThat(receiver.server.exchanges).extracting(e -> e.answeredWith()).containsExactly(503, 429, 200);
        assertThat(receiver.acceptedRecords()).extracting(r -> r.getBody().getStringValue())
                .containsExactly("entry 0", "entry 1", "entry 2", "entry 3", "entry 4");
        // Every attempt carried the same records: the retried request is the same request.
        assertThat(receiver.requests()).allSatisfy(r -> assertThat(OtlpReceiver.records(r)).hasSize(5));
        assertThat(waits).hasSize(2);
        assertThat(waits.get(1)).isEqualTo(Duration.ofSeconds(7));
        Map<String, Object> metrics = backend.getMetrics();
        assertThat(metrics).containsEntry("requests", 3L).containsEntry("retries", 2L).containsEntry("rejected", 0L)
                .containsEntry("lastStatus", 200).containsEntry("recordsSent", 5L);
    }

    @Test
    void a400IsAPermanentRejectionNeverRetried() {
        receiver.then(400, "invalid log record");
        OtlpBackend backend = backend();

        BatchResult result = backend.writeBatch(entries(3));

        assertThat(receiver.server.exchanges).hasSize(1);
        assertThat(result.failedCount()).isEqualTo(3);
        assertThat(result.allFailuresPermanent()).isTrue();
        assertThat(result.failureReason()).contains("HTTP 400").contains("invalid log record").doesNotContain("s3cr3t");
        assertThat(backend.getMetrics()).containsEntry("rejected", 3L).containsEntry("lastStatus", 400)
                .containsEntry("retries", 0L);
        assertThat((String) backend.getMetrics().get("lastRejection")).contains("HTTP 400");
    }

    @Test
    void statusesOtlpDoesNotListAsRetryableAreNotRetried() {
        receiver.then(500, "internal").then(408, "timeout");
        OtlpBackend backend = backend();

        BatchResult first = backend.writeBatch(entries(1));
        BatchResult second = backend.writeBatch(entries(1));

        assertThat(receiver.server.exchanges).extracting(e -> e.answeredWith()).containsExactly(500, 408);
        assertThat(first.allFailuresPermanent()).isTrue();
        assertThat(second.allFailuresPermanent()).isTrue();
        assertThat(waits).isEmpty();
        assertThat(backend.getMetrics()).containsEntry("retries", 0L).containsEntry("rejected", 2L);
    }

    @Test
    void a500OrA408IsRefusedForGoodEvenWhenNoRetryIsLeft() {
        // With max-retries 0, or on the last attempt, the delivery "gives up" on a status it classes as
        // retryable; OTLP says 500 and 408 are not: they must still be rejections, never spooled.
        receiver.then(500, "internal").then(408, "timeout").then(503, "busy").then(500, "internal");
        OtlpBackend noRetries = backend(receiver.logsUrl().toString(), 0);
        BatchResult first = noRetries.writeBatch(entries(2));
        BatchResult second = noRetries.writeBatch(entries(2));
        OtlpBackend oneRetry = backend(receiver.logsUrl().toString(), 1);
        BatchResult third = oneRetry.writeBatch(entries(3));

        assertThat(receiver.server.exchanges).extracting(e -> e.answeredWith()).containsExactly(500, 408, 503, 500);
        assertThat(List.of(first, second, third)).allSatisfy(r -> assertThat(r.allFailuresPermanent()).isTrue());
        assertThat(first.failureReason()).contains("HTTP 500").contains("not retried");
        assertThat(noRetries.getMetrics()).containsEntry("rejected", 4L).containsEntry("retries", 0L);
        assertThat(oneRetry.getMetrics()).containsEntry("rejected", 3L).containsEntry("retries", 1L);
        assertThat((String) oneRetry.getMetrics().get("lastRejection")).contains("HTTP 500");
    }

    @Test
    void aPartialSuccessCountsTheRejectedRecordsAndShowsTheServersMessage() {
        receiver.thenPartialSuccess(2, "2 records had an invalid timestamp");
        OtlpBackend backend = backend();

        BatchResult result = backend.writeBatch(entries(5));

        assertThat(result.failedCount()).isEqualTo(2);
        assertThat(result.persistedCount()).isEqualTo(3);
        assertThat(result.allFailuresPermanent()).isTrue();
        assertThat(result.failureReason()).contains("rejected 2 of 5").contains("invalid timestamp");
        assertThat(backend.getMetrics()).containsEntry("rejected", 2L).containsEntry("recordsSent", 3L)
                .containsEntry("lastStatus", 200);
        assertThat((String) backend.getMetrics().get("lastRejection")).contains("2 records had an invalid timestamp");
    }

    @Test
    void aPartialSuccessCountIsReadAsTheInt64ItIsAndNeverExceedsTheRequest() {
        // rejected_log_records is an int64: a count beyond 32 bits must not wrap to a small number, one above
        // the request's size rejects the request, and a negative one (a broken collector) rejects nothing.
        receiver.thenPartialSuccess((1L << 32) + 1, "far too many").thenPartialSuccess(7, "more than sent")
                .thenPartialSuccess(-1, "negative count");
        OtlpBackend backend = backend();

        BatchResult wrapped = backend.writeBatch(entries(5));
        BatchResult above = backend.writeBatch(entries(5));
        BatchResult negative = backend.writeBatch(entries(5));

        assertThat(wrapped.failedCount()).isEqualTo(5);
        assertThat(wrapped.allFailuresPermanent()).isTrue();
        assertThat(above.failedCount()).isEqualTo(5);
        assertThat(negative.failedCount()).isZero();
        assertThat(backend.getMetrics()).containsEntry("rejected", 10L).containsEntry("recordsSent", 5L);
        assertThat((String) backend.getMetrics().get("lastRejection")).contains("negative count");
    }

    @Test
    void a200WithABodyThatIsNotAnOtlpAnswerIsAcceptedAsAWhole() {
        // A proxy's text, a JSON answer, a body that starts like field 1 and then breaks off.
        receiver.then(200, "\n\u0005hello world").then(200, "{\"partialSuccess\":{\"rejectedLogRecords\":2}}")
                .then(200, "<html>ok</html>").then(200, "\n\u0009\b");
        OtlpBackend backend = backend();

        for (int i = 0; i < 4; i++) {
            assertThat(backend.writeBatch(entries(2)).failedCount()).isZero();
        }

        assertThat(backend.getMetrics()).containsEntry("rejected", 0L).containsEntry("recordsSent", 8L)
                .containsEntry("lastRejection", null);
    }

    @Test
    void connectionFailuresAreRetriedThenFailWithoutBeingRefusedForGood() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        OtlpBackend backend = backend("http://127.0.0.1:" + closedPort + "/v1/logs");

        BatchResult result = backend.writeBatch(entries(2));

        assertThat(result.failedCount()).isEqualTo(2);
        assertThat(result.allFailuresPermanent()).isFalse(); // a passing failure: the spool may keep it
        assertThat(waits).hasSize(3);
        assertThat(backend.getMetrics()).containsEntry("requests", 4L).containsEntry("retries", 3L)
                .containsEntry("rejected", 0L);
        assertThat(result.failureReason()).contains("gave up after 3 retries");
    }

    @Test
    void headersAreSentButMaskedInTheEndpointMetricsAndEveryErrorText() throws IOException {
        receiver.then(401, "token " + TOKEN + " is not valid here");
        String withCredentials = receiver.logsUrl().toString().replace("://", "://user:pa55w0rd-otlp@")
                + "?token=q-s3cr3t-99";
        OtlpBackend backend = backend(withCredentials);

        BatchResult result = backend.writeBatch(entries(1));

        assertThat(receiver.server.exchanges.get(0).header("Authorization")).isEqualTo(TOKEN);
        assertThat(result.failureReason()).contains("HTTP 401").doesNotContain("s3cr3t").doesNotContain("pa55w0rd");
        assertThat(metricsText(backend)).doesNotContain("s3cr3t").doesNotContain("pa55w0rd")
                .doesNotContain("q-s3cr3t-99").contains("Authorization");
        assertThat(backend.getMetrics().get("endpoint")).isEqualTo(receiver.logsUrl().toString());
        assertThat(backend.settings().toString()).doesNotContain("s3cr3t");

        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        OtlpBackend unreachable = backend("http://user:pa55w0rd-otlp@127.0.0.1:" + closedPort + "/v1/logs");
        BatchResult failed = unreachable.writeBatch(entries(1));
        assertThat(failed.failureReason()).doesNotContain("pa55w0rd").doesNotContain("s3cr3t");
        assertThat(metricsText(unreachable)).doesNotContain("pa55w0rd");
    }

    @Test
    void aTimeoutTooLongToCountInNanosecondsStillDelivers() {
        // "wait as long as it takes": a duration beyond Long.MAX_VALUE nanoseconds overflowed on every request.
        OtlpProperties properties = new OtlpProperties(receiver.logsUrl().toString(), Map.of(), null,
                Duration.ofDays(1_000_000), null, Map.of(), 0, Duration.ZERO, Duration.ZERO, 512, Duration.ZERO);
        OtlpBackend backend = new OtlpBackend(OtlpSettings.resolve(properties, name -> null, prefix -> Map.of()),
                Clock.systemUTC(), 100, wait -> true);

        assertThat(backend.writeBatch(entries(2)).failedCount()).isZero();
        assertThat(receiver.acceptedRecords()).hasSize(2);
    }

    @Test
    void aCollectorSlowerThanTheTimeoutIsAPassingFailureThatIsRetried() {
        receiver.server.then(new MockResponse.Builder().code(200).headersDelay(5, TimeUnit.SECONDS).build());
        OtlpProperties properties = new OtlpProperties(receiver.logsUrl().toString(), Map.of(), null,
                Duration.ofMillis(200), null, Map.of(), 1, Duration.ZERO, Duration.ZERO, 512, Duration.ZERO);
        OtlpBackend backend = new OtlpBackend(OtlpSettings.resolve(properties, name -> null, prefix -> Map.of()),
                Clock.systemUTC(), 100, wait -> true);

        BatchResult result = backend.writeBatch(entries(2));

        // The first attempt timed out (no answer: retried, not rejected); the retry was answered at once.
        assertThat(result.failedCount()).isZero();
        assertThat(receiver.server.exchanges).hasSize(2);
        assertThat(backend.getMetrics()).containsEntry("retries", 1L).containsEntry("rejected", 0L)
                .containsEntry("recordsSent", 2L);
    }

    @Test
    void aLargeBatchIsSplitIntoRequestsOfBatchSize() {
        OtlpProperties properties = new OtlpProperties(receiver.logsUrl().toString(), Map.of(), null, null, null,
                Map.of(), 0, Duration.ZERO, Duration.ZERO, 2, Duration.ZERO);
        OtlpBackend backend = new OtlpBackend(OtlpSettings.resolve(properties, name -> null, prefix -> Map.of()),
                Clock.systemUTC(), 100, wait -> true);

        assertThat(backend.writeBatch(entries(5)).failedCount()).isZero();

        assertThat(receiver.requests()).extracting(r -> OtlpReceiver.records(r).size()).containsExactly(2, 2, 1);
        assertThat(receiver.acceptedRecords()).extracting(LogRecord::getBody)
                .extracting(b -> b.getStringValue()).containsExactly("entry 0", "entry 1", "entry 2", "entry 3",
                        "entry 4");
    }

    @Test
    void whenOneRequestOfABatchGivesUpTheRestOfTheBatchIsNotSentSoItStaysInOrder() {
        receiver.then(503, "down").then(503, "down");
        OtlpProperties properties = new OtlpProperties(receiver.logsUrl().toString(), Map.of(), null, null, null,
                Map.of(), 1, Duration.ZERO, Duration.ZERO, 2, Duration.ZERO);
        OtlpBackend backend = new OtlpBackend(OtlpSettings.resolve(properties, name -> null, prefix -> Map.of()),
                Clock.systemUTC(), 100, wait -> true);

        BatchResult result = backend.writeBatch(entries(5));

        assertThat(receiver.server.exchanges).hasSize(2);
        assertThat(result.failedCount()).isEqualTo(5);
        assertThat(result.allFailuresPermanent()).isFalse();
    }
}
