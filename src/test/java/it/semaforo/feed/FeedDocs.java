package it.semaforo.feed;

import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.io.SyndFeedInput;
import com.thaiopensource.util.PropertyMapBuilder;
import com.thaiopensource.validate.ValidateProperty;
import com.thaiopensource.validate.ValidationDriver;
import com.thaiopensource.validate.rng.CompactSchemaReader;
import org.jsoup.Jsoup;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXParseException;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reading our feeds with real tools: an XML parser, ROME (what a Java feed reader uses), Jing
 * with the RELAX NG schema of RFC 4287, and checks for the rules behind the W3C Feed
 * Validation Service's warnings, each returning the violations it found.
 */
final class FeedDocs {
    static final String ATOM = "http://www.w3.org/2005/Atom";
    /** RFC 4151: tag:authority,date:specific — the syntax the W3C validator checks. */
    static final Pattern TAG_URI = Pattern.compile(
            "tag:([a-z0-9.-]+|[^@,:]+@[a-z0-9.-]+),[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?:[A-Za-z0-9;/?:@&=+$.\\-_!~*'()%,]*(#[A-Za-z0-9;/?:@&=+$.\\-_!~*'()%,]*)?");
    private static final Pattern LANGUAGE = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*");
    private static final Set<String> ISO_LANGUAGES = Set.copyOf(Arrays.asList(Locale.getISOLanguages()));
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private FeedDocs() {
    }

