package it.semaforo.render;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Dates as residents read them, in the configured zone: "13 dicembre 2023, 16:19",
 * "13. Dezember 2023, 16:19", "2023年12月13日 16:19".
 */
public final class Formats {
    private final ZoneId zone;
    private final DateTimeFormatter dateTime;
    private final DateTimeFormatter date;
    private final DateTimeFormatter shortDate;
    /** A day of this year and a time, for windows: "9 dicembre, 08:00". */
    private final DateTimeFormatter dayTime;
    private final DateTimeFormatter time;

    public Formats(Locale locale, ZoneId zone) {
        this.zone = zone;
        String lang = locale.getLanguage();
        if (lang.equals("ja")) {
            this.dateTime = DateTimeFormatter.ofPattern("uuuu年M月d日 H:mm", locale);
            this.date = DateTimeFormatter.ofPattern("uuuu年M月d日", locale);
            this.shortDate = DateTimeFormatter.ofPattern("M月d日", locale);
            this.dayTime = DateTimeFormatter.ofPattern("M月d日 H:mm", locale);
            this.time = DateTimeFormatter.ofPattern("H:mm", locale);
        } else if (lang.equals("de")) {
            this.dateTime = DateTimeFormatter.ofPattern("d. MMMM uuuu, HH:mm", locale);
            this.date = DateTimeFormatter.ofPattern("d. MMMM uuuu", locale);
            this.shortDate = DateTimeFormatter.ofPattern("d. MMM", locale);
            this.dayTime = DateTimeFormatter.ofPattern("d. MMMM, HH:mm", locale);
            this.time = DateTimeFormatter.ofPattern("HH:mm", locale);
        } else if (lang.equals("en")) {
            this.dateTime = DateTimeFormatter.ofPattern("d MMMM uuuu, HH:mm", locale);
            this.date = DateTimeFormatter.ofPattern("d MMMM uuuu", locale);
            this.shortDate = DateTimeFormatter.ofPattern("d MMM", locale);
            this.dayTime = DateTimeFormatter.ofPattern("d MMMM, HH:mm", locale);
            this.time = DateTimeFormatter.ofPattern("HH:mm", locale);
        } else {
            this.dateTime = DateTimeFormatter.ofPattern("d MMMM uuuu, HH:mm", locale);
            this.date = DateTimeFormatter.ofPattern("d MMMM uuuu", locale);
            this.shortDate = DateTimeFormatter.ofPattern("d MMM", locale);
            this.dayTime = DateTimeFormatter.ofPattern("d MMMM, HH:mm", locale);
            this.time = DateTimeFormatter.ofPattern("HH:mm", locale);
        }
    }

    public ZoneId zone() {
        return zone;
    }

    public String dateTime(Instant t) {
        return t == null ? "" : dateTime.format(t.atZone(zone));
    }

    public String date(Instant t) {
        return t == null ? "" : date.format(t.atZone(zone));
    }

    public String date(LocalDate d) {
        return date.format(d);
    }

    public String shortDate(LocalDate d) {
        return shortDate.format(d);
    }

    /** A day and a time without the year, for what is near: "13 dicembre, 10:41". */
    public String dayTime(Instant t) {
        return t == null ? "" : dayTime.format(t.atZone(zone));
    }

    /**
     * A maintenance window as residents read it: "9 dicembre, 08:00–14:00" within a day,
     * "9 dicembre, 22:00 – 10 dicembre, 06:00" across midnight.
     */
    public String window(Instant start, Instant end) {
        var from = start.atZone(zone);
        var to = end.atZone(zone);
        if (from.toLocalDate().equals(to.toLocalDate())) return dayTime.format(from) + "–" + time.format(to);
        return dayTime.format(from) + " – " + dayTime.format(to);
    }

    /** For the datetime attribute of time: ISO 8601 with the zone's offset. */
    public String iso(Instant t) {
        return t == null ? "" : iso(t, zone);
    }

    /**
     * t in zone as ISO_OFFSET_DATE_TIME writes it to the second ("2026-12-07T18:10:00+01:00"),
     * written directly for years of four digits and offsets in whole minutes (every page has
     * several: the general formatter was some 4 % of a static export).
     */
    public static String iso(Instant t, ZoneId zone) {
        java.time.ZonedDateTime z = t.atZone(zone);
        int offset = z.getOffset().getTotalSeconds();
        if (z.getYear() < 1000 || z.getYear() > 9999 || offset % 60 != 0) {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(z.withNano(0));
        }
        StringBuilder b = new StringBuilder(25).append(z.getYear());
        two(b.append('-'), z.getMonthValue());
        two(b.append('-'), z.getDayOfMonth());
        two(b.append('T'), z.getHour());
        two(b.append(':'), z.getMinute());
        two(b.append(':'), z.getSecond());
        if (offset == 0) return b.append('Z').toString();
        b.append(offset < 0 ? '-' : '+');
        two(b, Math.abs(offset) / 3600);
        two(b.append(':'), Math.abs(offset) / 60 % 60);
        return b.toString();
    }

    private static void two(StringBuilder b, int n) {
        b.append((char) ('0' + n / 10)).append((char) ('0' + n % 10));
    }

    public String isoDate(LocalDate d) {
        return d.toString();
    }

}
