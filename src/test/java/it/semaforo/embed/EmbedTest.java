package it.semaforo.embed;

import it.semaforo.notice.Impact;
import it.semaforo.notice.NoticeKind;
import it.semaforo.notice.NoticeRepository.NewNotice;
import it.semaforo.notice.NoticeStatus;
import it.semaforo.service.ServiceCatalog.NewService;
import it.semaforo.service.ServiceState;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.NodeList;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The banner script, the banner page for iframes and the SVG badges, over real HTTP. */
class EmbedTest {
    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    static final String BASE_URL = "https://stato.comune.example.it";
    static final MutableClock clock = new MutableClock(NOW);
    @RegisterExtension
    static final TestServer server = TestServer.demo(clock);

    static void assertNoCookie(HttpResponse<?> r, String what) {
        assertFalse(r.headers().firstValue("Set-Cookie").isPresent(), what + " sets no cookie");
    }

    // ---- the script -------------------------------------------------------------------

    @Test
    void theScriptIsSmallWritesNothingSynchronouslyAndCallsOnlyItsOwnSite() {
        HttpResponse<String> r = server.get("/embed/banner.js");
        assertEquals(200, r.statusCode());
        assertEquals("text/javascript;charset=utf-8", r.headers().firstValue("Content-Type").orElse("").replace(" ", ""));
        assertTrue(r.headers().firstValue("ETag").isPresent(), "cache-friendly");
        assertNoCookie(r, "the script");
        String js = r.body();
        assertTrue(js.length() < 8000, "tiny: " + js.length() + " bytes");
        assertFalse(js.contains("document.write"), "never blocks or rewrites the host page");
        assertFalse(js.contains("://"), "no address of any other site: it calls the origin it was loaded from");
        assertFalse(js.contains("document.cookie") || js.contains("localStorage") || js.contains("sessionStorage"), "it stores nothing");
        assertTrue(js.contains("credentials: \"omit\""), "its request carries no cookie");
        assertTrue(js.contains(".catch("), "an unreachable Semaforo leaves the page as it is");
        assertTrue(js.contains("attachShadow"), "its styles stay in a shadow root");
        assertTrue(js.contains("\"region\":\"Avvisi del Comune di Roccaverde\""), "strings from the message bundle");
        assertTrue(js.contains("\"api\":\"/api/semaforo/v1/notices.json\""));
        assertFalse(js.contains("/*STRINGS*/"));
    }

    // ---- the page for iframes ----------------------------------------------------------

    private Document bannerPage(String query, int status) {
        HttpResponse<String> r = server.get("/embed/banner" + query);
        assertEquals(status, r.statusCode(), r.body());
        assertNoCookie(r, "the banner page");
        assertFramableByAnySiteAndLoadsNothing(r);
        return Jsoup.parse(r.body(), server.url("/embed/banner"));
    }