    static HttpResponse<byte[]> get(String url, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (headers.length > 0) b.headers(headers);
        try {
            return HTTP.send(b.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElseThrow(() -> new AssertionError("no " + name + " header"));
    }

    static Document dom(byte[] xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return f.newDocumentBuilder().parse(new InputSource(new ByteArrayInputStream(xml)));
        } catch (Exception e) {
            throw new AssertionError("not well-formed XML: " + e.getMessage(), e);
        }
    }

    static SyndFeed rome(byte[] xml) {
        try {
            return new SyndFeedInput().build(new InputSource(new ByteArrayInputStream(xml)));
        } catch (Exception e) {
            throw new AssertionError("ROME cannot read the feed: " + e.getMessage(), e);
        }
    }

    /** Errors of validation against RFC 4287's RELAX NG schema; empty when valid. */
    static List<String> relaxNgErrors(byte[] xml) {
        List<String> errors = new ArrayList<>();
        ErrorHandler collect = new ErrorHandler() {
            public void warning(SAXParseException e) {
                errors.add("warning line " + e.getLineNumber() + ": " + e.getMessage());
            }

            public void error(SAXParseException e) {
                errors.add("line " + e.getLineNumber() + ": " + e.getMessage());
            }

            public void fatalError(SAXParseException e) {
                errors.add("fatal line " + e.getLineNumber() + ": " + e.getMessage());
            }
        };
        PropertyMapBuilder props = new PropertyMapBuilder();
        props.put(ValidateProperty.ERROR_HANDLER, collect);
        ValidationDriver driver = new ValidationDriver(props.toPropertyMap(), CompactSchemaReader.getInstance());
        try {
            String schema = FeedDocs.class.getResource("/schema/atom.rnc").toExternalForm();
            if (!driver.loadSchema(new InputSource(schema))) throw new AssertionError("schema not loaded: " + errors);
            if (!driver.validate(new InputSource(new ByteArrayInputStream(xml))) && errors.isEmpty()) errors.add("invalid");
        } catch (Exception e) {
            errors.add(e.toString());
        }
        return errors;
    }

    // ---- the W3C Feed Validation Service's rules, Atom --------------------------------------

    /** Violations, in the feed served at publicUrl, of the rules behind the validator's errors and warnings. */
    static List<String> atomViolations(Document doc, String publicUrl, ZoneId zone) {
        List<String> v = new ArrayList<>();
        Element feed = doc.getDocumentElement();
        if (!ATOM.equals(feed.getNamespaceURI()) || !"feed".equals(feed.getLocalName())) v.add("root is not atom:feed");
        checkLanguage(feed.getAttributeNS("http://www.w3.org/XML/1998/namespace", "lang"), "feed xml:lang", v);
        List<Element> selfs = children(feed, "link").stream().filter(l -> "self".equals(l.getAttribute("rel"))).toList();
        if (selfs.size() != 1) {
            v.add("MissingSelf: the feed needs exactly one link rel=self, has " + selfs.size());
        } else {
            if (!publicUrl.equals(selfs.get(0).getAttribute("href"))) {
                v.add("SelfDoesntMatchLocation: " + selfs.get(0).getAttribute("href") + " served at " + publicUrl);
            }
            if (!"application/atom+xml".equals(selfs.get(0).getAttribute("type"))) v.add("self link type");
        }
        checkUri(text(feed, "id"), "feed id", v);
        checkRfc3339(text(feed, "updated"), "feed updated", zone, v);
        boolean feedAuthor = children(feed, "author").stream().anyMatch(a -> !text(a, "name").isBlank());
        checkAlternates(feed, "feed", v);
        Set<String> ids = new HashSet<>();
        Set<String> updates = new HashSet<>();
        for (Element e : children(feed, "entry")) {
            String id = text(e, "id");
            String where = "entry " + id;
            if (!TAG_URI.matcher(id).matches()) checkUri(id, where + " id", v);
            if (!ids.add(id)) v.add("DuplicateEntries: " + id);
            String updated = text(e, "updated");
            checkRfc3339(updated, where + " updated", zone, v);
            if (!updated.isEmpty() && !updates.add(updated)) v.add("DuplicateUpdated: two entries updated at " + updated);
            String published = text(e, "published");
            if (!published.isEmpty()) {
                checkRfc3339(published, where + " published", zone, v);
                try {
                    if (OffsetDateTime.parse(published).isAfter(OffsetDateTime.parse(updated))) {
                        v.add(where + ": published after updated");
                    }
                } catch (DateTimeParseException alreadyReported) {
                    // an unreadable date is reported above
                }
            }
            if (text(e, "title").isBlank()) v.add(where + ": no title");
            if (!feedAuthor && children(e, "author").stream().allMatch(a -> text(a, "name").isBlank())) {
                v.add("MissingAuthor: " + where + " has no author and neither has the feed");
            }
            String lang = e.getAttributeNS("http://www.w3.org/XML/1998/namespace", "lang");
            if (!lang.isEmpty()) checkLanguage(lang, where + " xml:lang", v);
            checkAlternates(e, where, v);
            for (Element link : children(e, "link")) {
                if ("enclosure".equals(link.getAttribute("rel"))) {
                    if (!link.getAttribute("type").contains("/")) v.add(where + ": enclosure without a media type");
                    if (!link.getAttribute("length").matches("[0-9]+")) v.add(where + ": enclosure without a length");
                }
                checkAbsolute(link.getAttribute("href"), where + " link", v);
            }
            for (Element c : children(e, "category")) {
                if (c.getAttribute("term").isBlank()) v.add(where + ": category without term");
                if (c.hasAttribute("scheme")) checkAbsolute(c.getAttribute("scheme"), where + " category scheme", v);
            }
            for (Element c : children(e, "content")) {
                if ("html".equals(c.getAttribute("type"))) checkHtml(c.getTextContent(), where + " content", v);
            }
            for (Element c : children(e, "summary")) {
                if ("html".equals(c.getAttribute("type"))) checkHtml(c.getTextContent(), where + " summary", v);
            }
        }
        return v;
    }

    private static void checkAlternates(Element parent, String where, List<String> v) {
        Set<String> seen = new HashSet<>();
        for (Element l : children(parent, "link")) {
            String rel = l.hasAttribute("rel") ? l.getAttribute("rel") : "alternate";
            if (rel.equals("alternate") && !seen.add(l.getAttribute("type") + "|" + l.getAttribute("hreflang"))) {
                v.add("DuplicateAtomLink: " + where + " has two alternate links of one type");
            }
        }
    }

    // ---- RSS 2.0: the required elements and the validator's rules --------------------------

    static List<String> rssViolations(Document doc, String publicUrl, ZoneId zone) {
        List<String> v = new ArrayList<>();
        Element rss = doc.getDocumentElement();
        if (!"rss".equals(rss.getTagName()) || !"2.0".equals(rss.getAttribute("version"))) v.add("root is not rss 2.0");
        List<Element> channels = plain(rss, "channel");
        if (channels.size() != 1) {
            v.add("rss needs exactly one channel");
            return v;
        }
        Element channel = channels.get(0);
        for (String required : List.of("title", "link", "description")) {
            if (plainText(channel, required).isBlank()) v.add("MissingElement: channel " + required);
        }
        checkAbsolute(plainText(channel, "link"), "channel link", v);
        checkLanguage(plainText(channel, "language"), "channel language", v);
        if (!plainText(channel, "lastBuildDate").isEmpty()) checkRfc822(plainText(channel, "lastBuildDate"), "lastBuildDate", zone, v);
        List<Element> selfs = children(channel, "link").stream().filter(l -> "self".equals(l.getAttribute("rel"))).toList();
        if (selfs.size() != 1) {
            v.add("MissingAtomSelfLink: the channel needs one atom:link rel=self");
        } else {
            if (!publicUrl.equals(selfs.get(0).getAttribute("href"))) {
                v.add("SelfDoesntMatchLocation: " + selfs.get(0).getAttribute("href") + " served at " + publicUrl);
            }
            if (!"application/rss+xml".equals(selfs.get(0).getAttribute("type"))) v.add("self link type");
        }
        Set<String> guids = new HashSet<>();
        for (Element item : plain(channel, "item")) {
            String title = plainText(item, "title");
            String where = "item " + title;
            if (title.isBlank() && plainText(item, "description").isBlank()) v.add("ItemMustContainTitleOrDescription");
            if (!plainText(item, "link").isEmpty()) checkAbsolute(plainText(item, "link"), where + " link", v);
            List<Element> guid = plain(item, "guid");
            if (guid.size() != 1) {
                v.add(where + ": no guid");
            } else {
                String value = guid.get(0).getTextContent();
                boolean permalink = !"false".equals(guid.get(0).getAttribute("isPermaLink"));
                if (permalink && !value.matches("https?://.+")) {
                    v.add("InvalidHttpGUID: guid must be a full URL, unless isPermaLink is false: " + value);
                }
                if (!permalink && !TAG_URI.matcher(value).matches()) checkUri(value, where + " guid", v);
                if (!guids.add(value)) v.add("DuplicateItem: guid " + value);
            }
            if (!plainText(item, "pubDate").isEmpty()) checkRfc822(plainText(item, "pubDate"), where + " pubDate", zone, v);
            List<Element> enclosures = plain(item, "enclosure");
            if (enclosures.size() > 1) v.add("DuplicateEnclosure: " + where);
            for (Element enc : enclosures) {
                checkAbsolute(enc.getAttribute("url"), where + " enclosure", v);
                if (!enc.getAttribute("length").matches("[0-9]+")) v.add(where + ": enclosure length");
                if (!enc.getAttribute("type").contains("/")) v.add(where + ": enclosure type");
            }
            for (Element author : plain(item, "author")) {
                if (!author.getTextContent().matches("\\S+@\\S+.*")) v.add("InvalidContact: RSS author must be an email");
            }
            for (Element c : plain(item, "category")) {
                if (c.hasAttribute("domain")) checkAbsolute(c.getAttribute("domain"), where + " category domain", v);
            }
            checkHtml(plainText(item, "description"), where + " description", v);
        }
        return v;
    }

    // ---- shared checks ----------------------------------------------------------------------

    /** ContainsRelRef and the security rules: every link absolute, nothing active. */
    static void checkHtml(String html, String where, List<String> v) {
        org.jsoup.nodes.Document d = Jsoup.parseBodyFragment(html);
        for (org.jsoup.nodes.Element el : d.select("[href], [src]")) {
            String ref = el.hasAttr("href") ? el.attr("href") : el.attr("src");
            if (!ref.matches("(https?|mailto|tel):.*")) v.add("ContainsRelRef: " + where + " links to " + ref);
        }
        if (!d.select("script, iframe, object, embed, style, form").isEmpty()) v.add("SecurityRisk: " + where);
        for (org.jsoup.nodes.Element el : d.getAllElements()) {
            el.attributes().forEach(a -> {
                if (a.getKey().startsWith("on") || a.getKey().equals("style")) v.add("SecurityRiskAttr: " + where + " " + a.getKey());
            });
        }
    }

    static void checkRfc3339(String value, String where, ZoneId zone, List<String> v) {
        if (value.isEmpty()) {
            v.add("MissingElement: " + where);
            return;
        }
        try {
            OffsetDateTime t = OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            if (!value.matches("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})")) {
                v.add("InvalidRFC3339Date: " + where + " " + value);
            }
            if (!t.getOffset().equals(zone.getRules().getOffset(t.toInstant()))) {
                v.add(where + ": offset " + t.getOffset() + " is not " + zone + "'s at " + t.toInstant());
            }
        } catch (DateTimeParseException e) {
            v.add("InvalidRFC3339Date: " + where + " " + value);
        }
    }

    static void checkRfc822(String value, String where, ZoneId zone, List<String> v) {
        try {
            ZonedDateTime t = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
            if (!value.matches("[A-Z][a-z]{2}, [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} [+-][0-9]{4}")) {
                v.add("InvalidRFC2822Date: " + where + " " + value);
            }
            if (!t.getOffset().equals(zone.getRules().getOffset(t.toInstant()))) {
                v.add(where + ": offset " + t.getOffset() + " is not " + zone + "'s");
            }
        } catch (DateTimeParseException e) {
            v.add("InvalidRFC2822Date: " + where + " " + value + " (" + e.getMessage() + ")");
        }
    }

    static void checkUri(String value, String where, List<String> v) {
        try {
            URI u = new URI(value);
            if (!u.isAbsolute()) v.add("InvalidFullLink: " + where + " is not an absolute URI: " + value);
        } catch (URISyntaxException e) {
            v.add("InvalidIRI: " + where + " " + value);
        }
    }

    static void checkAbsolute(String value, String where, List<String> v) {
        if (!value.matches("https?://[^\\s]+")) v.add("InvalidFullLink: " + where + " " + value);
        else checkUri(value, where, v);
    }

    static void checkLanguage(String value, String where, List<String> v) {
        if (!LANGUAGE.matcher(value).matches() || !ISO_LANGUAGES.contains(value.split("-")[0].toLowerCase(Locale.ROOT))) {
            v.add("InvalidLanguage: " + where + " '" + value + "'");
        }
    }

    // ---- DOM helpers -------------------------------------------------------------------------

    /** Atom children (namespace-aware). */
    static List<Element> children(Element parent, String localName) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && ATOM.equals(e.getNamespaceURI()) && localName.equals(e.getLocalName())) out.add(e);
        }
        return out;
    }

    static String text(Element parent, String localName) {
        List<Element> found = children(parent, localName);
        return found.isEmpty() ? "" : found.get(0).getTextContent();
    }

    /** RSS children: no namespace. */
    static List<Element> plain(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getNamespaceURI() == null && name.equals(e.getLocalName())) out.add(e);
        }
        return out;
    }

    static String plainText(Element parent, String name) {
        List<Element> found = plain(parent, name);
        return found.isEmpty() ? "" : found.get(0).getTextContent();
    }

    static List<Element> entries(Document atom) {
        return children(atom.getDocumentElement(), "entry");
    }

    static List<Element> items(Document rss) {
        return plain(plain(rss.getDocumentElement(), "channel").get(0), "item");
    }

    static Element entry(Document atom, String idSuffix) {
        return entries(atom).stream().filter(e -> text(e, "id").endsWith(idSuffix)).findFirst()
                .orElseThrow(() -> new AssertionError("no entry with id ending " + idSuffix));
    }

    static Instant instant(String rfc3339) {
        return OffsetDateTime.parse(rfc3339).toInstant();
    }

    static NodeList all(Document d, String ns, String name) {
        return d.getElementsByTagNameNS(ns, name);
    }
}
