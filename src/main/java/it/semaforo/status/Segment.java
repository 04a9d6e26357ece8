package it.semaforo.status;

import it.semaforo.service.ServiceState;

import java.time.Instant;

/** A service held in a state by an avviso over [from, to); to is null while open-ended. */
public record Segment(long serviceId, long noticeId, ServiceState state, String reason, Instant from, Instant to) {
    public boolean covers(Instant t) {
        return !from.isAfter(t) && (to == null || to.isAfter(t));
    }

    public boolean overlaps(Instant start, Instant end) {
        return from.isBefore(end) && (to == null || to.isAfter(start));
    }
}
