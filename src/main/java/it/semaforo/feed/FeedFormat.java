package it.semaforo.feed;

/** The two syndication formats, with the media types every feed reader knows them by. */
public enum FeedFormat {
    ATOM("atom", "application/atom+xml"),
    RSS("rss", "application/rss+xml");

    private final String extension;
    private final String mediaType;

    FeedFormat(String extension, String mediaType) {
        this.extension = extension;
        this.mediaType = mediaType;
    }

    public String extension() {
        return extension;
    }

    /** For type attributes (autodiscovery, self links). */
    public String mediaType() {
        return mediaType;
    }

    /** For the Content-Type header. */
    public String contentType() {
        return mediaType + "; charset=utf-8";
    }
}
