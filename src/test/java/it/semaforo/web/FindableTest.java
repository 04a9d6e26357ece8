package it.semaforo.web;

import it.semaforo.notice.NoticeKind;
import it.semaforo.notice.NoticeRepository.NewNotice;
import it.semaforo.notice.NoticeStatus;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What search engines and link previews read, over real HTTP on the demo comune: a description,
 * rel=canonical and the Open Graph and Twitter-card tags on every page; /sitemap.xml (a sitemap
 * index) and the sitemaps it names read by the JDK's parser and validated against the
 * protocol's schemas; /robots.txt.
 */
class FindableTest {
    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    static final String BASE = "https://stato.comune.example.it";
    @RegisterExtension
    static final TestServer server = TestServer.demo(new MutableClock(NOW));

    private static Document page(String path) {
        return Jsoup.parse(server.get(path).body(), server.url(path));
    }

    private static String noticePath(String titleStart) {
        return page("/avvisi").select(".notice-title a").stream().filter(a -> a.text().startsWith(titleStart)).findFirst()
                .orElseThrow().attr("href");
    }

    @Test
    void everyPageHasADescriptionACanonicalAddressAndAPreview() throws java.io.IOException {
        String outage = noticePath("Servizi online sospesi");
        for (String path : List.of("/", "/avvisi", "/avvisi/tipo/sicurezza", "/servizi/stato-civile", outage, "/en/", "/ja/avvisi",
                "/de" + outage, "/non/esiste")) {
            Document d = page(path);
            assertFalse(d.select("meta[name=description]").attr("content").isBlank(), path + ": a description");
            for (String property : List.of("og:type", "og:site_name", "og:title", "og:description", "og:url", "og:image", "og:image:alt")) {
                assertFalse(d.select("meta[property=" + property + "]").attr("content").isBlank(), path + ": " + property);
            }
            for (String name : List.of("twitter:card", "twitter:title", "twitter:description", "twitter:image")) {
                assertFalse(d.select("meta[name=" + name + "]").attr("content").isBlank(), path + ": " + name);
            }
            assertTrue(d.select("meta[property=og:image]").attr("content").startsWith(BASE + "/assets/"), path + ": the emblem, absolute");
        }
        assertEquals(BASE + "/", page("/").select("link[rel=canonical]").attr("href"));
        assertEquals(BASE + "/en/avvisi", page("/en/avvisi").select("link[rel=canonical]").attr("href"));
        assertEquals(BASE + "/avvisi/tipo/sicurezza", page("/avvisi/tipo/sicurezza").select("link[rel=canonical]").attr("href"));
        assertTrue(page("/avvisi").select("meta[name=description]").attr("content").startsWith("Tutti gli avvisi del Comune di Roccaverde"));

        // a shared avviso previews with its title, its summary and the comune's emblem
        Document notice = page(outage);
        assertEquals(BASE + outage, notice.select("link[rel=canonical]").attr("href"));
        assertEquals(BASE + outage, notice.select("meta[property=og:url]").attr("content"));
        assertEquals("article", notice.select("meta[property=og:type]").attr("content"));
        assertEquals("Servizi online sospesi per l'attacco informatico al fornitore cloud", notice.select("meta[property=og:title]").attr("content"));
        assertTrue(notice.select("meta[property=og:description]").attr("content").startsWith("I servizi online del Comune sono temporaneamente disattivati."));
        assertEquals("Stemma del Comune di Roccaverde", notice.select("meta[property=og:image:alt]").attr("content"));
        assertEquals("summary", notice.select("meta[name=twitter:card]").attr("content"));
        // a picture messaging apps show (they show no SVG): the demo's emblem as a PNG, decoded here
        String image = notice.select("meta[property=og:image]").attr("content");
        assertTrue(image.endsWith("/share.png"), image);
        assertEquals(image, notice.select("meta[name=twitter:image]").attr("content"));
        HttpResponse<byte[]> png = server.getBytes(image.substring(BASE.length()));
        assertEquals(200, png.statusCode());
        assertEquals("image/png", png.headers().firstValue("Content-Type").orElse(""));
        var picture = javax.imageio.ImageIO.read(new ByteArrayInputStream(png.body()));
        assertTrue(picture.getWidth() >= 200 && picture.getHeight() >= 200, "big enough for a preview");

        // an error page is described but not offered to search engines
        Document missing = page("/non/esiste");
        assertTrue(missing.select("link[rel=canonical]").isEmpty());
        assertEquals("noindex", missing.select("meta[name=robots]").attr("content"));
    }

    static final String NS = "http://www.sitemaps.org/schemas/sitemap/0.9";

