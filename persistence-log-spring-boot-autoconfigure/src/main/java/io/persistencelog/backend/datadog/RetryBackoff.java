package io.persistencelog.backend.datadog;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * When to try a request again: exponential backoff with jitter, unless the server said how long to wait
 * ({@code Retry-After}, or Datadog's {@code X-RateLimit-Reset} on a 429). Every wait is capped.
 *
 * <p>The n-th retry waits a random time between half of and the full {@code backoff * 2^(n-1)} (capped at
 * {@code maxBackoff}), so many clients that failed together do not return together.
 */
final class RetryBackoff {

    /** Values above this are epoch seconds, not a number of seconds to wait. */
    private static final long EPOCH_SECONDS_THRESHOLD = 1_000_000_000L;

    private final Duration backoff;
    private final Duration maxBackoff;
    private final DoubleSupplier random;

    RetryBackoff(Duration backoff, Duration maxBackoff, DoubleSupplier random) {
        this.backoff = backoff;
        this.maxBackoff = maxBackoff;
        this.random = random;
    }

    /**
     * The wait before retry number {@code retry} (1 for the first retry).
     *
     * @param serverHint what the server asked for, or null
     */
    Duration delay(int retry, @Nullable Duration serverHint) {
        if (serverHint != null) {
            return serverHint.isNegative() ? Duration.ZERO : min(serverHint, maxBackoff);
        }
        long maxNanos = maxBackoff.toNanos();
        long base = backoff.toNanos();
        for (int i = 1; i < retry && base < maxNanos; i++) {
            base = base > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : base * 2;
        }
        base = Math.min(base, maxNanos);
        double r = Math.min(1.0, Math.max(0.0, random.getAsDouble()));
        long half = base / 2;
        return Duration.ofNanos(half + (long) (r * (base - half)));
    }

    /**
     * How long the server asked us to wait: {@code Retry-After} (seconds or an HTTP date), else, on a 429,
     * {@code X-RateLimit-Reset} (seconds until the rate limit resets; epoch seconds are accepted too).
     */
    static @Nullable Duration serverHint(int status, Function<String, Optional<String>> headers, Instant now) {
        Optional<String> retryAfter = headers.apply("Retry-After");
        if (retryAfter.isPresent()) {
            Duration parsed = parseRetryAfter(retryAfter.get(), now);
            if (parsed != null) {
                return parsed;
            }
        }
        if (status != 429) {
            return null;
        }
        Optional<String> reset = headers.apply("X-RateLimit-Reset");
        return reset.isPresent() ? parseRateLimitReset(reset.get(), now) : null;
    }

    static @Nullable Duration parseRetryAfter(String value, Instant now) {
        String v = value.trim();
        if (v.isEmpty()) {
            return null;
        }
        if (isDigits(v)) {
            return seconds(v);
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration wait = Duration.between(now, at);
            return wait.isNegative() ? Duration.ZERO : wait;
        }
        catch (DateTimeParseException ex) {
            return null;
        }
    }

    static @Nullable Duration parseRateLimitReset(String value, Instant now) {
        String v = value.trim();
        if (!isDigits(v)) {
            return null;
        }
        Duration parsed = seconds(v);
        if (parsed.getSeconds() >= EPOCH_SECONDS_THRESHOLD) {
            Duration wait = Duration.between(now, Instant.ofEpochSecond(parsed.getSeconds()));
            return wait.isNegative() ? Duration.ZERO : wait;
        }
        return parsed;
    }

    private static Duration seconds(String digits) {
        // More than 18 digits would overflow; such a wait is capped anyway.
        return digits.length() > 18 ? Duration.ofSeconds(Long.MAX_VALUE / 1_000_000_000L)
                : Duration.ofSeconds(Long.parseLong(digits));
    }

    private static boolean isDigits(String v) {
        if (v.isEmpty()) {
            return false;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
