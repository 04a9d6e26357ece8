package it.semaforo.status;

import it.semaforo.notice.NoticeRepository;
import it.semaforo.service.ServiceCatalog;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.function.UnaryOperator;

/**
 * Builds the read model at the current instant of the injected clock, and keeps it while it
 * is true: until a change is announced ({@link #invalidate}, a subscriber of the event log) or
 * the clock's next instant (a publication, an expiry, a window, midnight), which the event
 * clock tells (until): nothing here guesses when time changes what is shown.
 */
public final class StatusService {
    private final ServiceCatalog services;
    private final NoticeRepository notices;
    private final Clock clock;
    private final ZoneId zone;
    private final UnaryOperator<Instant> until;
    private volatile Memo memo;
    /** Bumped by every change: a model loaded across a change is not kept. */
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();

    private record Memo(ReadModel model) {
        boolean holdsAt(Instant t) {
            Instant until = model.validUntil();
            return !t.isBefore(model.now()) && (until == null || t.isBefore(until));
        }
    }

    /**
     * until: until when what is read at an instant holds (event.Clockwork#until: when time next
     * changes something, null if never; an instant passed if the clock is yet to announce it).
     */
    public StatusService(ServiceCatalog services, NoticeRepository notices, Clock clock, ZoneId zone,
                         UnaryOperator<Instant> until) {
        this.services = services;
        this.notices = notices;
        this.clock = clock;
        this.zone = zone;
        this.until = until;
    }

    /** Forgets the kept model: called for every committed change. */
    public void invalidate() {
        generation.incrementAndGet();
        memo = null;
    }

    public ReadModel now() {
        Instant now = clock.instant();
        Memo m = memo;
        if (m != null && m.holdsAt(now)) return m.model();
        long before = generation.get();
        ReadModel model = load(now);
        if (generation.get() == before) memo = new Memo(model);
        return model;
    }

    private ReadModel load(Instant now) {
        // a day more than the history shows, so the oldest day is complete in any zone
        Instant since = now.minus(Duration.ofDays(ReadModel.HISTORY_DAYS + 1));
        return new ReadModel(now, zone, services.load(), notices.inForceSince(now), () -> notices.inForceSince(since),
                until.apply(now));
    }
}
