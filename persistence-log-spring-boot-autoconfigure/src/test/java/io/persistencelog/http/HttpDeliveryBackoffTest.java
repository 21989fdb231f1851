package io.persistencelog.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The waits of the one HTTP retry layer: back-off with jitter, the server's wait, the cap. */
class HttpDeliveryBackoffTest {

    private static final Instant NOW = Instant.parse("2024-01-08T10:00:00Z");

    @Test
    void doublesFromTheBackoffUpToTheCapWithJitterBetweenHalfAndAll() {
        Backoff high = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), () -> 1.0);
        Backoff low = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), () -> 0.0);

        assertThat(high.delay(1, null)).isEqualTo(Duration.ofMillis(100));
        assertThat(high.delay(2, null)).isEqualTo(Duration.ofMillis(200));
        assertThat(high.delay(4, null)).isEqualTo(Duration.ofMillis(800));
        assertThat(high.delay(5, null)).isEqualTo(Duration.ofSeconds(1));
        assertThat(high.delay(500, null)).isEqualTo(Duration.ofSeconds(1));
        assertThat(low.delay(1, null)).isEqualTo(Duration.ofMillis(50));
        assertThat(low.delay(3, null)).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void aServerHintReplacesTheBackoffUpToTheCap() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30), () -> 1.0);

        assertThat(backoff.delay(1, Duration.ofSeconds(7))).isEqualTo(Duration.ofSeconds(7));
        assertThat(backoff.delay(1, Duration.ZERO)).isEqualTo(Duration.ZERO);
        assertThat(backoff.delay(1, Duration.ofMinutes(5))).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void readsRetryAfterAsSecondsOrAnHttpDate() {
        assertThat(ServerWait.parseRetryAfter("12", NOW)).isEqualTo(Duration.ofSeconds(12));
        assertThat(ServerWait.parseRetryAfter(" 0 ", NOW)).isEqualTo(Duration.ZERO);
        assertThat(ServerWait.parseRetryAfter("Mon, 08 Jan 2024 10:00:45 GMT", NOW)).isEqualTo(Duration.ofSeconds(45));
        assertThat(ServerWait.parseRetryAfter("Mon, 08 Jan 2024 09:00:00 GMT", NOW)).isEqualTo(Duration.ZERO);
        assertThat(ServerWait.parseRetryAfter("soon", NOW)).isNull();
        assertThat(ServerWait.parseRetryAfter("-3", NOW)).isNull();
        assertThat(ServerWait.parseRetryAfter("99999999999999999999999", NOW)).isPositive();
    }

    @Test
    void readsRateLimitResetAsSecondsOrEpochSeconds() {
        assertThat(ServerWait.parseRateLimitReset("4", NOW)).isEqualTo(Duration.ofSeconds(4));
        assertThat(ServerWait.parseRateLimitReset(String.valueOf(NOW.getEpochSecond() + 9), NOW))
                .isEqualTo(Duration.ofSeconds(9));
        assertThat(ServerWait.parseRateLimitReset("x", NOW)).isNull();
    }

    @Test
    void prefersRetryAfterOverRateLimitReset() {
        Map<String, String> both = Map.of("Retry-After", "2", "X-RateLimit-Reset", "9");
        Map<String, String> resetOnly = Map.of("X-RateLimit-Reset", "9");
        Map<String, String> garbageRetryAfter = Map.of("Retry-After", "later", "X-RateLimit-Reset", "9");

        assertThat(ServerWait.of(429, n -> Optional.ofNullable(both.get(n)), NOW)).isEqualTo(Duration.ofSeconds(2));
        assertThat(ServerWait.of(429, n -> Optional.ofNullable(resetOnly.get(n)), NOW))
                .isEqualTo(Duration.ofSeconds(9));
        assertThat(ServerWait.of(429, n -> Optional.ofNullable(garbageRetryAfter.get(n)), NOW))
                .isEqualTo(Duration.ofSeconds(9));
        assertThat(ServerWait.of(429, n -> Optional.empty(), NOW)).isNull();
        // Rate-limit headers describe the quota, not an outage: only a 429 is told to wait for its reset.
        assertThat(ServerWait.of(503, n -> Optional.ofNullable(resetOnly.get(n)), NOW)).isNull();
        assertThat(ServerWait.of(503, n -> Optional.ofNullable(both.get(n)), NOW))
                .isEqualTo(Duration.ofSeconds(2));
    }

    /** The delay for retry n with an optional server wait, through a real delivery's settings. */
    private static final class Backoff {

        private final HttpDelivery delivery;

        Backoff(Duration backoff, Duration maxWait, java.util.function.DoubleSupplier random) {
            delivery = HttpDelivery.builder(java.net.http.HttpClient.newHttpClient()).backoff(backoff).maxWait(maxWait)
                    .jitter(random).build();
        }

        Duration delay(int retry, Duration serverWait) {
            return delivery.waitBefore(retry,
                    new HttpDelivery.Answer(503, HttpVerdict.RETRYABLE, "", serverWait, null, false));
        }
    }
}
