package io.persistencelog.search;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Reads the file backend's timestamps ({@code 2024-01-08T10:15:30.123Z}) straight from bytes. */
final class Timestamps {

    private Timestamps() {
    }

    /**
     * Epoch milliseconds of an ISO instant in {@code b[start, end)}, or {@link Long#MIN_VALUE} if it is not one.
     * The common shape (UTC, 0 to 9 fraction digits) is read without allocating; anything else goes through
     * {@link Instant#parse}.
     */
    static long parseMillis(byte[] b, int start, int end) {
        int len = end - start;
        if (len >= 20 && b[start + 4] == '-' && b[start + 7] == '-' && b[start + 10] == 'T' && b[start + 13] == ':'
                && b[start + 16] == ':' && b[end - 1] == 'Z') {
            int year = digits(b, start, 4);
            int month = digits(b, start + 5, 2);
            int day = digits(b, start + 8, 2);
            int hour = digits(b, start + 11, 2);
            int minute = digits(b, start + 14, 2);
            int second = digits(b, start + 17, 2);
            int millis = 0;
            boolean ok = year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour >= 0 && hour < 24
                    && minute >= 0 && minute < 60 && second >= 0 && second < 60;
            if (ok && len > 20) {
                ok = b[start + 19] == '.' && len <= 30;
                int scale = 100;
                for (int i = start + 20; ok && i < end - 1; i++) {
                    int d = b[i] - '0';
                    ok = d >= 0 && d <= 9;
                    millis += d * scale;
                    scale /= 10;
                }
            }
            if (ok) {
                long days = daysFromCivil(year, month, day);
                return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
            }
        }
        try {
            return Instant.parse(new String(b, start, len, StandardCharsets.US_ASCII)).toEpochMilli();
        }
        catch (DateTimeParseException | ArithmeticException ex) {
            return Long.MIN_VALUE;
        }
    }

    private static int digits(byte[] b, int at, int count) {
        int value = 0;
        for (int i = 0; i < count; i++) {
            int d = b[at + i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            value = value * 10 + d;
        }
        return value;
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's civil-date algorithm). */
    static long daysFromCivil(int year, int month, int day) {
        int y = month <= 2 ? year - 1 : year;
        int era = Math.floorDiv(y, 400);
        int yoe = y - era * 400;
        int mp = (month + 9) % 12;
        int doy = (153 * mp + 2) / 5 + day - 1;
        int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097L + doe - 719468;
    }
}
