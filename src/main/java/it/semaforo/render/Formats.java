package it.semaforo.render;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Dates as residents read them, in the configured zone: "13 dicembre 2023, 16:19",
 * "13. Dezember 2023, 16:19", "2023年12月13日 16:19".
 */
public final class Formats {
    /**
     * The patterns of a language. They depend on the locale alone and are immutable: those of the
     * interface's languages are made once (a page makes its Formats, and building five
     * formatters per page was some 3 % of a static export), any other locale's when asked.
     */
    record Patterns(Direct dateTime, Direct date, Direct shortDate, Direct dayTime, Direct time) {
        List<Direct> all() {
            return List.of(dateTime, date, shortDate, dayTime, time);
        }

        static Patterns of(Locale locale) {
            return switch (locale.getLanguage()) {
                case "ja" -> new Patterns(new Direct("uuuu年M月d日 H:mm", locale), new Direct("uuuu年M月d日", locale),
                        new Direct("M月d日", locale), new Direct("M月d日 H:mm", locale), new Direct("H:mm", locale));
                case "de" -> new Patterns(new Direct("d. MMMM uuuu, HH:mm", locale), new Direct("d. MMMM uuuu", locale),
                        new Direct("d. MMM", locale), new Direct("d. MMMM, HH:mm", locale), new Direct("HH:mm", locale));
                default -> new Patterns(new Direct("d MMMM uuuu, HH:mm", locale), new Direct("d MMMM uuuu", locale),
                        new Direct("d MMM", locale), new Direct("d MMMM, HH:mm", locale), new Direct("HH:mm", locale));
            };
        }
    }

    private static final Map<Locale, Patterns> INTERFACE = Lang.SUPPORTED.stream()
            .collect(java.util.stream.Collectors.toUnmodifiableMap(l -> l, Patterns::of));

    /**
     * One of our patterns written directly: numbers, the month's name as the locale's formatter
     * names it, and literals; a year outside 1000–9999 goes through the formatter. Every page
     * shows several dates, and the general formatter was some 8 % of a static export's Java time.
     * FormatsDirectTest compares the two.
     */
    static final class Direct {
        private enum Field { DAY, MONTH, MONTH_NAME, MONTH_SHORT, YEAR, HOUR, HOUR2, MINUTE2 }

        private final DateTimeFormatter general;
        private final List<Object> parts = new ArrayList<>();   // a Field or a literal String
        private final String[] names = new String[13];
        private final String[] shortNames = new String[13];

        Direct(String pattern, Locale locale) {
            this.general = DateTimeFormatter.ofPattern(pattern, locale);
            DateTimeFormatter name = DateTimeFormatter.ofPattern("MMMM", locale);
            DateTimeFormatter shortName = DateTimeFormatter.ofPattern("MMM", locale);
            for (int m = 1; m <= 12; m++) {
                names[m] = name.format(Month.of(m));
                shortNames[m] = shortName.format(Month.of(m));
            }
            for (int i = 0; i < pattern.length(); ) {
                char c = pattern.charAt(i);
                int j = i;
                while (j < pattern.length() && pattern.charAt(j) == c) j++;
                String run = pattern.substring(i, j);
                parts.add(switch (run) {
                    case "d" -> Field.DAY;
                    case "M" -> Field.MONTH;
                    case "MMM" -> Field.MONTH_SHORT;
                    case "MMMM" -> Field.MONTH_NAME;
                    case "uuuu" -> Field.YEAR;
                    case "H" -> Field.HOUR;
                    case "HH" -> Field.HOUR2;
                    case "mm" -> Field.MINUTE2;
                    default -> {
                        // the formatter's pattern letters are ASCII ones (年, 月 are literals)
                        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '\'') {
                            throw new IllegalArgumentException("not written directly: " + pattern);
                        }
                        yield run;
                    }
                });
                i = j;
            }
        }

        /** As the locale's formatter writes it (for the test that compares). */
        String general(TemporalAccessor t) {
            return general.format(t);
        }

        String format(TemporalAccessor t) {
            int year = t.get(ChronoField.YEAR);
            if (year < 1000 || year > 9999) return general.format(t);
            StringBuilder b = new StringBuilder(32);
            for (Object part : parts) {
                if (part instanceof String literal) {
                    b.append(literal);
                    continue;
                }
                switch ((Field) part) {
                    case DAY -> b.append(t.get(ChronoField.DAY_OF_MONTH));
                    case MONTH -> b.append(t.get(ChronoField.MONTH_OF_YEAR));
                    case MONTH_NAME -> b.append(names[t.get(ChronoField.MONTH_OF_YEAR)]);
                    case MONTH_SHORT -> b.append(shortNames[t.get(ChronoField.MONTH_OF_YEAR)]);
                    case YEAR -> b.append(year);
                    case HOUR -> b.append(t.get(ChronoField.HOUR_OF_DAY));
                    case HOUR2 -> two(b, t.get(ChronoField.HOUR_OF_DAY));
                    case MINUTE2 -> two(b, t.get(ChronoField.MINUTE_OF_HOUR));
                }
            }
            return b.toString();
        }
    }

    private final ZoneId zone;
    private final Patterns p;

    public Formats(Locale locale, ZoneId zone) {
        this.zone = zone;
        Patterns known = INTERFACE.get(locale);
        this.p = known != null ? known : Patterns.of(locale);
    }

    public ZoneId zone() {
        return zone;
    }

    public String dateTime(Instant t) {
        return t == null ? "" : p.dateTime().format(t.atZone(zone));
    }

    public String date(Instant t) {
        return t == null ? "" : p.date().format(t.atZone(zone));
    }

    public String date(LocalDate d) {
        return p.date().format(d);
    }

    public String shortDate(LocalDate d) {
        return p.shortDate().format(d);
    }

    /** A day and a time without the year, for what is near: "13 dicembre, 10:41". */
    public String dayTime(Instant t) {
        return t == null ? "" : p.dayTime().format(t.atZone(zone));
    }

    /**
     * A maintenance window as residents read it: "9 dicembre, 08:00–14:00" within a day,
     * "9 dicembre, 22:00 – 10 dicembre, 06:00" across midnight.
     */
    public String window(Instant start, Instant end) {
        var from = start.atZone(zone);
        var to = end.atZone(zone);
        if (from.toLocalDate().equals(to.toLocalDate())) return p.dayTime().format(from) + "–" + p.time().format(to);
        return p.dayTime().format(from) + " – " + p.dayTime().format(to);
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
