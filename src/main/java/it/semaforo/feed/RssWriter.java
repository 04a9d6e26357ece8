package it.semaforo.feed;

import it.semaforo.render.Xml;

import java.time.ZoneId;

/**
 * RSS 2.0 (RSS Advisory Board specification), with the atom:link rel="self" that the RSS
 * Board and the W3C validator recommend. RSS has no language per item and one enclosure per
 * item; the other attachments stay as links in the description. The author is the comune,
 * in dc:creator: RSS's own author element must be an email address.
 */
final class RssWriter {
    static final String DC = "http://purl.org/dc/elements/1.1/";

    private RssWriter() {
    }

    static byte[] write(Feed feed, ZoneId zone) {
        Xml x = new Xml();
        x.start("rss").attr("version", "2.0").namespace("atom", AtomWriter.ATOM).namespace("dc", DC).newline();
        x.start("channel").newline();
        x.element("title", feed.title()).newline();
        x.element("link", feed.pageUrl()).newline();
        x.element("description", feed.description()).newline();
        x.element("language", feed.language()).newline();
        x.element("lastBuildDate", FeedDates.rfc822(feed.updated(), zone)).newline();
        x.element("generator", "Semaforo").newline();
        x.empty("atom", "link", AtomWriter.ATOM).attr("href", feed.rssUrl()).attr("rel", "self")
                .attr("type", FeedFormat.RSS.mediaType()).newline();
        for (Feed.Entry e : feed.entries()) item(x, e, zone);
        x.end().newline();
        x.end().newline();
        return x.finish();
    }

    private static void item(Xml x, Feed.Entry e, ZoneId zone) {
        x.start("item").newline();
        x.element("title", e.title()).newline();
        x.element("link", e.url()).newline();
        x.element("description", e.html()).newline();
        // a tag: URI is not an address to open: say so, or readers would try to
        x.start("guid").attr("isPermaLink", "false").text(e.id()).end().newline();
        x.element("pubDate", FeedDates.rfc822(e.published(), zone)).newline();
        x.start("dc", "creator", DC).text(e.author().name()).end().newline();
        for (Feed.Category c : e.categories()) {
            x.start("category").attr("domain", c.scheme()).text(c.label()).end().newline();
        }
        if (!e.enclosures().isEmpty()) {
            Feed.Enclosure a = e.enclosures().get(0);
            x.empty("enclosure").attr("url", a.url()).attr("length", Long.toString(a.length()))
                    .attr("type", a.type()).newline();
        }
        x.end().newline();
    }
}
