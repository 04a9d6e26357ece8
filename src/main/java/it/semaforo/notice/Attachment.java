package it.semaforo.notice;

import java.time.Instant;

/**
 * A file attached to an avviso, stored under the data directory as storedName. altText is null
 * for a document; an image with an alternative text is the avviso's image (Notice.image()).
 */
public record Attachment(long id, Long updateId, String title, String filename, String storedName,
                         String contentType, long sizeBytes, Instant createdAt, String altText) {
    public String path() {
        return "/allegati/" + storedName;
    }

    /** An image to show in the avviso (page, feeds, link preview), not a file to download. */
    public boolean isShownImage() {
        return altText != null && !altText.isBlank() && contentType.startsWith("image/");
    }
}