    /** The document at path, as XML, validated against a schema of the protocol with the JDK's validating parser. */
    private org.w3c.dom.Document validated(String path, String schemaResource) throws Exception {
        HttpResponse<String> r = server.get(path);
        assertEquals(200, r.statusCode(), path);
        assertEquals("application/xml;charset=utf-8", r.headers().firstValue("Content-Type").orElse("").replace(" ", ""));
        byte[] xml = r.body().getBytes(StandardCharsets.UTF_8);
        SchemaFactory schemas = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        var schema = schemas.newSchema(new StreamSource(getClass().getResourceAsStream(schemaResource)));
        schema.newValidator().validate(new StreamSource(new ByteArrayInputStream(xml)));
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        org.w3c.dom.Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
        assertEquals(NS, doc.getDocumentElement().getNamespaceURI(), path);
        return doc;
    }

    @Test
    void theSitemapListsEveryPublicPageWithItsLastChangeAndRobotsPointsAtIt() throws Exception {
        long withdrawn = server.app().notices().create(new NewNotice(NoticeKind.INFORMATION, NoticeStatus.PUBLISHED,
                "Pubblicato per errore", "", "", "it", NOW.minus(Duration.ofHours(1)), null, null, null, "test", List.of()));
        server.app().notices().withdraw(withdrawn);
        // the index: the sitemap of the pages, then the numbered ones of the avvisi, each with its last change
        org.w3c.dom.Document index = validated("/sitemap.xml", "/schema/siteindex.xsd");
        assertEquals("sitemapindex", index.getDocumentElement().getLocalName());
        NodeList sitemaps = index.getElementsByTagNameNS(NS, "sitemap");
        List<String> files = new ArrayList<>();
        for (int i = 0; i < sitemaps.getLength(); i++) {
            Element sitemap = (Element) sitemaps.item(i);
            files.add(sitemap.getElementsByTagNameNS(NS, "loc").item(0).getTextContent());
            Instant t = OffsetDateTime.parse(sitemap.getElementsByTagNameNS(NS, "lastmod").item(0).getTextContent()).toInstant();
            assertFalse(t.isAfter(NOW), files.get(i) + " changed at " + t);
        }
        assertEquals(List.of(BASE + "/sitemap/pagine.xml", BASE + "/sitemap/avvisi-1.xml"), files);
        assertEquals(404, server.get("/sitemap/avvisi-2.xml").statusCode());
        assertEquals(404, server.get("/sitemap/avvisi-0.xml").statusCode());
        assertEquals(404, server.get("/sitemap/altro.xml").statusCode());

        List<String> locs = new ArrayList<>();
        for (String file : files) {
            org.w3c.dom.Document doc = validated(file.substring(BASE.length()), "/schema/sitemap.xsd");
            assertEquals("urlset", doc.getDocumentElement().getLocalName());
            NodeList urls = doc.getElementsByTagNameNS(NS, "url");
            for (int i = 0; i < urls.getLength(); i++) {
                Element url = (Element) urls.item(i);
                String loc = url.getElementsByTagNameNS("*", "loc").item(0).getTextContent();
                locs.add(loc);
                String lastmod = url.getElementsByTagNameNS("*", "lastmod").item(0).getTextContent();
                Instant t = OffsetDateTime.parse(lastmod).toInstant();
                assertFalse(t.isAfter(NOW), loc + " changed at " + lastmod);
            }
        }
        assertTrue(locs.containsAll(List.of(BASE + "/", BASE + "/avvisi")), locs.toString());
        for (String slug : List.of("sportello-telematico", "certificati-online", "albo-pretorio", "protocollo", "anagrafe",
                "carta-identita", "stato-civile", "iscrizioni-scolastiche", "mensa-trasporto", "pagamenti-pagopa", "tributi")) {
            assertTrue(locs.contains(BASE + "/servizi/" + slug), slug);
        }
        List<String> notices = page("/avvisi").select(".notice-title a").eachAttr("href");
        assertEquals(7, notices.size());
        for (String n : notices) assertTrue(locs.contains(BASE + n), n);
        assertEquals(2 + 11 + 7, locs.size(), "nothing else: not the withdrawn avviso " + locs);
        assertEquals(locs.size(), new java.util.HashSet<>(locs).size(), "each address once");

        HttpResponse<String> robots = server.get("/robots.txt");
        assertEquals(200, robots.statusCode());
        assertTrue(robots.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        List<String> lines = robots.body().lines().toList();
        assertTrue(lines.contains("User-agent: *"), robots.body());
        assertTrue(lines.contains("Disallow: /admin"), robots.body());
        assertTrue(lines.contains("Sitemap: " + BASE + "/sitemap.xml"), robots.body());
    }
}
