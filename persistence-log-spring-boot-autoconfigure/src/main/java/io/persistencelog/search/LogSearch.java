package io.persistencelog.search;

import io.persistencelog.LogLevel;
import io.persistencelog.backend.file.WeekFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;

// Longer than 350 lines on purpose: the byte-level line judging that keeps a search fast and the parsed fallback for every
// other line must agree on what matches; they are kept side by side.
/**
 * Searches the weekly files of one directory, newest first.
 *
 * <p>Files are taken newest week first and each is read backwards from its end ({@link ReverseLineReader}),
 * so the newest matches come first and reading a file stops once its entries are older than the range. After
 * {@code limit} matches no more entries are kept, but the rest of the range is still read to complete the
 * histogram. Most lines are judged on their first bytes alone (timestamp and level, which the file backend
 * writes first); only lines that pass those checks and need more (logger with escapes, text, fields, or
 * being answered) are parsed. Memory stays bounded by the limit, one read chunk and the longest line.
 */
public final class LogSearch {

    /**
     * How much older than the range an entry may be before a file stops being read: entries are appended in
     * the order they reach the file lane, which can trail their timestamps by the time they spent queued.
     */
    static final long OUT_OF_ORDER_MILLIS = Duration.ofMinutes(5).toMillis();
    /**
     * Slack around a file's week: its name's dates are in the file zone, which can be up to 18 hours off UTC
     * and may have been changed since the file was written.
     */
    static final long ZONE_MARGIN_MILLIS = Duration.ofDays(1).toMillis();
    static final int MAX_LINE_BYTES = 8 * 1024 * 1024;

    private static final byte[] TIMESTAMP_START = ascii("{\"timestamp\":\"");
    private static final byte[] LEVEL_START = ascii("\",\"level\":\"");
    private static final byte[] LOGGER_START = ascii("\",\"logger\":\"");

    private final Path directory;

    public LogSearch(Path directory) {
        this.directory = directory;
    }

    public Path directory() {
        return directory;
    }

    /**
     * Runs a query over the files as they are now.
     *
     * @throws UncheckedIOException if the directory cannot be listed or a file cannot be read
     */
    public SearchResult search(LogQuery query) {
        Scan scan = new Scan(query);
        List<WeekFileRef> files = filesFor(query);
        for (WeekFileRef file : files) {
            try (ReverseLineReader reader = new ReverseLineReader(file.path(), MAX_LINE_BYTES)) {
                scan.scannedFiles++;
                scan.stopFile = false;
                reader.forEachLine(scan::line);
                scan.skipped += reader.oversizedLines();
            }
            catch (NoSuchFileException ex) {
                // Deleted by retention while we searched: nothing left to read in it.
            }
            catch (IOException ex) {
                throw new UncheckedIOException("Cannot read " + file.path(), ex);
            }
        }
        scan.found.sort(Comparator.comparingLong(Found::millis).reversed());
        return new SearchResult(scan.found.stream().map(Found::entry).toList(), scan.scannedFiles, scan.scanned,
                scan.skipped, scan.matched > scan.found.size(), query.from(), query.to(),
                scan.histogram.bucketSize(), scan.histogram.buckets());
    }

    private record WeekFileRef(Path path, LocalDate monday) {
    }

