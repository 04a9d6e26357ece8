package it.semaforo.signal;

import it.semaforo.service.ServiceState;

import java.time.Duration;
import java.time.Instant;

/**
 * An upstream source or a probe as configured by an administrator, with what the poller knows
 * of it: the validators of its last answer, where it has got to (a feed's newest entry, a
 * Semaforo's last event), the last success and error, and what it says now.
 */
public record Source(long id, SourceKind kind, String name, String url, Long providerId, Long serviceId, String selector,
                     ServiceState proposedState, Duration interval, Duration timeout, int expectedStatus, int threshold,
                     boolean autoPublish, boolean publicMeasurements, boolean enabled, Instant createdAt,
                     String etag, String lastModified, String position, String memory,
                     Instant lastAttemptAt, Instant lastSuccessAt, String lastError, Instant lastErrorAt, int failures,
                     int streak, ServiceState saysState, String saysTitle, String saysText, String saysLink, Instant saysAt) {

    /** A probe measures one of our own services; the others follow an upstream. */
    public boolean isProbe() {
        return kind == SourceKind.PROBE;
    }

    /** Whether its last attempt failed (what the admin shows as "in errore"). */
    public boolean failing() {
        return lastErrorAt != null && (lastSuccessAt == null || lastErrorAt.isAfter(lastSuccessAt));
    }
}
