package it.semaforo.signal.poll;

import com.rometools.rome.feed.synd.SyndContent;
import com.rometools.rome.feed.synd.SyndEntry;
import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.io.FeedException;
import com.rometools.rome.io.SyndFeedInput;
import it.semaforo.service.ServiceState;
import it.semaforo.signal.Reading;
import org.jdom2.Document;
import org.jdom2.JDOMException;
import org.jdom2.input.SAXBuilder;
import org.jdom2.input.sax.XMLReaders;
import org.xml.sax.InputSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Objects;

/**
 * Reads an Atom or RSS feed with ROME over a SAX parser we configure ourselves: no DOCTYPE at
 * all (which rules out external entities and entity expansion, the billion laughs with it),
 * external entities and DTD loading off as well, so no feed can make us read a file, reach an
 * address or spend the poller's memory. What it says now is its newest entry: its title, its
 * text without HTML, its link made absolute against the feed's address, and whether it marks a
 * recovery (see RESOLVED). The entry's key is its id with its date: an entry updated in place (a
 * Statuspage incident's entry when the incident is resolved) is news again.
 */
final class FeedReader {
    /**
     * A feed has no states: an entry is a recovery when it says so plainly, in its title, in a
     * category, or at the start of its text (Statuspage's history feeds begin an incident's
     * content with its newest update, "Resolved - ..."): resolved, completed, risolto, ripristinato,
     * concluso, gelöst, behoben, 解決, 復旧, not after "non", "not", "nicht". Any other new entry proposes the
     * source's chosen state. A clerk still decides: a recovery is a proposal like any other.
     */
    static final java.util.regex.Pattern RESOLVED = java.util.regex.Pattern.compile(
            "(?iu)((?<!non |not |nicht )\\b(resolved|completed|risolt[oai]|ripristinat[oai]|completat[oai]|conclus[oai]|gelöst|behoben)\\b|解決|復旧)");

    private FeedReader() {
    }

    private static SAXBuilder parser() {
        SAXBuilder b = new SAXBuilder(XMLReaders.NONVALIDATING);
        b.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        b.setFeature("http://xml.org/sax/features/external-general-entities", false);
        b.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        b.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        b.setExpandEntities(false);
        // were a DOCTYPE ever let through, an external entity would read nothing
        b.setEntityResolver((publicId, systemId) -> new InputSource(new StringReader("")));
        return b;
    }

    static Reading read(byte[] body, URI feedUri) throws FetchFailure {
        Document doc;
        try {
            doc = parser().build(new ByteArrayInputStream(body));
        } catch (JDOMException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("DOCTYPE")) throw new FetchFailure("signals.error.doctype");
            throw new FetchFailure("signals.error.xml", m.length() > 200 ? m.substring(0, 200) : m);
        } catch (IOException e) {
            throw new FetchFailure("signals.error.xml", String.valueOf(e.getMessage()));
        }
        SyndFeed feed;
        try {
            feed = new SyndFeedInput().build(doc);
        } catch (FeedException | IllegalArgumentException e) {
            throw new FetchFailure("signals.error.feed");
        }
        List<SyndEntry> entries = feed.getEntries();
        if (entries == null || entries.isEmpty()) {
            return new Reading(null, Plain.text(feed.getTitle()), "", absolute(feedUri, feed.getLink()), "");
        }
        // the newest by date; a feed without dates lists its newest first, as they all do
        SyndEntry newest = entries.stream().filter(e -> date(e) != null).max(Comparator.comparing(FeedReader::date))
                .orElse(entries.get(0));
        String link = absolute(feedUri, newest.getLink());
        String key = firstNonBlank(newest.getUri(), newest.getLink(), newest.getTitle());
        if (key != null && date(newest) != null) key = key + "@" + date(newest).getTime();
        String title = Plain.text(newest.getTitle());
        String text = Plain.text(text(newest));
        return new Reading(resolved(newest, title, text) ? ServiceState.OPERATIONAL : null, title, text, link.isEmpty()
                ? absolute(feedUri, feed.getLink()) : link, key == null ? "" : key);
    }

    /** Whether an entry marks a recovery: its title, a category, or the start of one of its first two lines of text. */
    static boolean resolved(SyndEntry e, String title, String text) {
        if (RESOLVED.matcher(title).find()) return true;
        if (e.getCategories() != null) {
            for (var c : e.getCategories()) if (c.getName() != null && RESOLVED.matcher(c.getName()).find()) return true;
        }
        String[] lines = text.strip().split("\n", 3);
        for (int i = 0; i < Math.min(2, lines.length); i++) {
            if (RESOLVED.matcher(lines[i].replaceFirst("^[^\\p{L}]+", "")).lookingAt()) return true;
        }
        return false;
    }

    private static Date date(SyndEntry e) {
        return e.getUpdatedDate() != null ? e.getUpdatedDate() : e.getPublishedDate();
    }

    private static String text(SyndEntry e) {
        if (e.getContents() != null) {
            for (SyndContent c : e.getContents()) if (c != null && c.getValue() != null && !c.getValue().isBlank()) return c.getValue();
        }
        return e.getDescription() == null ? "" : Objects.toString(e.getDescription().getValue(), "");
    }

    /** A link made absolute against the feed's address; only http and https are kept. */
    static String absolute(URI base, String link) {
        if (link == null || link.isBlank()) return "";
        try {
            URI u = base.resolve(link.strip());
            return "http".equals(u.getScheme()) || "https".equals(u.getScheme()) ? u.toString() : "";
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static String firstNonBlank(String... s) {
        for (String x : s) if (x != null && !x.isBlank()) return x.strip();
        return null;
    }
}
