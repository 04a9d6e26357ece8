package it.semaforo.render;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Formats writes its dates directly, exactly as the locale's general formatter writes the same pattern. */
class FormatsDirectTest {
    @Test
    void asTheGeneralFormatterWritesEveryPatternInEveryLanguage() {
        List<Locale> locales = new ArrayList<>(Lang.SUPPORTED);
        locales.addAll(List.of(Locale.FRENCH, Locale.forLanguageTag("pl"), Locale.forLanguageTag("it-CH")));
        List<ZoneId> zones = List.of(ZoneId.of("Europe/Rome"), ZoneId.of("UTC"), ZoneId.of("Asia/Tokyo"), ZoneId.of("America/St_Johns"));
        Random random = new Random(8);
        for (Locale locale : locales) {
            for (Formats.Direct d : Formats.Patterns.of(locale).all()) {
                for (int i = 0; i < 3_000; i++) {
                    // years 1 to 12000, where the formatter writes them; most between 1970 and 2100
                    long seconds = i % 3 == 0 ? random.nextLong(-62_000_000_000L, 316_000_000_000L) : random.nextLong(0, 4_102_444_800L);
                    ZonedDateTime z = Instant.ofEpochSecond(seconds).atZone(zones.get(i % zones.size()));
                    assertEquals(d.general(z), d.format(z), locale + " " + z);
                    LocalDate day = z.toLocalDate();
                    String expected;
                    try {
                        expected = d.general(day);
                    } catch (java.time.temporal.UnsupportedTemporalTypeException timeOfDay) {
                        continue;   // a pattern with a time of day is never given a date alone
                    }
                    assertEquals(expected, d.format(day), locale + " " + day);
                }
            }
        }
    }

    @Test
    void aPatternItCannotWriteDirectlyIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Formats.Direct("EEEE d MMMM", Locale.ITALIAN));
        assertThrows(IllegalArgumentException.class, () -> new Formats.Direct("d 'di' MMMM", Locale.ITALIAN));
    }

    @Test
    void theWaysResidentsReadThem() {
        Instant t = Instant.parse("2023-12-13T15:19:00Z");
        ZoneId rome = ZoneId.of("Europe/Rome");
        assertEquals("13 dicembre 2023, 16:19", new Formats(Locale.ITALIAN, rome).dateTime(t));
        assertEquals("13. Dezember 2023, 16:19", new Formats(Locale.GERMAN, rome).dateTime(t));
        assertEquals("2023年12月13日 16:19", new Formats(Locale.JAPANESE, rome).dateTime(t));
        assertEquals("13 December 2023, 16:19", new Formats(Locale.ENGLISH, rome).dateTime(t));
        assertEquals("9 dicembre, 08:00–14:00", new Formats(Locale.ITALIAN, rome)
                .window(Instant.parse("2026-12-09T07:00:00Z"), Instant.parse("2026-12-09T13:00:00Z")));
        assertEquals("13 dic", new Formats(Locale.ITALIAN, rome).shortDate(LocalDate.of(2023, 12, 13)));
    }
}
