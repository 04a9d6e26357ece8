package it.semaforo.status;

import it.semaforo.db.Database;
import it.semaforo.notice.NoticeRepository;
import it.semaforo.service.ServiceCatalog;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/**
 * Builds the read model at the current instant of the injected clock, and keeps it while it
 * is true: until the database announces a change ({@link #invalidate}), the model's own next
 * change (an expiry, a publication, a window) or midnight, when the 90-day history moves.
 */
public final class StatusService {
    private final ServiceCatalog services;
    private final NoticeRepository notices;
    private final Clock clock;
    private final ZoneId zone;
    private volatile Memo memo;
    /** Bumped by every change: a model loaded across a change is not kept. */
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();

    private record Memo(ReadModel model, Instant until) {
        boolean holdsAt(Instant t) {
            return !t.isBefore(model.now()) && t.isBefore(until);
        }
    }

    /** Listens to the database's changes itself, so that no caller can forget to. */
    public StatusService(Database db, ServiceCatalog services, NoticeRepository notices, Clock clock, ZoneId zone) {
        db.onChange(this::invalidate);
        this.services = services;
        this.notices = notices;
        this.clock = clock;
        this.zone = zone;
    }

    /** Forgets the kept model: called on every committed write. */
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
        Instant midnight = now.atZone(zone).toLocalDate().plusDays(1).atStartOfDay(zone).toInstant();
        Instant next = model.validUntil();
        if (generation.get() == before) memo = new Memo(model, next == null || midnight.isBefore(next) ? midnight : next);
        return model;
    }

    private ReadModel load(Instant now) {
        // a day more than the history shows, so the oldest day is complete in any zone
        Instant since = now.minus(Duration.ofDays(ReadModel.HISTORY_DAYS + 1));
        return new ReadModel(now, zone, services.load(), notices.inForceSince(now), () -> notices.inForceSince(since));
    }
}