    private List<WeekFileRef> filesFor(LogQuery query) {
        long from = query.from().toEpochMilli();
        long to = query.to().toEpochMilli();
        List<WeekFileRef> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "wk*.json")) {
            for (Path path : stream) {
                LocalDate monday = WeekFile.mondayOf(path.getFileName().toString());
                if (monday == null) {
                    continue;
                }
                long start = monday.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli() - ZONE_MARGIN_MILLIS;
                long end = monday.plusWeeks(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli()
                        + ZONE_MARGIN_MILLIS;
                if (end > from && start < to) {
                    files.add(new WeekFileRef(path, monday));
                }
            }
        }
        catch (NoSuchFileException | NotDirectoryException ex) {
            return List.of();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot list " + directory, ex);
        }
        files.sort(Comparator.comparing(WeekFileRef::monday).reversed());
        return files;
    }

    private record Found(long millis, Map<String, @Nullable Object> entry) {
    }

    /** One search's state while lines stream past. */
    private static final class Scan {

        final LogQuery query;
        final long from;
        final long to;
        final int minLevel;
        final byte @Nullable [] needle;
        final @Nullable String lowerText;
        final Histogram histogram;
        final List<Found> found = new ArrayList<>();
        int scannedFiles;
        long scanned;
        long skipped;
        long matched;
        boolean stopFile;
        // The header of the current line, parsed without allocating.
        long millis;
        boolean timestampPending;
        int timestampStart;
        int timestampEnd;
        @Nullable LogLevel level;
        int loggerStart;
        int loggerEnd;

        Scan(LogQuery query) {
            this.query = query;
            this.from = query.from().toEpochMilli();
            this.to = query.to().toEpochMilli();
            LogLevel min = query.minLevel();
            this.minLevel = min == null ? 0 : min.ordinal();
            String text = query.text();
            this.lowerText = text == null ? null : text.toLowerCase(Locale.ROOT);
            this.needle = text == null ? null : asciiNeedle(text);
            this.histogram = new Histogram(query.from(), query.to());
        }

        boolean line(byte[] b, int off, int len) {
            Map<String, @Nullable Object> entry = null;
            if (!header(b, off, len)) {
                entry = parse(b, off, len);
                if (entry == null || !headerFrom(entry)) {
                    skipped++;
                    return true;
                }
            }
            scanned++;
            LogLevel lineLevel = level;
            if (lineLevel == null) {
                return true;
            }
            if (lineLevel.ordinal() < minLevel) {
                // Below the level: neither answered nor counted in the histogram, so its time is not read (a
                // whole-range search passes millions of these). A file is still left at the first line at the
                // level that is older than the range.
                return true;
            }
            if (timestampPending) {
                timestampPending = false;
                millis = Timestamps.parseMillis(b, timestampStart, timestampEnd);
                if (millis == Long.MIN_VALUE) {
                    entry = parse(b, off, len);
                    if (entry == null || !headerFrom(entry)) {
                        scanned--;
                        skipped++;
                        return true;
                    }
                }
            }
            if (millis > to) {
                return true;
            }
            if (millis < from) {
                return millis >= from - OUT_OF_ORDER_MILLIS;
            }
            if (lineLevel.ordinal() < minLevel) {
                return true;
            }
            if (query.logger() != null && loggerEnd >= 0
                    && !query.loggerMatches(new String(b, loggerStart, loggerEnd - loggerStart, StandardCharsets.UTF_8))) {
                return true;
            }
            if (needle != null && !containsIgnoreCase(b, off, len, needle)) {
                return true;
            }
            boolean needEntry = (query.logger() != null && loggerEnd < 0) || lowerText != null
                    || !query.fields().isEmpty() || found.size() < query.limit();
            if (needEntry && entry == null) {
                entry = parse(b, off, len);
                if (entry == null) {
                    scanned--;
                    skipped++;
                    return true;
                }
            }
            if (entry != null && !matches(entry)) {
                return true;
            }
            matched++;
            histogram.add(millis, lineLevel);
            if (found.size() < query.limit() && entry != null) {
                found.add(new Found(millis, entry));
            }
            return true;
        }

        private boolean matches(Map<String, @Nullable Object> entry) {
            if (query.logger() != null && loggerEnd < 0
                    && !(entry.get("logger") instanceof String name && query.loggerMatches(name))) {
                return false;
            }
            for (Map.Entry<String, String> field : query.fields().entrySet()) {
                if (!entry.containsKey(field.getKey()) || !LogQuery.fieldMatches(entry.get(field.getKey()), field.getValue())) {
                    return false;
                }
            }
            String text = lowerText;
            return text == null || containsText(entry.values(), text);
        }

        private static boolean containsText(Iterable<? extends @Nullable Object> values, String lowerText) {
            for (Object value : values) {
                if (value instanceof Map<?, ?> map) {
                    if (containsText(map.values(), lowerText)) {
                        return true;
                    }
                }
                else if (value instanceof List<?> list) {
                    if (containsText(list, lowerText)) {
                        return true;
                    }
                }
                else if (value != null && value.toString().toLowerCase(Locale.ROOT).contains(lowerText)) {
                    return true;
                }
            }
            return false;
        }

        /** Reads timestamp, level and (when unescaped) logger off the line's start, as the file backend writes it. */
        private boolean header(byte[] b, int off, int len) {
            int end = off + len;
            if (!startsWith(b, off, end, TIMESTAMP_START)) {
                return false;
            }
            int tsStart = off + TIMESTAMP_START.length;
            int tsEnd = indexOf(b, tsStart, Math.min(end, tsStart + 40), (byte) '"');
            if (tsEnd < 0) {
                return false;
            }
            if (!startsWith(b, tsEnd, end, LEVEL_START)) {
                return false;
            }
            int levelStart = tsEnd + LEVEL_START.length;
            LogLevel parsedLevel = levelAt(b, levelStart, end);
            if (parsedLevel == null) {
                return false;
            }
            // The time is read only if the line's level is searched for (see line()).
            timestampStart = tsStart;
            timestampEnd = tsEnd;
            timestampPending = true;
            level = parsedLevel;
            loggerEnd = -1;
            int levelEnd = levelStart + parsedLevel.name().length();
            if (startsWith(b, levelEnd, end, LOGGER_START)) {
                int start = levelEnd + LOGGER_START.length;
                for (int i = start; i < end; i++) {
                    if (b[i] == '\\') {
                        break;
                    }
                    if (b[i] == '"') {
                        loggerStart = start;
                        loggerEnd = i;
                        break;
                    }
                }
            }
            return true;
        }

        /** The header from a parsed line whose bytes were not in the usual order. */
        private boolean headerFrom(Map<String, @Nullable Object> entry) {
            if (!(entry.get("timestamp") instanceof String ts) || !(entry.get("level") instanceof String name)) {
                return false;
            }
            try {
                millis = Instant.parse(ts).toEpochMilli();
                level = LogLevel.valueOf(name);
                timestampPending = false;
            }
            catch (DateTimeParseException | IllegalArgumentException | ArithmeticException ex) {
                return false;
            }
            loggerEnd = -1;
            return true;
        }

        private static @Nullable Map<String, @Nullable Object> parse(byte[] b, int off, int len) {
            try {
                return JsonLines.parseObject(b, off, len);
            }
            catch (JacksonException | IllegalStateException ex) {
                return null;
            }
        }

        private static @Nullable LogLevel levelAt(byte[] b, int start, int end) {
            if (start >= end) {
                return null;
            }
            LogLevel candidate = switch (b[start]) {
                case 'T' -> LogLevel.TRACE;
                case 'D' -> LogLevel.DEBUG;
                case 'I' -> LogLevel.INFO;
                case 'W' -> LogLevel.WARN;
                case 'E' -> LogLevel.ERROR;
                default -> null;
            };
            if (candidate == null) {
                return null;
            }
            String name = candidate.name();
            int nameEnd = start + name.length();
            if (nameEnd >= end || b[nameEnd] != '"') {
                return null;
            }
            for (int i = 1; i < name.length(); i++) {
                if (b[start + i] != name.charAt(i)) {
                    return null;
                }
            }
            return candidate;
        }

        /** The text as lower-case ASCII bytes when a byte search can rule lines out; null when it cannot. */
        private static byte @Nullable [] asciiNeedle(String text) {
            byte[] bytes = new byte[text.length()];
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                // Quotes, backslashes and control characters are escaped in the file, and non-ASCII letters
                // fold case beyond what a byte comparison can see: leave those to the parsed values.
                if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
                    return null;
                }
                bytes[i] = (byte) Character.toLowerCase(c);
            }
            return bytes;
        }

        private static boolean containsIgnoreCase(byte[] b, int off, int len, byte[] needle) {
            int last = off + len - needle.length;
            byte first = needle[0];
            outer:
            for (int i = off; i <= last; i++) {
                if (lower(b[i]) != first) {
                    continue;
                }
                for (int j = 1; j < needle.length; j++) {
                    if (lower(b[i + j]) != needle[j]) {
                        continue outer;
                    }
                }
                return true;
            }
            return false;
        }

        private static byte lower(byte c) {
            return c >= 'A' && c <= 'Z' ? (byte) (c + 32) : c;
        }

        private static boolean startsWith(byte[] b, int at, int end, byte[] prefix) {
            if (end - at < prefix.length) {
                return false;
            }
            for (int i = 0; i < prefix.length; i++) {
                if (b[at + i] != prefix[i]) {
                    return false;
                }
            }
            return true;
        }

        private static int indexOf(byte[] b, int from, int to, byte c) {
            for (int i = from; i < to; i++) {
                if (b[i] == c) {
                    return i;
                }
            }
            return -1;
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
