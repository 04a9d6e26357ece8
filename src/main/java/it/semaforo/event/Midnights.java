package it.semaforo.event;

import it.semaforo.event.ChangeEvent.DayBegan;

import java.sql.Connection;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/** Each midnight in the comune's time zone: the 90-day histories move by a day. */
public final class Midnights implements Schedule {
    private final ZoneId zone;

    public Midnights(ZoneId zone) {
        this.zone = zone;
    }

    @Override
    public List<Moment> due(Connection c, Instant after, Instant upTo) {
        List<Moment> due = new ArrayList<>();
        // a server down for a month announces only the last midnight: the histories move once
        Instant last = null;
        LocalDate lastDate = null;
        for (LocalDate d = after.atZone(zone).toLocalDate().plusDays(1); ; d = d.plusDays(1)) {
            Instant start = d.atStartOfDay(zone).toInstant();
            if (start.isAfter(upTo)) break;
            last = start;
            lastDate = d;
        }
        if (last != null) {
            LocalDate date = lastDate;
            due.add(new Moment(last, null, s -> new DayBegan(date)));
        }
        return due;
    }

    @Override
    public Instant next(Connection c, Instant t) {
        return t.atZone(zone).toLocalDate().plusDays(1).atStartOfDay(zone).toInstant();
    }
}
