package io.persistencelog.backend.file;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The ISO-8601 week (Monday to Sunday, in a zone) an instant falls in, and its file name:
 * {@code wk02_2024-01-08--2024-01-14.json}.
 *
 * @param fileName the file's name
 * @param monday first day of the week
 * @param startMillis first instant of the week in the zone, inclusive
 * @param endMillis first instant of the next week, exclusive
 */
public record WeekFile(String fileName, LocalDate monday, long startMillis, long endMillis) {

    private static final Pattern NAME = Pattern.compile("wk(\\d{2})_(\\d{4}-\\d{2}-\\d{2})--(\\d{4}-\\d{2}-\\d{2})\\.json");

    public static WeekFile containing(long epochMillis, ZoneId zone) {
        LocalDate day = Instant.ofEpochMilli(epochMillis).atZone(zone).toLocalDate();
        LocalDate monday = day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        LocalDate sunday = monday.plusDays(6);
        int week = day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
        String name = String.format("wk%02d_%s--%s.json", week, monday, sunday);
        long start = monday.atStartOfDay(zone).toInstant().toEpochMilli();
        long end = monday.plusWeeks(1).atStartOfDay(zone).toInstant().toEpochMilli();
        return new WeekFile(name, monday, start, end);
    }

    public boolean contains(long epochMillis) {
        return epochMillis >= startMillis && epochMillis < endMillis;
    }

    /** The Monday of a weekly file's name, or null if the name is not a weekly file. */
    public static @Nullable LocalDate mondayOf(String fileName) {
        Matcher m = NAME.matcher(fileName);
        if (!m.matches()) {
            return null;
        }
        try {
            return LocalDate.parse(m.group(2));
        }
        catch (DateTimeParseException ex) {
            return null; // looks like a weekly file but is not one (wk99_2024-13-45--...): left alone
        }
    }
}
