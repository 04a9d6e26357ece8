package it.semaforo.feed;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** Dates as each format wants them, with the offset of the configured zone at that instant. */
final class FeedDates {
    /** RFC 822 as RSS 2.0 uses it, with a four-digit year and a numeric offset: English names, whatever the locale. */
    private static final DateTimeFormatter RFC_822 = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.ENGLISH);

    private FeedDates() {
    }

    /** RFC 3339, for Atom: 2026-11-12T10:19:00+01:00. */
    static String rfc3339(Instant t, ZoneId zone) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t.truncatedTo(ChronoUnit.SECONDS).atZone(zone));
    }

    /** RFC 822, for RSS: Thu, 12 Nov 2026 10:19:00 +0100. */
    static String rfc822(Instant t, ZoneId zone) {
        return RFC_822.format(t.truncatedTo(ChronoUnit.SECONDS).atZone(zone));
    }
}
