package it.semaforo.notice;

import java.time.Instant;
import java.util.Arrays;

/** A request that another clerk approve an avviso, and what became of it. */
public record Approval(long id, long noticeId, Long requestedBy, String requestedName, Instant requestedAt, String version,
                       Long decidedBy, String decidedName, Instant decidedAt, Outcome outcome, String reason) {

    /** What became of a request; PENDING while nobody has decided. The key is stored. */
    public enum Outcome {
        PENDING(null), APPROVED("approvato"), REFUSED("rifiutato"), CANCELLED("annullato");

        private final String key;

        Outcome(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }

        static Outcome of(String key) {
            if (key == null) return PENDING;
            return Arrays.stream(values()).filter(o -> key.equals(o.key)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown approval outcome " + key));
        }
    }

    public boolean pending() {
        return outcome == Outcome.PENDING;
    }

    /** A pending request with the avviso it is about, for the dashboard. */
    public record Open(Approval approval, Notice notice) {
    }
}
