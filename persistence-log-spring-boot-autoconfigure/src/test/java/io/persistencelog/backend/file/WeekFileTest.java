package io.persistencelog.backend.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class WeekFileTest {

    private static long at(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void namesTheIsoWeekMondayToSunday() {
        assertThat(WeekFile.containing(at("2024-01-08T00:00:00Z"), ZoneOffset.UTC).fileName())
                .isEqualTo("wk02_2024-01-08--2024-01-14.json");
        assertThat(WeekFile.containing(at("2024-01-14T23:59:59.999Z"), ZoneOffset.UTC).fileName())
                .isEqualTo("wk02_2024-01-08--2024-01-14.json");
        assertThat(WeekFile.containing(at("2024-01-15T00:00:00Z"), ZoneOffset.UTC).fileName())
                .isEqualTo("wk03_2024-01-15--2024-01-21.json");
    }

    @Test
    void weekOneCanStartInThePreviousYear() {
        assertThat(WeekFile.containing(at("2024-12-30T10:00:00Z"), ZoneOffset.UTC).fileName())
                .isEqualTo("wk01_2024-12-30--2025-01-05.json");
        assertThat(WeekFile.containing(at("2025-01-05T10:00:00Z"), ZoneOffset.UTC).fileName())
                .isEqualTo("wk01_2024-12-30--2025-01-05.json");
        // 2021-01-03 (a Sunday) still belongs to week 53 of 2020.
        assertThat(WeekFile.containing(at("2021-01-03T10:00:00Z"), ZoneOffset.UTC).fileName())
                .isEqualTo("wk53_2020-12-28--2021-01-03.json");
    }

    @Test
    void theZoneDecidesTheWeekNearMidnight() {
        // Sunday 23:30 UTC is already Monday in Tokyo, and still Sunday in New York.
        long sundayNight = at("2024-01-14T23:30:00Z");
        assertThat(WeekFile.containing(sundayNight, ZoneOffset.UTC).fileName())
                .isEqualTo("wk02_2024-01-08--2024-01-14.json");
        assertThat(WeekFile.containing(sundayNight, ZoneId.of("Asia/Tokyo")).fileName())
                .isEqualTo("wk03_2024-01-15--2024-01-21.json");
        // Monday 02:00 UTC is still Sunday evening in New York.
        assertThat(WeekFile.containing(at("2024-01-15T02:00:00Z"), ZoneId.of("America/New_York")).fileName())
                .isEqualTo("wk02_2024-01-08--2024-01-14.json");
    }

    @Test
    void boundsAreTheZonesMidnights() {
        WeekFile week = WeekFile.containing(at("2024-01-10T12:00:00Z"), ZoneId.of("Europe/Paris"));
        assertThat(Instant.ofEpochMilli(week.startMillis())).isEqualTo(Instant.parse("2024-01-07T23:00:00Z"));
        assertThat(Instant.ofEpochMilli(week.endMillis())).isEqualTo(Instant.parse("2024-01-14T23:00:00Z"));
        assertThat(WeekFile.mondayOf(week.fileName())).hasToString("2024-01-08");
        assertThat(WeekFile.mondayOf("notes.txt")).isNull();
    }
}
