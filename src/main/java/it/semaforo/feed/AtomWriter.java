package it.semaforo.feed;

import it.semaforo.render.Xml;

import java.time.ZoneId;

/** Atom 1.0 (RFC 4287). */
final class AtomWriter {
    static final String ATOM = "http://www.w3.org/2005/Atom";

    private AtomWriter() {
    }

    static byte[] write(Feed feed, ZoneId zone) {
        Xml x = new Xml();
        x.start("", "feed", ATOM).defaultNamespace(ATOM).lang(feed.language()).newline();
        x.element("id", feed.id()).newline();
        x.start("title").attr("type", "text").text(feed.title()).end().newline();
        x.start("subtitle").attr("type", "text").text(feed.description()).end().newline();
        x.element("updated", FeedDates.rfc3339(feed.updated(), zone)).newline();
        link(x, "self", FeedFormat.ATOM.mediaType(), feed.atomUrl());
        link(x, "alternate", "text/html", feed.pageUrl());
        person(x, feed.author());
        x.element("generator", "Semaforo").newline();
        for (Feed.Entry e : feed.entries()) entry(x, e, zone);
        x.end().newline();
        return x.finish();
    }

    private static void entry(Xml x, Feed.Entry e, ZoneId zone) {
        x.start("entry");
        if (e.language() != null) x.lang(e.language());
        x.newline();
        x.element("id", e.id()).newline();
        x.start("title").attr("type", "text").text(e.title()).end().newline();
        link(x, "alternate", "text/html", e.url());
        for (Feed.Enclosure a : e.enclosures()) {
            x.empty("link").attr("rel", "enclosure").attr("type", a.type()).attr("href", a.url())
                    .attr("length", Long.toString(a.length())).attr("title", a.title()).newline();
        }
        x.element("published", FeedDates.rfc3339(e.published(), zone)).newline();
        x.element("updated", FeedDates.rfc3339(e.updated(), zone)).newline();
        person(x, e.author());
        for (Feed.Category c : e.categories()) {
            x.empty("category").attr("term", c.term()).attr("scheme", c.scheme()).attr("label", c.label()).newline();
        }
        if (e.summary() != null && !e.summary().isBlank()) {
            x.start("summary").attr("type", "text").text(e.summary()).end().newline();
        }
        x.start("content").attr("type", "html").text(e.html()).end().newline();
        x.end().newline();
    }

    private static void link(Xml x, String rel, String type, String href) {
        x.empty("link").attr("rel", rel).attr("type", type).attr("href", href).newline();
    }

    private static void person(Xml x, Feed.Person p) {
        x.start("author").start("name").text(p.name()).end();
        if (p.uri() != null) x.start("uri").text(p.uri()).end();
        x.end().newline();
    }
}
