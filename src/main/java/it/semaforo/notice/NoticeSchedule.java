package it.semaforo.notice;

import it.semaforo.event.ChangeEvent.MaintenanceEnded;
import it.semaforo.event.ChangeEvent.MaintenanceStarted;
import it.semaforo.event.ChangeEvent.NoticeBecamePublic;
import it.semaforo.event.ChangeEvent.NoticeExpired;
import it.semaforo.event.ChangeEvent.NoticeRef;
import it.semaforo.event.Schedule;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What time does to a published avviso: a scheduled one becomes public, one with a scadenza
 * ends, a maintenance window opens and closes. A moment that no longer holds when it comes (an
 * avviso closed before its scadenza, a window after the avviso ended) is no event.
 */
public final class NoticeSchedule implements Schedule {
    private final NoticeRepository notices;

    public NoticeSchedule(NoticeRepository notices) {
        this.notices = notices;
    }

    @Override
    public List<Moment> due(Connection c, Instant after, Instant upTo) throws SQLException {
        List<Moment> moments = new ArrayList<>();
        for (NoticeRepository.Due d : notices.due(c, after, upTo)) {
            Optional<Notice> found = notices.find(c, d.noticeId());
            if (found.isEmpty()) continue;
            Notice n = found.get();
            NoticeRef ref = NoticeEvents.ref(n);
            Instant at = d.at();
            switch (d.moment()) {
                case PUBLICATION -> moments.add(new Moment(at, n.id(), s -> new NoticeBecamePublic(ref, s)));
                case EXPIRY -> {
                    // a maintenance that expires with its window simply ended (below), as planned
                    if (!n.isClosedAt(at) && !at.equals(n.windowEnd())) {
                        moments.add(new Moment(at, n.id(), s -> new NoticeExpired(ref, s)));
                    }
                }
                case WINDOW_START -> {
                    if (n.isInForceAt(at)) moments.add(new Moment(at, n.id(), s -> new MaintenanceStarted(ref, s)));
                }
                case WINDOW_END -> {
                    // ended with its window, not before (a closure or a scadenza is its own event)
                    if (n.isPublicAt(n.windowStart()) && n.isInForceAt(at.minusMillis(1))) {
                        moments.add(new Moment(at, n.id(), s -> new MaintenanceEnded(ref, s)));
                    }
                }
            }
        }
        return moments;
    }

    @Override
    public Instant next(Connection c, Instant t) throws SQLException {
        return notices.nextMoment(c, t);
    }
}
