package it.semaforo.notice;

import java.time.Instant;

/** The text of an avviso as it was before an edit, with who replaced it and when. */
public record NoticeRevision(int number, String title, String summary, String body, String replacedBy,
                             Instant replacedAt) {
}
