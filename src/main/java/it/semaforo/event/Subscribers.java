package it.semaforo.event;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Who hears of committed changes, in the order they were registered at assembly, each from
 * its own cursor in the log: a subscriber gets every event once, in order, in batches. One that
 * fails blocks neither the write nor the others: it stays where it was and is tried again, with
 * a growing pause, by the background round. A durable subscriber's cursor is kept in the
 * database (it catches up after a restart); a volatile one (a cache, empty at start) starts at
 * the end of the log.
 */
public final class Subscribers {
    private static final Logger log = LoggerFactory.getLogger(Subscribers.class);
    private static final int BATCH = 500;
    private static final Duration MAX_PAUSE = Duration.ofMinutes(5);

    /** When a subscriber hears: before the write is acknowledged to the clerk, or in the background round. */
    public enum Delivery { BEFORE_ACKNOWLEDGEMENT, BACKGROUND }

    @FunctionalInterface
    public interface Subscriber {
        /** Handles a batch, oldest first; throwing leaves the cursor where it was, to be tried again. */
        void deliver(List<LoggedEvent> events) throws Exception;
    }

    /** What the admin and /health show of a subscriber. */
    public record Status(String name, long cursor, int failures, String lastError) {
    }

    private final EventLog events;
    private final Clock clock;
    private final List<Registration> registrations = new CopyOnWriteArrayList<>();
    /**
     * The batch read last, from the cursor it was read after: the subscribers at the same cursor
     * (all of them, after a write) share its rows and their decoding instead of each reading the
     * same events again. Events never change once logged, so a batch stays true.
     */
    private volatile Read lastRead;

    private record Read(long after, List<LoggedEvent> events) {
    }

    public Subscribers(EventLog events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    private final class Registration {
        final String name;
        final Delivery delivery;
        final boolean durable;
        final Subscriber subscriber;
        long cursor;
        int failures;
        Instant retryAt = Instant.MIN;
        String lastError;

        Registration(String name, Delivery delivery, boolean durable, Subscriber subscriber, long cursor) {
            this.name = name;
            this.delivery = delivery;
            this.durable = durable;
            this.subscriber = subscriber;
            this.cursor = cursor;
        }
    }

    /**
     * Registers a subscriber after those already registered. durable: its cursor is kept in the
     * database under name (a new one starts at the end of the log); else it starts at the end.
     */
    public void register(String name, Delivery delivery, boolean durable, Subscriber subscriber) {
        long head = events.head(false);
        long cursor = durable ? events.cursor(name) : head;
        Registration r = new Registration(name, delivery, durable, subscriber, cursor < 0 ? head : cursor);
        if (durable && cursor < 0) save(r);
        registrations.add(r);
    }

    /** After a commit: the subscribers that must hear before the acknowledgement hear now. */
    void committed() {
        long head = events.head(false);   // this write's events are at or before it; a later write drains its own
        for (Registration r : registrations) {
            if (r.delivery == Delivery.BEFORE_ACKNOWLEDGEMENT) drain(r, head);
        }
    }

    /** The background round: every subscriber that is behind and not pausing after a failure. */
    public void round() {
        long head = events.head(false);
        for (Registration r : registrations) drain(r, head);
    }

    public List<Status> status() {
        return registrations.stream().map(r -> {
            synchronized (r) {
                return new Status(r.name, r.cursor, r.failures, r.lastError);
            }
        }).toList();
    }

    /** Delivers everything after the subscriber's cursor up to head, in batches; stops at its first failure. */
    private void drain(Registration r, long head) {
        synchronized (r) {   // one delivery per subscriber at a time: in order, never twice
            if (r.failures > 0 && clock.instant().isBefore(r.retryAt)) return;
            while (r.cursor < head) {
                List<LoggedEvent> batch = batch(r.cursor, head);
                if (batch.isEmpty()) return;
                try {
                    r.subscriber.deliver(batch);
                } catch (Exception | LinkageError e) {
                    r.failures++;
                    Duration pause = Duration.ofSeconds(1L << Math.min(r.failures, 8));
                    r.retryAt = clock.instant().plus(pause.compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause);
                    r.lastError = String.valueOf(e.getMessage());
                    // the first failure in full, then one line each: a subscriber down for an hour must not fill the log
                    if (r.failures == 1) log.warn("subscriber {} failed at event {}; will try again", r.name, r.cursor + 1, e);
                    else log.warn("subscriber {} failed again ({} times): {}", r.name, r.failures, r.lastError);
                    return;
                }
                r.cursor = batch.get(batch.size() - 1).seq();
                if (r.failures > 0) log.info("subscriber {} delivered again after {} failures", r.name, r.failures);
                r.failures = 0;
                r.lastError = null;
                if (r.durable) save(r);
            }
        }
    }

    /** The events after cursor, at most BATCH: the shared batch when it covers them up to head, else read now. */
    private List<LoggedEvent> batch(long cursor, long head) {
        Read last = lastRead;
        if (last != null && last.after() == cursor && !last.events().isEmpty()
                && (last.events().size() == BATCH || last.events().get(last.events().size() - 1).seq() >= head)) {
            return last.events();
        }
        List<LoggedEvent> read = List.copyOf(events.after(cursor, BATCH, false));
        lastRead = new Read(cursor, read);
        return read;
    }

    private void save(Registration r) {
        events.saveCursor(r.name, r.cursor, clock.instant());
    }
}
