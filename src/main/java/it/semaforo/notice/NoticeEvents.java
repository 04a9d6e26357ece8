package it.semaforo.notice;

import it.semaforo.event.ChangeEvent.NoticeRef;

/** How an avviso appears in an event: what its public page shows, no clerk's name. */
final class NoticeEvents {
    private NoticeEvents() {
    }

    static NoticeRef ref(Notice n) {
        return new NoticeRef(n.id(), n.path(), n.kind().key(), n.title(), n.summary(), n.language(), n.publishedAt(),
                n.expiresAt(), n.windowStart(), n.windowEnd());
    }
}
