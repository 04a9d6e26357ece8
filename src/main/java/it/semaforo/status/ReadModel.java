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
 * Everything public at one instant: the services, the avvisi that matter from 90 days ago
 * on, and the states derived from them. Every output (page, feed, JSON) reads from this.
 */
public final class ReadModel {
    public static final int HISTORY_DAYS = 90;

    private final Instant now;
    private final ZoneId zone;
    private final Catalog catalog;
    private final List<Notice> notices;
    private final Timeline timeline;
    private final Map<Long, ServiceStatus> statuses;

    public ReadModel(Instant now, ZoneId zone, Catalog catalog, List<Notice> notices) {
        this.now = now;
        this.zone = zone;
        this.catalog = catalog;
        this.notices = List.copyOf(notices);
        this.timeline = new Timeline(catalog, notices);
        this.statuses = timeline.statusAt(now);
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

    /** Every published avviso in force at some instant of the last 90 days, future ones included. */
    public List<Notice> notices() {
        return notices;
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
        return timeline.history(s.id(), now, zone, HISTORY_DAYS);
    }

    /** When the model stops being true by itself (a publication, an expiry, a window): null if never. */
    public Instant validUntil() {
        return timeline.nextChangeAfter(now);
    }

    public Timeline timeline() {
        return timeline;
    }
}
