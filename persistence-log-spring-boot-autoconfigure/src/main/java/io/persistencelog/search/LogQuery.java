package io.persistencelog.search;

import io.persistencelog.LogLevel;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What to look for: a range, a minimum level, a logger (and its children), a text and exact field values.
 *
 * @param from oldest instant wanted, inclusive
 * @param to newest instant wanted, inclusive (an entry logged in the millisecond of a search is found)
 * @param minLevel lowest level wanted, or null for all
 * @param logger logger name; its children match too (null for any)
 * @param text text looked for, ignoring case, in the message and every value (null for any)
 * @param fields exact values of top-level fields, by field name
 * @param limit most entries answered
 */
public record LogQuery(Instant from, Instant to, @Nullable LogLevel minLevel, @Nullable String logger,
        @Nullable String text, Map<String, String> fields, int limit) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;
    /** Without {@code from}, the last day: like Loki's default start, it keeps a bare query cheap. */
    public static final Duration DEFAULT_RANGE = Duration.ofHours(24);
    public static final String FIELD_PREFIX = "field.";
    static final int MAX_TEXT = 1000;

    private static final Set<String> NAMES = Set.of("level", "logger", "q", "from", "to", "limit");
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d|w)");

    public LogQuery {
        if (!from.isBefore(to)) {
            throw new InvalidQueryException("from", "must be before 'to' (" + to + ") but was " + from);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidQueryException("limit", "must be between 1 and " + MAX_LIMIT + " but was " + limit);
        }
        fields = Map.copyOf(fields);
    }

    /**
     * Reads the query from request parameters ({@code level}, {@code logger}, {@code q}, {@code from},
     * {@code to}, {@code limit}, {@code field.<name>}); durations in {@code from}/{@code to} count back from
     * {@code now}.
     *
     * @throws InvalidQueryException naming the first parameter that is unknown, repeated or malformed
     */
    public static LogQuery parse(Map<String, ? extends List<String>> parameters, Instant now) {
        Map<String, String> single = new LinkedHashMap<>();
        Map<String, String> fields = new LinkedHashMap<>();
        for (Map.Entry<String, ? extends List<String>> parameter : parameters.entrySet()) {
            String name = parameter.getKey();
            List<String> values = parameter.getValue();
            if (values.size() > 1) {
                throw new InvalidQueryException(name, "given " + values.size() + " times; give it once");
            }
            String value = values.isEmpty() ? "" : values.get(0);
            if (name.startsWith(FIELD_PREFIX)) {
                String field = name.substring(FIELD_PREFIX.length());
                if (field.isEmpty()) {
                    throw new InvalidQueryException(name, "name the field after 'field.', e.g. field.user_id=123");
                }
                fields.put(field, value);
            }
            else if (NAMES.contains(name)) {
                single.put(name, value.strip());
            }
            else {
                throw new InvalidQueryException(name, "unknown parameter; use level, logger, q, from, to, limit or "
                        + "field.<name>");
            }
        }
        String toText = single.get("to");
        String fromText = single.get("from");
        Instant to = toText == null || toText.isBlank() ? now : instant("to", toText, now);
        Instant from = fromText == null || fromText.isBlank() ? to.minus(DEFAULT_RANGE) : instant("from", fromText, now);
        return new LogQuery(from, to, level(single.get("level")), emptyToNull(single.get("logger")),
                text(single.get("q")), fields, limit(single.get("limit")));
    }

    /** Whether an entry's logger is the one asked for or one of its children. */
    boolean loggerMatches(String name) {
        String wanted = logger;
        if (wanted == null) {
            return true;
        }
        return name.startsWith(wanted) && (name.length() == wanted.length() || wanted.endsWith(".")
                || name.charAt(wanted.length()) == '.' || name.charAt(wanted.length()) == '$');
    }

    /** A field's persisted value against the wanted text: numbers as numbers, everything else as text. */
    static boolean fieldMatches(@Nullable Object value, String wanted) {
        if (value instanceof Number number) {
            BigDecimal expected = decimal(wanted);
            BigDecimal actual = decimal(number.toString());
            return expected != null && actual != null && expected.compareTo(actual) == 0;
        }
        if (value instanceof String || value instanceof Boolean) {
            return value.toString().equals(wanted);
        }
        return value == null && "null".equals(wanted);
    }

    private static @Nullable BigDecimal decimal(String text) {
        try {
            return new BigDecimal(text.strip());
        }
        catch (NumberFormatException ex) {
            return null;
        }
    }

    private static @Nullable LogLevel level(@Nullable String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return LogLevel.valueOf(text.toUpperCase(Locale.ROOT));
        }
        catch (IllegalArgumentException ex) {
            throw new InvalidQueryException("level", "must be one of TRACE, DEBUG, INFO, WARN, ERROR but was '"
                    + shorten(text) + "'");
        }
    }

    private static @Nullable String text(@Nullable String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        if (text.length() > MAX_TEXT) {
            throw new InvalidQueryException("q", "must be at most " + MAX_TEXT + " characters but had " + text.length());
        }
        return text;
    }

    private static int limit(@Nullable String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            return Integer.parseInt(text);
        }
        catch (NumberFormatException ex) {
            throw new InvalidQueryException("limit", "must be a whole number between 1 and " + MAX_LIMIT + " but was '"
                    + shorten(text) + "'");
        }
    }

    /** An ISO instant (with Z or an offset), or a duration back from now: 15m, 24h, 7d, 2w, PT90M. */
    private static Instant instant(String name, String text, Instant now) {
        Matcher m = SHORT_DURATION.matcher(text);
        try {
            if (m.matches()) {
                long amount = Long.parseLong(m.group(1));
                Duration unit = switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(1);
                    case "s" -> Duration.ofSeconds(1);
                    case "m" -> Duration.ofMinutes(1);
                    case "h" -> Duration.ofHours(1);
                    case "d" -> Duration.ofDays(1);
                    default -> Duration.ofDays(7);
                };
                return now.minus(unit.multipliedBy(amount));
            }
            if (text.startsWith("P") || text.startsWith("p")) {
                return now.minus(Duration.parse(text));
            }
            return OffsetDateTime.parse(text).toInstant();
        }
        catch (DateTimeException | ArithmeticException ex) {
            throw new InvalidQueryException(name, "must be an ISO-8601 instant such as 2024-01-08T10:15:30Z (or with an "
                    + "offset) or a duration back from now such as 15m, 24h, 7d but was '" + shorten(text) + "'");
        }
    }

    private static @Nullable String emptyToNull(@Nullable String text) {
        return blank(text) ? null : text;
    }

    private static boolean blank(@Nullable String text) {
        return text == null || text.isBlank();
    }

    private static String shorten(String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "...";
    }
}
