package it.semaforo.signal;

import it.semaforo.service.ServiceState;

import java.time.Instant;

/**
 * What a source raised: the state it proposes (operational for a recovery), the upstream's own
 * words and link, and what became of it (open on the dashboard, published, drafted, dismissed,
 * superseded by a later signal of the same source, published automatically).
 */
public record Signal(long id, long sourceId, Instant at, ServiceState state, boolean recovery, String title, String text,
                     String link, String outcome, Long noticeId, Instant decidedAt, String decidedBy) {
    public boolean open() {
        return "open".equals(outcome);
    }
}
