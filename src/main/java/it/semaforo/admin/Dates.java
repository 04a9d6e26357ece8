package it.semaforo.admin;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.List;
import java.util.Optional;

/**
 * Dates typed by clerks, in the configured zone: the value of an input type=datetime-local
 * ("2026-11-24T18:30"), or what someone types where the browser shows a plain text box
 * ("24/11/2026 18:30").
 */
final class Dates {
    private static final DateTimeFormatter LOCAL_INPUT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm");
    private static final List<DateTimeFormatter> ACCEPTED = List.of(
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm[:ss]").withResolverStyle(ResolverStyle.STRICT),
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm[:ss]").withResolverStyle(ResolverStyle.STRICT),
            DateTimeFormatter.ofPattern("d/M/uuuu H:mm").withResolverStyle(ResolverStyle.STRICT),
            DateTimeFormatter.ofPattern("d/M/uuuu, H:mm").withResolverStyle(ResolverStyle.STRICT),
            DateTimeFormatter.ofPattern("d/M/uuuu 'ore' H:mm").withResolverStyle(ResolverStyle.STRICT));

    private Dates() {
    }

    /** Empty for a blank or unreadable text; the caller tells the two apart. */
    static Optional<Instant> parse(String text, ZoneId zone) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty() || t.length() > 40) return Optional.empty();
        for (DateTimeFormatter f : ACCEPTED) {
            try {
                LocalDateTime local = LocalDateTime.parse(t, f);
                if (local.getYear() < 2000 || local.getYear() > 2999) return Optional.empty();
                // a time skipped by the change to summer time moves forward, as a wall clock does
                return Optional.of(local.atZone(zone).toInstant());
            } catch (DateTimeParseException | ArithmeticException ignored) {
                // try the next accepted form
            } catch (DateTimeException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The value attribute of a datetime-local input. */
    static String input(Instant t, ZoneId zone) {
        return t == null ? "" : LOCAL_INPUT.format(t.atZone(zone));
    }
}
