package it.semaforo.status;

import it.semaforo.notice.Notice;
import it.semaforo.service.Catalog;
import it.semaforo.service.Service;
import it.semaforo.service.ServiceState;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Everything public at one instant: the services, the avvisi in force now or later, the
 * states derived from them, and (loaded on first use, for the service pages) the avvisi of the
 * last 90 days behind the history. Every output (page, feed, JSON) reads from this.
 */
public final class ReadModel {
    public static final int HISTORY_DAYS = 90;

    private final Instant now;
    private final ZoneId zone;
    private final Catalog catalog;
    private final List<Notice> notices;
    private final Timeline timeline;
    private final Map<Long, ServiceStatus> statuses;
    private final java.util.function.Supplier<List<Notice>> lastDays;
    private volatile Timeline historyTimeline;

    /**
     * notices: every published avviso not ended by now (in force or to come); lastDays: those
     * in force at some instant of the last HISTORY_DAYS days, asked for only when a history is.
     */
    public ReadModel(Instant now, ZoneId zone, Catalog catalog, List<Notice> notices,
                     java.util.function.Supplier<List<Notice>> lastDays) {
        this.now = now;
        this.zone = zone;
        this.catalog = catalog;
        this.notices = List.copyOf(notices);
        this.timeline = new Timeline(catalog, notices);
        this.statuses = timeline.statusAt(now);
        this.lastDays = lastDays;
    }

    public Instant now() {
        return now;
    }

    public ZoneId zone() {
        return zone;
    }

    public Catalog catalog() {
        return catalog;
    }

    public ServiceStatus status(Service s) {
        return statuses.getOrDefault(s.id(), ServiceStatus.OPERATIONAL);
    }

    /** The worst state of all services: the overall banner. */
    public ServiceState overall() {
        return statuses.values().stream().map(ServiceStatus::state)
                .reduce(ServiceState.OPERATIONAL, ServiceState::worst);
    }

    public long countIn(ServiceState state) {
        return statuses.values().stream().filter(s -> s.state() == state).count();
    }

    /** Avvisi in force now, newest first. */
    public List<Notice> inForce() {
        return notices.stream().filter(n -> n.isInForceAt(now))
                .sorted(Comparator.comparing(Notice::publishedAt).reversed()).toList();
    }

    /** A maintenance announced for a window that has not started yet. */
    public boolean isUpcoming(Notice n) {
        return n.windowStart() != null && n.windowStart().isAfter(now);
    }

    /** Avvisi in force now that name the service, directly or through one of its providers. */
    public List<Notice> inForceFor(Service s) {
        return inForce().stream().filter(n -> timeline.servicesNamedBy(n).contains(s.id())).toList();
    }

    public List<Service> servicesNamedBy(Notice n) {
        return timeline.servicesNamedBy(n).stream().map(catalog::service).flatMap(java.util.Optional::stream).toList();
    }

    public List<DayStatus> history(Service s) {
        Timeline t = historyTimeline;
        if (t == null) historyTimeline = t = new Timeline(catalog, lastDays.get());
        return t.history(s.id(), now, zone, HISTORY_DAYS);
    }

    /** When the model stops being true by itself (a publication, an expiry, a window): null if never. */
    public Instant validUntil() {
        return timeline.nextChangeAfter(now);
    }

    public Timeline timeline() {
        return timeline;
    }
}
