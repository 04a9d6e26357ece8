package it.semaforo.notice;

import java.time.Instant;

/** A file attached to an avviso, stored under the data directory as storedName. */
public record Attachment(long id, Long updateId, String title, String filename, String storedName,
                         String contentType, long sizeBytes, Instant createdAt) {
    public String path() {
        return "/allegati/" + storedName;
    }
}
