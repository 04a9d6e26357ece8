package it.semaforo.notify;

import it.semaforo.db.Database;
import it.semaforo.event.ChangeEvent;
import it.semaforo.event.ChangeEvent.NoticeEvent;
import it.semaforo.event.LoggedEvent;
import it.semaforo.service.Catalog;
import it.semaforo.service.Service;
import it.semaforo.service.ServiceCatalog;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The durable subscriber of the event log that decides who is told: each public event worth a
 * mail becomes, for every confirmed subscriber who follows what it touches, a row of the outbox
 * (joined to the mail still waiting for them, when there is one). The rows and how far they
 * got are written in the same transactions: a batch delivered again adds nothing twice.
 */
public final class EventMails {
    static final String PROGRESS = "mail";
    /** The event whose rows are being written, and the last subscriber (by number) written for it. */
    static final String PARTIAL_EVENT = "mail.event", PARTIAL_SUBSCRIBER = "mail.subscriber";
    static final int CHUNK = 500;
    private final Database db;
    private final Outbox outbox;
    private final Subscriptions subscriptions;
    private final ServiceCatalog catalog;
    private final Clock clock;
    private final Duration window;
    private final Runnable wake;

    public EventMails(Database db, Outbox outbox, Subscriptions subscriptions, ServiceCatalog catalog, Clock clock,
                      Duration window, Runnable wake) {
        this.db = db;
        this.outbox = outbox;
        this.subscriptions = subscriptions;
        this.catalog = catalog;
        this.clock = clock;
        this.window = window;
        this.wake = wake;
    }

    /**
     * Whether residents are mailed about this event: the public moments of an avviso's life, and
     * the updates and edits the clerk chose to tell subscribers about (an update unless the clerk
     * marked it a correction; an edit only when asked). Webhooks are not bound by that choice:
     * they receive every public event.
     */
    public static boolean mailable(ChangeEvent e) {
        if (!e.isPublic()) return false;
        if (e instanceof ChangeEvent.NoticePublished p) return !p.scheduled();
        if (e instanceof ChangeEvent.NoticeUpdated u) return u.notifySubscribers();
        if (e instanceof ChangeEvent.NoticeEdited d) return d.notifySubscribers();
        // a new scadenza, attachments, derived states, catalogue, housekeeping: no mail
        return e instanceof ChangeEvent.NoticeBecamePublic
                || e instanceof ChangeEvent.NoticeExpired || e instanceof ChangeEvent.NoticeWithdrawn
                || e instanceof ChangeEvent.MaintenanceStarted || e instanceof ChangeEvent.MaintenanceEnded;
    }

    /**
     * Each event's rows are written CHUNK subscribers per transaction, so that a mailing to
     * thousands never holds the database's one writer for long (a clerk's write waits at most
     * for one chunk); the sender starts on the first chunks meanwhile. The subscriber reached
     * inside the event is committed with each chunk, and the event counts as handled with its
     * last: a crash in the middle resumes after the last chunk written, adding nothing twice.
     */
    public void deliver(List<LoggedEvent> batch) {
        long last = batch.get(batch.size() - 1).seq();
        if (batch.stream().anyMatch(e -> mailable(e.event()))) {
            Catalog cat = catalog.load();
            for (LoggedEvent le : batch) {
                if (mailable(le.event())) deliver(le, cat);
            }
        }
        db.write(c -> setProgress(c, last));
        wake.run();
    }

    private void deliver(LoggedEvent le, Catalog cat) {
        NoticeEvent e = (NoticeEvent) le.event();
        Set<Long> services = new HashSet<>();
        Set<Long> groups = new HashSet<>();
        for (ChangeEvent.ServiceChange s : e.services()) {
            services.add(s.id());
            Service found = cat.services().stream().filter(x -> x.id() == s.id()).findFirst().orElse(null);
            if (found != null) groups.add(found.groupId());
        }
        boolean done = false;
        while (!done) {
            done = db.write(c -> {
                if (progress(c, PROGRESS) >= le.seq()) return true;   // handled before (a batch delivered again)
                long after = progress(c, PARTIAL_EVENT) == le.seq() ? progress(c, PARTIAL_SUBSCRIBER) : 0;
                List<Subscriber> chunk = subscriptions.active(c, after, CHUNK);
                Instant now = clock.instant();
                for (Subscriber s : chunk) {
                    if (s.choices().follows(e.notice().kind(), services, groups)) outbox.addEvent(c, s, le.seq(), now, window);
                }
                if (chunk.size() < CHUNK) {
                    setProgress(c, le.seq());
                    return true;
                }
                put(c, PARTIAL_EVENT, le.seq());
                put(c, PARTIAL_SUBSCRIBER, chunk.get(chunk.size() - 1).id());
                return false;
            });
            if (!done) wake.run();
        }
    }

    private static void put(java.sql.Connection c, String name, long value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO notify_progress(name, seq) VALUES (?, ?) "
                + "ON CONFLICT(name) DO UPDATE SET seq = excluded.seq")) {
            ps.setString(1, name);
            ps.setLong(2, value);
            ps.executeUpdate();
        }
    }

    private static long progress(java.sql.Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT seq FROM notify_progress WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    private static Void setProgress(java.sql.Connection c, long seq) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO notify_progress(name, seq) VALUES (?, ?) "
                + "ON CONFLICT(name) DO UPDATE SET seq = MAX(seq, excluded.seq)")) {
            ps.setString(1, PROGRESS);
            ps.setLong(2, seq);
            ps.executeUpdate();
        }
        return null;
    }
}
