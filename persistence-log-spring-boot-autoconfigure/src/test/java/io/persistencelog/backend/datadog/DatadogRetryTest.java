package io.persistencelog.backend.datadog;

import io.persistencelog.testing.Entries;
import static org.assertj.core.api.Assertions.assertThat;

import io.persistencelog.BatchResult;
import io.persistencelog.LogEntry;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Which answers are retried, how long between attempts, and what is never retried. */
@ExtendWith(OutputCaptureExtension.class)
class DatadogRetryTest {

    private final FakeIntake intake = new FakeIntake();
    private final List<Duration> sleeps = new ArrayList<>();

    @AfterEach
    void stop() {
        intake.close();
    }

    private DatadogBackend backend(DatadogProperties settings) {
        return new DatadogBackend(settings, d -> {
            sleeps.add(d);
            return true;
        }, () -> 1.0);
    }

    private static List<LogEntry> entries(int count) {
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            entries.add(Entries.info("m" + i, "seq", i));
        }
        return entries;
    }

    @Test
    void retriesWithExponentialBackoffAndHonoursRetryAfterAndRateLimitReset() {
        intake.then(503).then(503).then(429, "Retry-After", "7").then(429, "X-RateLimit-Reset", "3")
                .then(502, "X-RateLimit-Reset", "3");
        DatadogBackend backend = backend(Settings.forIntake(intake.url()).backoff(Duration.ofMillis(100))
                .maxBackoff(Duration.ofSeconds(10)).maxRetries(5).build());

        BatchResult result = backend.writeBatch(entries(3));

        assertThat(result.failedCount()).isZero();
        // 100 ms, doubled, then what the 429s asked for, then the exponent goes on (100 ms * 2^4): a rate-limit
        // reset on a 502 is not a reason to wait for it.
        assertThat(sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofSeconds(7),
                Duration.ofSeconds(3), Duration.ofMillis(1600));
        assertThat(intake.received).hasSize(6);
        assertThat(intake.received).extracting(FakeIntake.Received::answeredWith)
                .containsExactly(503, 503, 429, 429, 502, 202);
        // Every attempt carries the same entries.
        assertThat(intake.received).allSatisfy(r -> assertThat(r.json()).isEqualTo(intake.received.get(0).json()));
        assertThat(backend.getMetrics()).containsEntry("retries", 5L).containsEntry("requests", 6L)
                .containsEntry("lastStatus", 202).containsEntry("entriesSent", 3L);
    }

    @Test
    void capsTheServersRetryAfterAtMaxBackoff() {
        intake.then(429, "Retry-After", "120");
        DatadogBackend backend = backend(Settings.forIntake(intake.url()).maxBackoff(Duration.ofSeconds(2)).build());

        assertThat(backend.writeBatch(entries(1)).failedCount()).isZero();

        assertThat(sleeps).containsExactly(Duration.ofSeconds(2));
    }

    @Test
    void waitsWhatRetryAfterSaysInRealTime() {
        intake.then(429, "Retry-After", "1");
        DatadogBackend backend = new DatadogBackend(Settings.forIntake(intake.url())
                .maxBackoff(Duration.ofSeconds(5)).build());

        assertThat(backend.writeBatch(entries(2)).failedCount()).isZero();

        assertThat(intake.received).hasSize(2);
        long gap = intake.received.get(1).atNanos() - intake.received.get(0).atNanos();
        assertThat(gap).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(950));
        assertThat(intake.acceptedLogs()).hasSize(2);
    }

    @Test
    void givesUpAfterMaxRetriesAndFailsOnlyThatRequestsEntries() {
        for (int i = 0; i < 3; i++) {
            intake.then(503);
        }
        DatadogBackend backend = backend(Settings.forIntake(intake.url()).maxRetries(2).build());
        List<LogEntry> entries = entries(1500);

        BatchResult result = backend.writeBatch(entries);

        // The first request of 1000 failed three times; the second (500) went through.
        assertThat(intake.received).extracting(FakeIntake.Received::answeredWith).containsExactly(503, 503, 503, 202);
        assertThat(result.failedCount()).isEqualTo(1000);
        assertThat(result.isFailed(999)).isTrue();
        assertThat(result.isFailed(1000)).isFalse();
        assertThat(result.failureReason()).contains("HTTP 503").contains("gave up after 2 retries");
        assertThat(backend.getMetrics()).containsEntry("failedRequests", 1L).containsEntry("retries", 2L);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 413, 404})
    void doesNotRetryBadRequestsButCountsThemWithTheirReason(int status) {
        intake.then(status);
        DatadogBackend backend = backend(Settings.forIntake(intake.url()).build());

        BatchResult rejected = backend.writeBatch(entries(5));
        BatchResult next = backend.writeBatch(entries(5));

        assertThat(rejected.failedCount()).isEqualTo(5);
        assertThat(rejected.failureReason()).contains("HTTP " + status).contains("status " + status)
                .contains("not retried");
        assertThat(next.failedCount()).isZero();
        assertThat(intake.received).hasSize(2);
        assertThat(sleeps).isEmpty();
        Map<String, Object> metrics = backend.getMetrics();
        assertThat(metrics.get("rejectedByStatus")).isEqualTo(Map.of(String.valueOf(status), 1L));
        assertThat((String) metrics.get("lastRejection")).contains("HTTP " + status);
        assertThat(metrics).containsEntry("retries", 0L).containsEntry("rejectedByAuth", false);
    }

    @ParameterizedTest
    @ValueSource(ints = {408, 500, 502, 503, 504})
    void retriesTransientStatuses(int status) {
        intake.then(status);
        DatadogBackend backend = backend(Settings.forIntake(intake.url()).build());

        assertThat(backend.writeBatch(entries(2)).failedCount()).isZero();

        assertThat(intake.received).extracting(FakeIntake.Received::answeredWith).containsExactly(status, 202);
    }

    @Test
    void retriesAConnectionThatBrokeBeforeTheAnswer() {
        intake.then(new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build());
        DatadogBackend backend = backend(Settings.forIntake(intake.url()).build());

        BatchResult result = backend.writeBatch(entries(3));

        assertThat(result.failedCount()).isZero();
        assertThat(intake.acceptedLogs()).hasSize(3);
        assertThat(backend.getMetrics()).containsEntry("retries", 1L);
    }

    @Test
    void retriesWhenNothingListensAndReportsWhy() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = socket.getLocalPort();
        }
        DatadogBackend backend = backend(Settings.forIntake(URI.create("http://127.0.0.1:" + port + "/api/v2/logs"))
                .maxRetries(2).build());

        BatchResult result = backend.writeBatch(entries(2));

        assertThat(result.failedCount()).isEqualTo(2);
        assertThat(result.failureReason()).contains("could not reach http://127.0.0.1:" + port + "/api/v2/logs")
                .contains("gave up after 2 retries").doesNotContain(Settings.API_KEY);
        assertThat(sleeps).hasSize(2);
        assertThat(backend.getMetrics()).containsEntry("lastStatus", null);
    }

    @Test
    void retriesARequestThatGotNoAnswerInTime() {
        intake.then(new MockResponse.Builder().code(202).headersDelay(3, TimeUnit.SECONDS).build());
        DatadogBackend backend = backend(Settings.forIntake(intake.url()).requestTimeout(Duration.ofMillis(300))
                .build());

        BatchResult result = backend.writeBatch(entries(1));

        assertThat(result.failedCount()).isZero();
        assertThat(backend.getMetrics()).containsEntry("retries", 1L);
    }

    @Test
    void anInterruptedWaitEndsTheBatchWithoutFurtherRequestsAndKeepsTheInterrupt() {
        intake.then(503);
        DatadogBackend backend = new DatadogBackend(Settings.forIntake(intake.url()).maxRetries(5).build(), d -> {
            sleeps.add(d);
            return false;
        }, () -> 1.0);

        BatchResult result = backend.writeBatch(entries(1500));

        assertThat(Thread.interrupted()).isTrue();
        assertThat(result.failedCount()).isEqualTo(1500);
        assertThat(result.failureReason()).contains("shutdown gave up");
        assertThat(intake.received).hasSize(1);
        assertThat(sleeps).hasSize(1);
        // The next batch (if the lane still runs) is sent normally.
        assertThat(backend.writeBatch(entries(1)).failedCount()).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 403})
    void aRejectedKeyIsReportedOnceAndStopsAllSending(int status, CapturedOutput output) {
        intake.then(status);
        DatadogBackend backend = backend(Settings.forIntake(intake.url()).build());

        BatchResult first = backend.writeBatch(entries(1500));
        BatchResult second = backend.writeBatch(entries(10));

        assertThat(intake.received).hasSize(1);
        assertThat(sleeps).isEmpty();
        assertThat(first.failedCount()).isEqualTo(1500);
        assertThat(second.failedCount()).isEqualTo(10);
        assertThat(second.failureReason()).contains("rejected the API key").contains("HTTP " + status)
                .contains("DD_API_KEY");
        assertThat(backend.isRejectedByAuth()).isTrue();
        Map<String, Object> metrics = backend.getMetrics();
        assertThat(metrics).containsEntry("rejectedByAuth", true).containsEntry("lastStatus", status)
                .containsEntry("requests", 1L);
        assertThat(metrics.toString()).doesNotContain(Settings.API_KEY);
        String out = output.getAll();
        assertThat(out.split("rejected the API key", -1)).hasSize(2);
        assertThat(out).contains("WARN").doesNotContain(Settings.API_KEY);
    }

    @Test
    void nothingIsSentAgainAfterItWasAccepted() {
        DatadogBackend backend = backend(Settings.forIntake(intake.url()).build());

        backend.writeBatch(entries(3));
        backend.writeBatch(List.of(Entries.info("later", "seq", 3)));
        backend.flush();
        backend.close();
        backend.close();

        assertThat(intake.received).hasSize(2);
        assertThat(intake.acceptedLogs()).extracting(l -> l.get("seq").asInt()).containsExactly(0, 1, 2, 3);
        assertThat(backend.writeBatch(entries(1)).failureReason()).contains("closed");
        assertThat(intake.received).hasSize(2);
    }
}
