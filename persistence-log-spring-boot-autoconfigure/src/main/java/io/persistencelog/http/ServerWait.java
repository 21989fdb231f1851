package io.persistencelog.http;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * How long a server asked the client to wait before trying again: {@code Retry-After} (seconds or an HTTP
 * date) on any answer, else, on a 429, {@code X-RateLimit-Reset} (seconds until the quota resets; epoch
 * seconds are accepted too). Rate-limit headers on other answers describe the quota, not an outage, so they
 * are ignored there.
 */
public final class ServerWait {

    /** Values above this are epoch seconds, not a number of seconds to wait. */
    private static final long EPOCH_SECONDS_THRESHOLD = 1_000_000_000L;

    private ServerWait() {
    }

    /** The wait the answer asks for, or null when it names none (or none that can be read). */
    public static @Nullable Duration of(int status, Function<String, Optional<String>> headers, Instant now) {
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

    /** {@code Retry-After} as seconds or an RFC 1123 date; a date in the past is zero; garbage is null. */
    public static @Nullable Duration parseRetryAfter(String value, Instant now) {
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

    /** {@code X-RateLimit-Reset} as seconds to wait or as epoch seconds; garbage is null. */
    public static @Nullable Duration parseRateLimitReset(String value, Instant now) {
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
        // More than 18 digits would overflow; such a wait is capped by the caller anyway.
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
}