    private static void assertFramableByAnySiteAndLoadsNothing(HttpResponse<String> r) {
        assertFalse(r.headers().firstValue("X-Frame-Options").isPresent(), "framable");
        String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.contains("frame-ancestors *"), csp);
        assertTrue(csp.contains("default-src 'none'"), "no request to anything: " + csp);
        Document doc = Jsoup.parse(r.body());
        assertEquals(0, doc.select("script, link, img, iframe, object, embed, form, [style], [src]").size(),
                "no script and nothing loaded, from us or anyone else");
        // the one inline style is allowed by its digest: the page works under its own policy
        Matcher hash = Pattern.compile("style-src '(sha256-[A-Za-z0-9+/=]+)'").matcher(csp);
        assertTrue(hash.find(), csp);
        assertEquals(hash.group(1), sha256(doc.selectFirst("style").data()));
        assertEquals("it", doc.selectFirst("html").attr("lang"));
    }

    @Test
    void theBannerPageShowsTheAvvisiInForceWithLinksToThisSiteOnly() {
        Document doc = bannerPage("", 200);
        assertEquals("Alcuni servizi non sono disponibili", doc.selectFirst("h1").text());
        assertEquals("Stato dei servizi del Comune di Roccaverde", doc.title());
        assertEquals(List.of("Telefonate ed email false a nome del Comune: non comunicate le vostre credenziali",
                        "Servizi online sospesi per l'attacco informatico al fornitore cloud",
                        "Comunicazione agli interessati: violazione dei dati dei servizi scolastici"),
                doc.select(".sf-title").eachText(), "at most three, what holds now first");
        assertEquals(List.of("Avviso di sicurezza", "Disservizio", "Violazione dei dati personali"), doc.select(".sf-kind").eachText());
        for (Element a : doc.select("a")) {
            assertTrue(a.attr("href").startsWith(BASE_URL + "/"), "links lead to the status page: " + a.attr("href"));
            assertEquals("_top", a.attr("target"), "a link opens in the host window, not inside the frame");
        }
        assertTrue(doc.selectFirst(".sf-item").selectFirst("p.sf-summary").text().startsWith("Alcuni cittadini"));
        assertTrue(doc.select("svg.state-icon").attr("aria-hidden").equals("true"), "the icon repeats the words");
    }

    @Test
    void theBannerPageForChosenServicesListsTheirStates() {
        Document doc = bannerPage("?servizi=anagrafe,stato-civile", 200);
        assertEquals("Stato dei servizi indicati", doc.selectFirst("h1").text());
        assertEquals(List.of("Anagrafe: Disponibile tramite canali alternativi", "Stato civile: Solo per adempimenti indifferibili"),
                doc.select(".sf-services li").eachText());
        assertEquals(List.of("Servizi online sospesi per l'attacco informatico al fornitore cloud"), doc.select(".sf-title").eachText());
        Document quiet = bannerPage("?servizi=carta-identita", 200);
        assertEquals(List.of("Carta d'identità elettronica: Attivo"), quiet.select(".sf-services li").eachText());
        assertEquals(0, quiet.select(".sf-list").size(), "no avviso, no list");

        Document bad = bannerPage("?servizi=nessuno%3Cb%3E", 400);
        assertTrue(bad.text().contains("nessuno<b>"), "the message says what was wrong, escaped: " + bad.text());
        assertEquals(0, bad.select("b").size());
    }

    @Test
    void everyOtherPageRefusesToBeFramed() {
        for (String path : List.of("/", "/avvisi", "/servizi/anagrafe", "/non/esiste")) {
            HttpResponse<String> r = server.get(path);
            assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElse(""), path);
            assertTrue(r.headers().firstValue("Content-Security-Policy").orElse("").contains("frame-ancestors 'none'"), path);
        }
    }

    // ---- badges -----------------------------------------------------------------------

    /** Parses the badge as XML, with no DTD and no external entity, and checks it is SVG. */
    static org.w3c.dom.Document svg(HttpResponse<byte[]> r) throws Exception {
        assertEquals(200, r.statusCode());
        assertEquals("image/svg+xml;charset=utf-8", r.headers().firstValue("Content-Type").orElse("").replace(" ", ""));
        assertTrue(r.headers().firstValue("Cache-Control").orElse("").startsWith("public"), "cache-friendly");
        assertTrue(r.headers().firstValue("ETag").isPresent());
        assertEquals("*", r.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        assertNoCookie(r, "a badge");
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        org.w3c.dom.Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(r.body()));
        assertEquals("svg", doc.getDocumentElement().getLocalName());
        assertEquals("http://www.w3.org/2000/svg", doc.getDocumentElement().getNamespaceURI());
        assertEquals("img", doc.getDocumentElement().getAttribute("role"));
        String body = new String(r.body(), StandardCharsets.UTF_8);
        assertFalse(body.contains("<script") || body.contains("href"), "nothing runs and nothing loads");
        return doc;
    }

    static String title(org.w3c.dom.Document svg) {
        return svg.getElementsByTagNameNS("http://www.w3.org/2000/svg", "title").item(0).getTextContent();
    }

    static String valueColour(org.w3c.dom.Document svg) {
        NodeList rects = svg.getElementsByTagNameNS("http://www.w3.org/2000/svg", "rect");
        return ((org.w3c.dom.Element) rects.item(1)).getAttribute("fill");
    }

    @Test
    void badgesAreSvgWithTheStateInWordsAndColour() throws Exception {
        org.w3c.dom.Document page = svg(server.getBytes("/embed/badge.svg"));
        assertEquals("Stato dei servizi: alcuni sospesi", title(page));
        assertEquals("Stato dei servizi: alcuni sospesi", page.getDocumentElement().getAttribute("aria-label"));
        assertEquals("#cc334d", valueColour(page));

        org.w3c.dom.Document registry = svg(server.getBytes("/embed/badge/anagrafe.svg"));
        assertEquals("Anagrafe: Disponibile tramite canali alternativi", title(registry));
        assertEquals("#0066cc", valueColour(registry));
        org.w3c.dom.Document cards = svg(server.getBytes("/embed/badge/carta-identita.svg"));
        assertEquals("Carta d'identità elettronica: Attivo", title(cards));
        assertEquals("#008055", valueColour(cards));
        NodeList texts = cards.getElementsByTagNameNS("http://www.w3.org/2000/svg", "text");
        assertEquals("Attivo", texts.item(1).getTextContent());
        int width = Integer.parseInt(cards.getDocumentElement().getAttribute("width"));
        assertTrue(width > 150 && width < 300, "wide enough for its words: " + width);

        assertEquals(404, server.getBytes("/embed/badge/nessuno.svg").statusCode());
        assertEquals(404, server.getBytes("/embed/badge/anagrafe").statusCode());

        HttpResponse<byte[]> first = server.getBytes("/embed/badge/carta-identita.svg");
        String etag = first.headers().firstValue("ETag").orElseThrow();
        assertEquals(304, server.get("/embed/badge/carta-identita.svg", "If-None-Match", etag).statusCode());
    }

    @Test
    void aBadgeFollowsTheStateOfItsService() throws Exception {
        String before = server.getBytes("/embed/badge/carta-identita.svg").headers().firstValue("ETag").orElseThrow();
        long cards = server.app().services().load().service("carta-identita").orElseThrow().id();
        long id = server.app().notices().create(new NewNotice(NoticeKind.OUTAGE, NoticeStatus.PUBLISHED,
                "Agenda CIE non raggiungibile", "", "", "it", NOW.minus(Duration.ofMinutes(5)), null, null, null, "test",
                List.of(Impact.onService(cards, ServiceState.SUSPENDED, ""))));
        try {
            HttpResponse<byte[]> during = server.getBytes("/embed/badge/carta-identita.svg");
            assertNotEquals(before, during.headers().firstValue("ETag").orElseThrow());
            org.w3c.dom.Document svg = svg(during);
            assertEquals("Carta d'identità elettronica: Sospeso", title(svg));
            assertEquals("#cc334d", valueColour(svg));
        } finally {
            server.app().notices().withdraw(id);
        }
        assertEquals("Carta d'identità elettronica: Attivo", title(svg(server.getBytes("/embed/badge/carta-identita.svg"))));
    }

    @Test
    void aNameWithMarkupStaysValidXml() throws Exception {
        String name = "Tasse & \"tributi\" <beta> dell'ufficio \u0007 第三報";
        long group = server.app().services().createGroup("Prove di badge", 99);
        server.app().services().createService(new NewService("tasse-beta", name, "", group, 1, List.of(), Set.of()));
        org.w3c.dom.Document svg = svg(server.getBytes("/embed/badge/tasse-beta.svg"));
        assertEquals("Tasse & \"tributi\" <beta> dell'ufficio   第三報: Attivo", title(svg), "a control character becomes a space");
    }

    private static String sha256(String text) {
        try {
            return "sha256-" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
