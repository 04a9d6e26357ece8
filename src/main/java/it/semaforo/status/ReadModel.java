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
    /** Avvisi not ended by now (in force or to come): all the current states need. */
    private final List<Notice> current;
    private final Timeline currentTimeline;
    private final Map<Long, ServiceStatus> statuses;
    /** Computed once: every output rendered from this model asks for it. */
    private final Instant validUntil;
    private final java.util.function.Supplier<List<Notice>> lastDays;
    private volatile List<Notice> recent;
    private volatile Timeline recentTimeline;

    /**
     * notices: every published avviso not ended by now (in force or to come); lastDays: those
     * in force at some instant of the last HISTORY_DAYS days, asked for only when a history is;
     * validUntil: when time next changes what is shown, as the clock of the event log says.
     */
    public ReadModel(Instant now, ZoneId zone, Catalog catalog, List<Notice> notices,
                     java.util.function.Supplier<List<Notice>> lastDays, Instant validUntil) {
        this.now = now;
        this.zone = zone;
        this.catalog = catalog;
        this.current = List.copyOf(notices);
        this.currentTimeline = new Timeline(catalog, current);
        this.statuses = currentTimeline.statusAt(now);
        this.validUntil = validUntil;
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

    /**
     * Every published avviso in force at some instant of the last 90 days, future ones
     * included: loaded on first use (the history, the API's past reports).
     */
    public List<Notice> notices() {
        List<Notice> r = recent;
        if (r == null) recent = r = List.copyOf(lastDays.get());
        return r;
    }

    /** The derivation over the last 90 days: states at past instants, the history. */
    public Timeline timeline() {
        Timeline t = recentTimeline;
        if (t == null) recentTimeline = t = new Timeline(catalog, notices());
        return t;
    }

    /** Avvisi in force now, newest first. */
    public List<Notice> inForce() {
        return current.stream().filter(n -> n.isInForceAt(now))
                .sorted(Comparator.comparing(Notice::publishedAt).reversed()).toList();
    }

    /** A maintenance announced for a window that has not started yet. */
    public boolean isUpcoming(Notice n) {
        return n.windowStart() != null && n.windowStart().isAfter(now);
    }

    /** Avvisi in force now that name the service, directly or through one of its providers. */
    public List<Notice> inForceFor(Service s) {
        return inForce().stream().filter(n -> currentTimeline.servicesNamedBy(n).contains(s.id())).toList();
    }

    public List<Service> servicesNamedBy(Notice n) {
        return currentTimeline.servicesNamedBy(n).stream().map(catalog::service).flatMap(java.util.Optional::stream).toList();
    }

    public List<DayStatus> history(Service s) {
        return timeline().history(s.id(), now, zone, HISTORY_DAYS);
    }

    /**
     * When the model stops being true by itself (a publication, an expiry, a window, midnight,
     * which moves the histories), as the clock of the event log says: null if never.
     */
    public Instant validUntil() {
        return validUntil;
    }
}
