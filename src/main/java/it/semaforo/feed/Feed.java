package it.semaforo.feed;

import java.time.Instant;
import java.util.List;

/**
 * One feed, independent of its format: what the Atom and the RSS writers put into XML. Every
 * address in it is absolute and built from the configured base URL.
 *
 * @param updated     the latest change the feed shows (its newest entry, or a withdrawal)
 * @param validUntil  when the feed changes by itself (an expiry, a publication), or null
 */
public record Feed(String id, String title, String description, String language, String atomUrl, String rssUrl,
                   String pageUrl, Person author, Instant updated, List<Entry> entries, Instant validUntil) {

    public String selfUrl(FeedFormat format) {
        return format == FeedFormat.ATOM ? atomUrl : rssUrl;
    }

    /** The avviso itself, or one of its numbered updates. */
    public record Entry(String id, String title, String language, String url, Instant published, Instant updated,
                        String summary, String html, List<Category> categories, List<Enclosure> enclosures,
                        Person author) {
    }

    /** A kind or an affected service; scheme is the absolute address of the list it belongs to. */
    public record Category(String term, String scheme, String label) {
    }

    /** An attachment, for rel="enclosure" in Atom and enclosure in RSS. */
    public record Enclosure(String url, String type, long length, String title) {
    }

    /** uri may be null. */
    public record Person(String name, String uri) {
    }
}
