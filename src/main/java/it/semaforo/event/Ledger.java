package it.semaforo.event;

import it.semaforo.db.Database;
import it.semaforo.event.ChangeEvent.ServiceChange;
import it.semaforo.event.ChangeEvent.ServiceStateChanged;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Every public write of the domain goes through here: one SQLite transaction that makes the
 * change and appends its events to the log, so that there is never a change without its event
 * nor an event without its change. Before the change, time is brought up to date (whatever fell
 * due since the last write becomes its events first, in order); after it, the services whose
 * derived state moved get an event each. Once committed, the subscribers hear of it.
 */
public final class Ledger {
    private final Database db;
    private final EventLog log;
    private final Clock clock;
    private final List<Schedule> schedules = new ArrayList<>();
    private volatile Derivation derivation = Derivation.NONE;
    private volatile Subscribers subscribers;
    /** The next instant at which time changes something (see Schedule), or null if none is planned. */
    private volatile Instant horizon;

    public Ledger(Database db, EventLog log, Clock clock) {
        this.db = db;
        this.log = log;
        this.clock = clock;
    }

    /** Assembly: how the public states are derived (the status package). */
    public void derivation(Derivation d) {
        this.derivation = Objects.requireNonNull(d);
    }

    /** Assembly: a source of changes made by time. */
    public void schedule(Schedule s) {
        schedules.add(s);
        horizon = db.read(this::nextFromNow);
    }

    /** Assembly: who hears of committed changes. */
    public void subscribers(Subscribers s) {
        this.subscribers = s;
    }

    public EventLog log() {
        return log;
    }

    /** The work of one change: it writes through tx.connection() and announces what it did. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Tx tx) throws SQLException;
    }

    /** One transaction as the work sees it. */
    public interface Tx {
        Connection connection();

        /** The instant of the change. */
        Instant now();

        /** An event about no avviso (the catalogue, say). */
        void announce(ChangeEvent event);

        /** An event about an avviso, built from its services' states before and after the change. */
        void announce(long noticeId, Function<List<ServiceChange>, ChangeEvent> event);
    }

    private record Pending(Long noticeId, Function<List<ServiceChange>, ChangeEvent> event) {
    }

    /** Runs work in one transaction with its events; the subscribers hear of it before this returns. */
    public <T> T write(Work<T> work) {
        T result = db.write(c -> {
            Instant now = clock.instant();
            advance(c, now);
            Map<Long, ServiceChange> before = derivation.states(c, now);
            List<Pending> pending = new ArrayList<>();
            T r = work.run(new Tx() {
                public Connection connection() {
                    return c;
                }

                public Instant now() {
                    return now;
                }

                public void announce(ChangeEvent event) {
                    pending.add(new Pending(null, s -> event));
                }

                public void announce(long noticeId, Function<List<ServiceChange>, ChangeEvent> event) {
                    pending.add(new Pending(noticeId, event));
                }
            });
            if (!pending.isEmpty()) append(c, now, pending, before, derivation.states(c, now));
            horizon = nextFromNow(c);
            return r;
        });
        delivered();
        return result;
    }

    /**
     * Turns what fell due up to now into events (the clock's tick, and a start after a stop:
     * what fell due while the server was down is announced once). Does nothing, and writes
     * nothing, while nothing is due.
     */
    public void tick() {
        Instant h = horizon;
        if (h == null || clock.instant().isBefore(h)) return;
        db.write(c -> {
            advance(c, clock.instant());
            horizon = nextFromNow(c);
            return null;
        });
        delivered();
    }

    /** When time next changes something: the caches keep what they rendered until then. Null: never. */
    public Instant horizon() {
        return horizon;
    }

    /**
     * The first instant after t at which time changes something, as the schedules say (null:
     * none); a read, which announces nothing.
     */
    public Instant nextAfter(Instant t) {
        return db.read(c -> next(c, t));
    }

    private void delivered() {
        Subscribers s = subscribers;
        if (s != null) s.committed();
    }

    /** Announces, in order, what fell due in (last instant, now], and moves the last instant to now. */
    private void advance(Connection c, Instant now) throws SQLException {
        Instant last = log.lastInstant(c);
        if (last == null) {   // a new log: time starts now, nothing of the past is announced
            log.setLastInstant(c, now);
            return;
        }
        if (!now.isAfter(last)) return;   // a clock set back: what was announced stays announced
        List<Schedule.Moment> due = new ArrayList<>();
        for (Schedule s : schedules) due.addAll(s.due(c, last, now));
        due.sort(Comparator.comparing(Schedule.Moment::at));
        for (Schedule.Moment m : due) {
            append(c, m.at(), List.of(new Pending(m.noticeId(), m.event())),
                    derivation.states(c, m.at().minusMillis(1)), derivation.states(c, m.at()));
        }
        log.setLastInstant(c, now);
    }

    /**
     * Appends the events of one change, each with its avviso's services, then one
     * service.state_changed per service whose public state moved, caused by the first event.
     */
    private void append(Connection c, Instant at, List<Pending> pending, Map<Long, ServiceChange> before,
                        Map<Long, ServiceChange> after) throws SQLException {
        ChangeEvent cause = null;
        for (Pending p : pending) {
            List<ServiceChange> services = p.noticeId() == null ? List.of()
                    : services(derivation.servicesNamedBy(c, p.noticeId()), before, after);
            ChangeEvent e = p.event().apply(services);
            log.append(c, at, e);
            if (cause == null) cause = e;
        }
        Map<Long, ServiceChange> moved = new LinkedHashMap<>();
        for (ServiceChange now : after.values()) {
            ServiceChange was = before.get(now.id());
            ServiceChange change = new ServiceChange(now.id(), now.slug(), now.name(),
                    was == null ? null : was.after(), now.after());
            if (change.changed()) moved.put(now.id(), change);
        }
        for (ServiceChange change : moved.values()) {
            log.append(c, at, new ServiceStateChanged(change, cause.type(), cause.noticeId()));
        }
    }

    private static List<ServiceChange> services(Set<Long> ids, Map<Long, ServiceChange> before,
                                                Map<Long, ServiceChange> after) {
        List<ServiceChange> list = new ArrayList<>();
        for (ServiceChange now : after.values()) {
            if (!ids.contains(now.id())) continue;
            ServiceChange was = before.get(now.id());
            list.add(new ServiceChange(now.id(), now.slug(), now.name(), was == null ? null : was.after(), now.after()));
        }
        return list;
    }

    /**
     * The next instant after the last one announced, or after now if the clock was set back
     * (a test, an operator correcting the time): what is shown must still change on time.
     */
    private Instant nextFromNow(Connection c) throws SQLException {
        Instant last = log.lastInstant(c);
        Instant now = clock.instant();
        return next(c, last == null || now.isBefore(last) ? now : last);
    }

    private Instant next(Connection c, Instant from) throws SQLException {
        Instant next = null;
        for (Schedule s : schedules) {
            Instant n = s.next(c, from);
            if (n != null && (next == null || n.isBefore(next))) next = n;
        }
        return next;
    }
}
