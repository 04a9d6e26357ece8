package it.semaforo.testing;

import it.semaforo.notice.NoticeDesk;

import java.time.Instant;

/** Audit summaries for domain tests, which read events and states, not the clerks' wording. */
public final class Wordings {
    public static final NoticeDesk.Wording PLAIN = new NoticeDesk.Wording() {
        public String updateNumber(int number) {
            return "update " + number;
        }

        public String expiry(Instant expiresAt) {
            return String.valueOf(expiresAt);
        }
    };

    private Wordings() {
    }
}
