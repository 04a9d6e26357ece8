package it.semaforo.feed;

import it.semaforo.notice.Notice;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The planned maintenances as an iCalendar stream (RFC 5545) that calendar apps subscribe to:
 * one VEVENT per window, a UID that never changes, SEQUENCE = the avviso's revision counter
 * (raised by the database at every change). Times in UTC; lines folded at 75 octets, CRLF.
 */
public final class ICalendar {
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private ICalendar() {
    }

    /** The UID of an avviso's event: its id and the configured host, never its title. */
    public static String uid(Notice n, String baseUrl) {
        return "avviso-" + n.id() + "@" + URI.create(baseUrl).getHost().toLowerCase(Locale.ROOT);
    }

    /** organizerName, organizerEmail: the comune, the ORGANIZER that iTIP's PUBLISH asks of each event. */
    public static byte[] write(List<Notice> maintenances, String baseUrl, String calendarName, String organizerName,
                               String organizerEmail) {
        StringBuilder out = new StringBuilder();
        line(out, "BEGIN:VCALENDAR");
        line(out, "VERSION:2.0");
        line(out, "PRODID:-//Semaforo//Stato dei servizi//IT");
        line(out, "CALSCALE:GREGORIAN");
        line(out, "METHOD:PUBLISH");
        line(out, "X-WR-CALNAME:" + text(calendarName));
        for (Notice n : maintenances) {
            if (n.windowStart() == null) continue;
            String url = baseUrl + n.path();
            // closed or expired before its window opened: the intervention will not happen
            Instant end = n.endOfForce();
            boolean cancelled = end != null && !end.isAfter(n.windowStart());
            line(out, "BEGIN:VEVENT");
            line(out, "UID:" + uid(n, baseUrl));
            line(out, "SEQUENCE:" + n.sequence());
            line(out, "DTSTAMP:" + UTC.format(lastModified(n)));
            line(out, "CREATED:" + UTC.format(n.createdAt()));
            line(out, "LAST-MODIFIED:" + UTC.format(lastModified(n)));
            line(out, "DTSTART:" + UTC.format(n.windowStart()));
            line(out, "DTEND:" + UTC.format(n.windowEnd()));
            line(out, "SUMMARY;LANGUAGE=" + n.language() + ":" + text(n.title()));
            line(out, "DESCRIPTION;LANGUAGE=" + n.language() + ":" + text(n.summary() + "\n\n" + url));
            line(out, "URL:" + url);
            line(out, "ORGANIZER;CN=\"" + organizerName.replaceAll("[\"\\p{Cntrl}]", "") + "\":mailto:" + organizerEmail);
            line(out, "STATUS:" + (cancelled ? "CANCELLED" : "CONFIRMED"));
            line(out, "TRANSP:TRANSPARENT");
            line(out, "CLASS:PUBLIC");
            line(out, "END:VEVENT");
        }
        line(out, "END:VCALENDAR");
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The newest of the avviso's own changes and its updates. */
    public static Instant lastModified(Notice n) {
        Instant last = n.updatedAt();
        Instant update = n.lastUpdatedAt();
        return update != null && update.isAfter(last) ? update : last;
    }

    /** TEXT value escaping (RFC 5545 3.3.11); control characters dropped. */
    static String text(String s) {
        return s.replace("\r\n", "\n").replaceAll("[\\p{Cntrl}&&[^\\n]]", "")
                .replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n");
    }

    /** Folds a content line at 75 octets without splitting a UTF-8 character, then CRLF. */
    private static void line(StringBuilder out, String line) {
        int octets = 0;
        for (int i = 0; i < line.length(); ) {
            int cp = line.codePointAt(i);
            int len = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (octets + len > 75) {
                out.append("\r\n ");
                octets = 1;
            }
            out.appendCodePoint(cp);
            octets += len;
            i += Character.charCount(cp);
        }
        out.append("\r\n");
    }
}
