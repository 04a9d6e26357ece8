package it.semaforo.notify;

import java.time.Instant;

/** A resident's subscription as stored: nothing more than this. */
public record Subscriber(long id, String email, String language, Choices choices, Instant consentAt,
                         Instant confirmedAt, Instant confirmSentAt, Instant lastMailAt, int bounces, Instant suspendedAt) {
    public boolean confirmed() {
        return confirmedAt != null;
    }

    public boolean active() {
        return confirmedAt != null && suspendedAt == null;
    }
}
