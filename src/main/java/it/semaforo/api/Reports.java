package it.semaforo.api;

import it.semaforo.notice.Impact;
import it.semaforo.notice.Notice;
import it.semaforo.notice.NoticeKind;
import it.semaforo.notice.NoticeUpdate;
import it.semaforo.service.Catalog;
import it.semaforo.service.ServiceState;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * An avviso seen as a Statuspage incident or scheduled maintenance: its status now and its
 * reports ("incident_updates"). Statuspage has statuses we do not store; they are derived
 * here, in one place:
 * <ul>
 * <li>incident: an outage starts as investigating, any other kind as identified (the comune
 *     knows what it announces); an update that brings every target back to operational while the
 *     avviso stays open is monitoring; the closing update, or the expiry, is resolved;</li>
 * <li>maintenance: scheduled before its window, in_progress inside it, completed once the
 *     window ends, or the avviso is closed or expires.</li>
 * </ul>
 * The publication is the first report; the opening of a maintenance window and an end that
 * comes by itself (expiry, end of the window) get a report written for us, as Statuspage's
 * automatic transitions do, so that the newest report always tells the current status.
 */
public final class Reports {
    /** One report: when, with which status, and the services whose state it may change. */
    public record Report(String id, String status, String body, Instant at, Set<Long> services, Kind kind) {
    }

    public enum Kind { PUBLICATION, UPDATE, WINDOW_START, END }

    private final Notice notice;
    private final Catalog catalog;
    private final Instant now;
    private final boolean maintenance;
    private final Instant end;

    public Reports(Notice notice, Catalog catalog, Instant now) {
        this.notice = notice;
        this.catalog = catalog;
        this.now = now;
        this.maintenance = isMaintenance(notice);
        this.end = maintenance
                ? Stream.of(notice.closedAt(), notice.expiresAt(), notice.windowEnd()).filter(t -> t != null)
                        .min(Comparator.naturalOrder()).orElse(null)
                : notice.endOfForce();
    }

    /** Planned maintenance with a window becomes a scheduled maintenance; every other avviso an incident. */
    public static boolean isMaintenance(Notice n) {
        return n.kind() == NoticeKind.MAINTENANCE && n.windowStart() != null && n.windowEnd() != null;
    }

    public boolean maintenance() {
        return maintenance;
    }

    /** When it ended (closed, expired, window over), if that has happened by now. */
    public Instant resolvedAt() {
        return end != null && !end.isAfter(now) ? end : null;
    }

    public String status() {
        if (maintenance) return phase(now);
        if (resolvedAt() != null) return "resolved";
        return reports().stream().filter(r -> !r.at().isAfter(now)).findFirst().map(Report::status).orElse("investigating");
    }

    /** The instant it first went into monitoring, if it did. */
    public Instant monitoringAt() {
        return reports().stream().filter(r -> r.status().equals("monitoring")).map(Report::at)
                .min(Comparator.naturalOrder()).orElse(null);
    }

    /** Every report, newest first. */
    public List<Report> reports() {
        List<Report> out = new ArrayList<>();
        Instant published = notice.publishedAt();
        String firstText = !notice.summary().isBlank() ? notice.summary() : !notice.body().isBlank() ? notice.body() : notice.title();
        out.add(new Report(ApiIds.publication(notice.id()),
                maintenance ? phase(published) : notice.kind() == NoticeKind.OUTAGE ? "investigating" : "identified",
                firstText, published, servicesOf(notice.impacts().stream().filter(i -> i.updateId() == null).toList()),
                Kind.PUBLICATION));
        for (NoticeUpdate u : notice.updates()) {
            Set<Long> services = servicesOf(notice.impacts().stream().filter(i -> Long.valueOf(u.id()).equals(i.updateId())).toList());
            if (u.closes() && services.isEmpty()) services = servicesOf(notice.impacts());
            String status;
            if (u.closes()) status = maintenance ? "completed" : "resolved";
            else if (maintenance) status = phase(u.createdAt());
            else status = allOperationalAt(u.createdAt()) ? "monitoring" : "identified";
            out.add(new Report(ApiIds.update(u.id()), status, u.body(), u.createdAt(), services, Kind.UPDATE));
        }
        if (maintenance && notice.windowStart().isAfter(published) && !notice.windowStart().isAfter(now)
                && (end == null || notice.windowStart().isBefore(end))) {
            out.add(new Report(ApiIds.windowStart(notice.id()), "in_progress", null, notice.windowStart(),
                    servicesOf(notice.impacts()), Kind.WINDOW_START));
        }
        boolean endsByItself = end != null && (notice.closedAt() == null || end.isBefore(notice.closedAt()));
        if (endsByItself && !end.isAfter(now)) {
            out.add(new Report(ApiIds.end(notice.id()), maintenance ? "completed" : "resolved", null, end,
                    servicesOf(notice.impacts()), Kind.END));
        }
        // newest first; at the same instant, the one written later comes first
        List<Report> written = List.copyOf(out);
        out.sort(Comparator.comparing(Report::at).thenComparing(r -> r.kind().ordinal())
                .thenComparing(written::indexOf).reversed());
        return out;
    }

    /** The phase of a maintenance at an instant. */
    private String phase(Instant t) {
        if (t.isBefore(notice.windowStart())) return "scheduled";
        if (end != null && !t.isBefore(end)) return "completed";
        return "in_progress";
    }

    private boolean allOperationalAt(Instant t) {
        List<Impact> current = notice.impactsAt(t);
        return !current.isEmpty() && current.stream().allMatch(i -> i.state() == ServiceState.OPERATIONAL);
    }

    /** The worst state the avviso ever imposed: Statuspage's impact of an incident. */
    public ServiceState worstState() {
        return notice.impacts().stream().map(Impact::state).reduce(ServiceState.OPERATIONAL, ServiceState::worst);
    }

    private Set<Long> servicesOf(List<Impact> impacts) {
        Set<Long> ids = new LinkedHashSet<>();
        for (Impact i : impacts) {
            if (i.serviceId() != null) {
                if (catalog.service(i.serviceId()).isPresent()) ids.add(i.serviceId());
            } else {
                ids.addAll(catalog.servicesDependingOn(i.providerId()));
            }
        }
        // in the catalog's order, so that the output does not depend on hash order
        return catalog.services().stream().map(s -> s.id()).filter(ids::contains)
                .collect(java.util.stream.Collectors.toCollection(LinkedHashSet::new));
    }
}
