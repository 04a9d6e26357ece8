package it.semaforo.status;

import it.semaforo.notice.Impact;
import it.semaforo.notice.Notice;
import it.semaforo.notice.NoticeStatus;
import it.semaforo.service.Catalog;
import it.semaforo.service.Service;
import it.semaforo.service.ServiceState;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The derivation of docs/design.md, in one place: every published avviso turned into the intervals
 * during which it holds each service in a state. The state of a service at an instant is the
 * worst state of the intervals covering it; the 90-day history is the worst of each day.
 */
public final class Timeline {
    private final Catalog catalog;
    private final List<Notice> notices;
    private final List<Segment> segments;

    public Timeline(Catalog catalog, List<Notice> notices) {
        this.catalog = catalog;
        this.notices = List.copyOf(notices);
        List<Segment> all = new ArrayList<>();
        for (Notice n : notices) addSegments(n, all);
        this.segments = List.copyOf(all);
    }

    private void addSegments(Notice n, List<Segment> out) {
        if (n.status() != NoticeStatus.PUBLISHED || n.publishedAt() == null) return;
        Instant start = n.publishedAt();
        Instant end = n.endOfForce();
        if (n.windowStart() != null) {   // a maintenance holds its states only inside its window
            start = later(start, n.windowStart());
            end = end == null ? n.windowEnd() : earlier(end, n.windowEnd());
        }
        Map<String, List<Impact>> byTarget = new LinkedHashMap<>();
        for (Impact i : n.impacts()) byTarget.computeIfAbsent(i.targetKey(), k -> new ArrayList<>()).add(i);
        // Within one avviso, what it says of a service itself overrides what it says of the
        // service's providers, from the moment it says it ("everything is suspended, except
        // the registry office, which works through another platform").
        Map<Long, Instant> namedDirectlyFrom = new LinkedHashMap<>();
        for (List<Impact> chain : byTarget.values()) {
            chain.sort(Comparator.comparing(Impact::effectiveFrom));
            Impact first = chain.get(0);
            if (first.serviceId() != null) namedDirectlyFrom.put(first.serviceId(), later(start, first.effectiveFrom()));
        }
        for (List<Impact> chain : byTarget.values()) {
            for (int k = 0; k < chain.size(); k++) {
                Impact i = chain.get(k);
                if (i.state() == ServiceState.OPERATIONAL) continue;
                Instant from = later(start, i.effectiveFrom());
                Instant to = k + 1 < chain.size() ? chain.get(k + 1).effectiveFrom() : null;
                to = to == null ? end : end == null ? to : earlier(to, end);
                for (long serviceId : affectedServices(i)) {
                    Instant until = to;
                    Instant direct = i.providerId() != null ? namedDirectlyFrom.get(serviceId) : null;
                    if (direct != null) until = until == null ? direct : earlier(until, direct);
                    if (until != null && !until.isAfter(from)) continue;
                    out.add(new Segment(serviceId, n.id(), i.state(), i.reason(), from, until));
                }
            }
        }
    }

    private Set<Long> affectedServices(Impact i) {
        if (i.serviceId() != null) {
            return catalog.service(i.serviceId()).isPresent() ? Set.of(i.serviceId()) : Set.of();
        }
        return catalog.servicesDependingOn(i.providerId());
    }

    /** Services an avviso names, directly or through a provider, whatever the state it imposes. */
    public Set<Long> servicesNamedBy(Notice n) {
        Set<Long> ids = new LinkedHashSet<>();
        for (Impact i : n.impacts()) ids.addAll(affectedServices(i));
        return ids;
    }

    public ServiceStatus statusAt(long serviceId, Instant t) {
        Segment worst = null;
        Set<Long> noticeIds = new LinkedHashSet<>();
        for (Segment s : segments) {
            if (s.serviceId() != serviceId || !s.covers(t)) continue;
            noticeIds.add(s.noticeId());
            if (worst == null || s.state().worseThan(worst.state())) worst = s;
        }
        return worst == null ? ServiceStatus.OPERATIONAL
                : new ServiceStatus(worst.state(), worst.reason(), List.copyOf(noticeIds));
    }

    public Map<Long, ServiceStatus> statusAt(Instant t) {
        Map<Long, ServiceStatus> result = new LinkedHashMap<>();
        for (Service s : catalog.services()) result.put(s.id(), statusAt(s.id(), t));
        return result;
    }

    /** The worst state of each of the last days (oldest first), today included, up to now. */
    public List<DayStatus> history(long serviceId, Instant now, ZoneId zone, int days) {
        LocalDate today = now.atZone(zone).toLocalDate();
        List<Segment> mine = segments.stream().filter(s -> s.serviceId() == serviceId).toList();
        List<DayStatus> result = new ArrayList<>(days);
        for (int d = days - 1; d >= 0; d--) {
            LocalDate date = today.minusDays(d);
            Instant dayStart = date.atStartOfDay(zone).toInstant();
            Instant dayEnd = earlier(date.plusDays(1).atStartOfDay(zone).toInstant(), now);
            ServiceState worst = ServiceState.OPERATIONAL;
            Set<Long> ids = new LinkedHashSet<>();
            for (Segment s : mine) {
                if (!dayEnd.isAfter(dayStart) || !s.overlaps(dayStart, dayEnd)) continue;
                worst = ServiceState.worst(worst, s.state());
                ids.add(s.noticeId());
            }
            result.add(new DayStatus(date, worst, List.copyOf(ids)));
        }
        return result;
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
