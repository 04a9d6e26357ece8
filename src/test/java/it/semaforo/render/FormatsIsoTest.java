package it.semaforo.render;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Formats.iso writes what ISO_OFFSET_DATE_TIME writes to the second, in any zone and year. */
class FormatsIsoTest {
    @Test
    void asTheGeneralFormatterWritesIt() {
        Random random = new Random(21);
        List<ZoneId> zones = List.of(ZoneId.of("Europe/Rome"), ZoneId.of("UTC"), ZoneId.of("Asia/Kolkata"),
                ZoneId.of("America/St_Johns"), ZoneId.of("Asia/Tokyo"), ZoneId.of("Pacific/Chatham"), ZoneId.of("Europe/Amsterdam"));
        for (int i = 0; i < 20_000; i++) {
            // from the year 1 to 12000, with nanoseconds: the direct way and the fallback (years, 1937 Amsterdam's +00:19:32)
            Instant t = Instant.ofEpochSecond(random.nextLong(-62_000_000_000L, 316_000_000_000L), random.nextInt(1_000_000_000));
            for (ZoneId zone : zones) {
                assertEquals(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t.atZone(zone).withNano(0)), Formats.iso(t, zone), t + " " + zone);
            }
        }
    }
}
