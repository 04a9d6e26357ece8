package it.semaforo.notice;

import java.time.Instant;
import java.util.List;

/** A checked avviso as a clerk writes it: publishAt null means "as soon as it is published". */
public record NoticeInput(NoticeKind kind, String title, String summary, String body, String language, Instant publishAt,
                          Instant expiresAt, Instant windowStart, Instant windowEnd, List<Impact> impacts,
                          NoticeDetails details) {
    public TextInput text() {
        return new TextInput(title, summary, body, language);
    }
}
