package io.persistencelog.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.persistencelog.testing.ScriptedHttpServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The shared HTTP delivery against a real server on 127.0.0.1: classification, server waits, retries. */
class HttpDeliveryTest {

    private final ScriptedHttpServer server = new ScriptedHttpServer(() -> ScriptedHttpServer.response(200, "ok"));
    private final List<Duration> waits = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        server.close();
    }

    private HttpDelivery.Builder delivery() {
        return HttpDelivery.builder(HttpClient.newHttpClient()).deadline(Duration.ofSeconds(10)).maxRetries(3)
                .backoff(Duration.ofMillis(100)).maxWait(Duration.ofSeconds(5)).jitter(() -> 1.0)
                .sleeper(d -> waits.add(d));
    }

    private HttpRequest post() {
        return HttpRequest.newBuilder(server.url("/intake")).timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofString("payload")).build();
    }

    @Test
    void retriesServerErrorsWithBackoffAndHonoursRetryAfterUntilDelivered() {
        server.then(503, "busy").then(429, "slow down", "Retry-After", "2").then(500, "oops");

        HttpDelivery.Outcome outcome = delivery().build().deliver(post(), new HttpDelivery.Listener() { });

        assertThat(outcome.result()).isEqualTo(HttpDelivery.Result.DELIVERED);
        assertThat(outcome.attempts()).isEqualTo(4);
        assertThat(server.exchanges).hasSize(4);
        assertThat(waits).containsExactly(Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofMillis(400));
    }

    @Test
    void aRateLimitResetOn429IsHonouredAndCapped() {
        server.then(429, "", "X-RateLimit-Reset", "3").then(429, "", "X-RateLimit-Reset", "600");

        delivery().build().deliver(post(), new HttpDelivery.Listener() { });

        assertThat(waits).containsExactly(Duration.ofSeconds(3), Duration.ofSeconds(5));
    }

    @Test
    void permanentAndAuthStatusesAreNotRetried() {
        server.then(400, "{\"error\": \"bad\n payload\"}").then(401, "who are you");
        HttpDelivery delivery = delivery().build();

        HttpDelivery.Outcome refused = delivery.deliver(post(), new HttpDelivery.Listener() { });
        HttpDelivery.Outcome auth = delivery.deliver(post(), new HttpDelivery.Listener() { });

        assertThat(refused.result()).isEqualTo(HttpDelivery.Result.REFUSED);
        assertThat(refused.last().describe()).isEqualTo("HTTP 400: {\"error\": \"bad payload\"}");
        assertThat(auth.result()).isEqualTo(HttpDelivery.Result.AUTH_REFUSED);
        assertThat(server.exchanges).hasSize(2);
        assertThat(waits).isEmpty();
    }

    @Test
    void aBackendNamesItsOwnAuthStatuses() {
        server.then(404, "no_service");

        HttpDelivery.Outcome outcome = delivery().authStatuses(Set.of(403, 404, 410)).build()
                .deliver(post(), new HttpDelivery.Listener() { });

        assertThat(outcome.result()).isEqualTo(HttpDelivery.Result.AUTH_REFUSED);
        assertThat(outcome.last().body()).isEqualTo("no_service");
    }

    @Test
    void givesUpAfterMaxRetriesAndCountsEveryAttempt() {
        for (int i = 0; i < 3; i++) {
            server.then(502, "bad gateway");
        }
        List<Integer> retries = new CopyOnWriteArrayList<>();

        HttpDelivery.Outcome outcome = delivery().maxRetries(2).build().deliver(post(), new HttpDelivery.Listener() {
            @Override
            public void onRetry(HttpDelivery.Answer answer, int retry, Duration wait) {
                retries.add(retry);
            }
        });

        assertThat(outcome.result()).isEqualTo(HttpDelivery.Result.GAVE_UP);
        assertThat(outcome.retries()).isEqualTo(2);
        assertThat(retries).containsExactly(1, 2);
        assertThat(server.exchanges).hasSize(3);
    }

    @Test
    void aBrokenConnectionIsRetryableAndItsReasonHasNoAnswer() {
        server.then(new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build());

        HttpDelivery.Outcome outcome = delivery().maxRetries(0).build().deliver(post(), new HttpDelivery.Listener() { });

        assertThat(outcome.result()).isEqualTo(HttpDelivery.Result.GAVE_UP);
        assertThat(outcome.last().status()).isZero();
        assertThat(outcome.last().transportFailure()).isNotBlank();
    }

    @Test
    void anInterruptedLaneAwaitsTheRequestOnTheWireButDoesNotRetry() {
        server.then(503, "busy");
        Thread.currentThread().interrupt();

        HttpDelivery.Outcome outcome = delivery().build().deliver(post(), new HttpDelivery.Listener() { });

        assertThat(Thread.interrupted()).as("the interrupt is kept for the lane").isTrue();
        assertThat(outcome.result()).isEqualTo(HttpDelivery.Result.INTERRUPTED);
        assertThat(server.exchanges).hasSize(1);
        assertThat(waits).isEmpty();
    }

    @Test
    void aListenerCanStopBeforeAnyAttempt() {
        HttpDelivery.Outcome outcome = delivery().build().deliver(post(), new HttpDelivery.Listener() {
            @Override
            public String beforeAttempt(int attempt) {
                return "closed";
            }
        });

        assertThat(outcome.result()).isEqualTo(HttpDelivery.Result.STOPPED);
        assertThat(outcome.stopReason()).isEqualTo("closed");
        assertThat(server.exchanges).isEmpty();
    }
}
