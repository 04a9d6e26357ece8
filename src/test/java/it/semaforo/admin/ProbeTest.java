package it.semaforo.admin;

import it.semaforo.admin.AdminClient.Page;
import it.semaforo.signal.Signal;
import it.semaforo.testing.HtmlChecker;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import it.semaforo.testing.Upstream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static it.semaforo.admin.AdminTesting.PASSWORD;
import static it.semaforo.admin.AdminTesting.count;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Probes of the comune's own online services against a loopback server that starts failing and
 * recovers: three failures in a row make a signal, three successes a recovery; every
 * measurement is kept (90 days) and drawn for clerks, and for residents only when turned on.
 */
class ProbeTest {
    static final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T08:00:00Z"));
    static final Upstream portal = Upstream.start();
    static final AtomicInteger status = new AtomicInteger(200);
    static final AtomicInteger payments = new AtomicInteger(200);
    static final AtomicInteger paymentsApi = new AtomicInteger(200);
    @RegisterExtension
    static final TestServer server = TestServer.demo(clock, AdminTesting.settings("signals.allow.private", "true", "signals.enabled", "false"));
    static AdminClient admin;

    @BeforeAll
    static void start() {
        AdminTesting.user(server, "giulia.verdi", Role.ADMINISTRATOR);
        admin = new AdminClient(server);
        assertEquals(303, admin.login("giulia.verdi", PASSWORD).status());
        portal.handle("/portale", exchange -> Upstream.send(exchange, status.get(), "text/html",
                status.get() == 200 ? "<h1>Benvenuto nel portale dei servizi</h1>" : "<h1>Errore</h1>"));
        portal.handle("/pagamenti", exchange -> Upstream.send(exchange, payments.get(), "text/html", "<h1>pagoPA</h1>"));
        portal.handle("/pagamenti-api", exchange -> Upstream.send(exchange, paymentsApi.get(), "application/json", "{}"));
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    static boolean measure(long probe) {
        clock.advance(Duration.ofMinutes(1));
        return server.app().poller().poll(probe);
    }

    static final String SVG = "http://www.w3.org/2000/svg";

    /** The probes' chart as we sent it, parsed by a real XML parser (namespaces on, no DOCTYPE allowed). */
    static org.w3c.dom.Document svg(String page) {
        int start = page.indexOf("<svg class=\"probe-chart\"");
        assertTrue(start >= 0, "a probes' chart in the page");
        String svg = page.substring(start, page.indexOf("</svg>", start) + "</svg>".length());
        try {
            var factory = javax.xml.parsers.DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(new org.xml.sax.InputSource(new java.io.StringReader(svg)));
        } catch (Exception e) {
            throw new AssertionError("not well-formed SVG: " + e + "\n" + svg, e);
        }
    }

    /** The SVG elements of a class (its class attribute lists it). */
    static List<org.w3c.dom.Element> ofClass(org.w3c.dom.Document svg, String cls) {
        List<org.w3c.dom.Element> all = new java.util.ArrayList<>();
        var nodes = svg.getElementsByTagNameNS(SVG, "*");
        for (int i = 0; i < nodes.getLength(); i++) {
            var e = (org.w3c.dom.Element) nodes.item(i);
            if (List.of(e.getAttribute("class").split(" ")).contains(cls)) all.add(e);
        }
        return all;
    }

    static List<Signal> open(long source) {
        return server.app().signals().open().stream().filter(s -> s.sourceId() == source).toList();
    }

    @Test
    void threeFailuresMakeASignalAndThreeSuccessesARecovery() {
        var certificates = server.app().services().load().service("certificati-online").orElseThrow();
        Page created = admin.post("/admin/segnalazioni/fonti", Map.of("kind", "probe", "name", "Portale certificati",
                "url", portal.url("/portale"), "target", "s" + certificates.id(), "selector", "Benvenuto", "state", "suspended",
                "interval", "60", "timeout", "3", "threshold", "3", "public", "1"));
        assertEquals(303, created.status(), created.body());
        long probe = server.app().signals().sources().list().stream().filter(s -> s.name().equals("Portale certificati"))
                .findFirst().orElseThrow().id();

        assertTrue(measure(probe));
        assertTrue(measure(probe));
        status.set(503);
        assertFalse(measure(probe));
        assertFalse(measure(probe));
        assertTrue(open(probe).isEmpty(), "two failures are not yet a signal");
        assertFalse(measure(probe));
        List<Signal> down = open(probe);
        assertEquals(1, down.size());
        assertEquals("Portale certificati non risponde come atteso da 3 controlli di seguito", down.get(0).title());
        assertEquals("atteso HTTP 200, ricevuto 503", down.get(0).text());
        assertFalse(measure(probe));
        assertEquals(1, count(server, "SELECT count(*) FROM signal WHERE source_id = ?", probe), "one signal while it stays down");
        var card = admin.get("/admin").doc().getElementById("segnalazione-" + down.get(0).id());
        assertEquals("/admin/segnalazioni/servizi/" + certificates.id(),
                card.selectFirst("a[href^=/admin/segnalazioni/servizi/]").attr("href"), "the dashboard's card leads to the service's chart");

        // the clerks' chart: every measurement, failures as such
        Page detail = admin.get("/admin/segnalazioni/fonti/" + probe);
        assertTrue(HtmlChecker.errors(detail.body()).isEmpty(), HtmlChecker.errors(detail.body()).toString());
        var summary = detail.doc().select("#probe-summary tbody tr").first();
        assertEquals("Portale certificati", summary.selectFirst("th").text());
        assertEquals("6", summary.select("td").get(0).text(), "six checks");
        assertEquals("4", summary.select("td").get(1).text(), "four failed");
        org.w3c.dom.Document svg = svg(detail.body());
        assertEquals(1, ofClass(svg, "probe-lane").get(0).getElementsByTagNameNS(SVG, "path").getLength(),
                "the six checks are in one slice of ten minutes, its failures marked by a triangle");

        assertEquals(303, admin.post("/admin/segnalazioni/" + down.get(0).id() + "/pubblica", Map.of()).status());
        Document page = Jsoup.parse(server.get("/servizi/certificati-online").body());
        assertTrue(page.text().contains("Sospeso"), "the declared state, from the avviso the clerk published");
        assertTrue(page.text().contains("Misure automatiche"), "public, as the administrator chose, and labelled");
        assertNotNull(page.selectFirst("[data-element=automatic-measurements]"));
        assertNotNull(page.selectFirst("svg.probe-chart"));

        status.set(200);
        assertTrue(measure(probe));
        assertTrue(measure(probe));
        assertTrue(open(probe).isEmpty());
        assertTrue(measure(probe));
        List<Signal> up = open(probe);
        assertEquals(1, up.size());
        assertTrue(up.get(0).recovery());
        assertEquals(303, admin.post("/admin/segnalazioni/" + up.get(0).id() + "/pubblica", Map.of()).status());
        long notice = down.get(0).id();
        Long published = server.app().signals().find(notice).orElseThrow().noticeId();
        assertNotNull(server.app().notices().find(published).orElseThrow().closedAt(), "the recovery closed the avviso");
        assertFalse(Jsoup.parse(server.get("/servizi/certificati-online").body()).select(".notice-card").text()
                .contains("Portale certificati non risponde"), "no longer in force on the public page");
    }

    @Test
    void measurementsAreKeptNinetyDaysAndPrivateUnlessTurnedOn() {
        var albo = server.app().services().load().service("albo-pretorio").orElseThrow();
        Page created = admin.post("/admin/segnalazioni/fonti", Map.of("kind", "probe", "name", "Albo online",
                "url", portal.url("/portale"), "target", "s" + albo.id(), "state", "limited"));
        assertEquals(303, created.status(), created.body());
        long probe = server.app().signals().sources().list().stream().filter(s -> s.name().equals("Albo online"))
                .findFirst().orElseThrow().id();
        status.set(200);
        assertTrue(measure(probe));
        assertNull(Jsoup.parse(server.get("/servizi/albo-pretorio").body()).selectFirst("[data-element=automatic-measurements]"),
                "measurements are not public unless turned on");
        server.app().database().write(c -> {
            try (var ps = c.prepareStatement("INSERT INTO probe_result(source_id, at, ok, status, latency_ms) VALUES (?, ?, 1, 200, 5)")) {
                ps.setLong(1, probe);
                ps.setLong(2, clock.instant().minus(Duration.ofDays(91)).toEpochMilli());
                ps.executeUpdate();
            }
            return null;
        });
        assertEquals(2, count(server, "SELECT count(*) FROM probe_result WHERE source_id = ?", probe));
        assertTrue(server.app().signals().sources().purge(clock.instant()) >= 1);
        assertEquals(1, count(server, "SELECT count(*) FROM probe_result WHERE source_id = ?", probe));
    }

    /**
     * The clerks' chart per service (issue 22): every probe of the service in one chart, over the
     * last 24 hours, 7 days or 90 days chosen by links, latency as bars and failures as
     * triangles, named and described for screen readers, with the same figures in tables; and
     * on the public page, only the probe the administrator made public, next to the declared state.
     */
    @Test
    void clerksSeeEveryProbeOfAServiceOverTheChosenPeriod() {
        var pay = server.app().services().load().service("pagamenti-pagopa").orElseThrow();
        assertEquals(303, admin.post("/admin/segnalazioni/fonti", Map.of("kind", "probe", "name", "Pagina dei pagamenti",
                "url", portal.url("/pagamenti"), "target", "s" + pay.id(), "state", "suspended", "public", "1")).status());
        assertEquals(303, admin.post("/admin/segnalazioni/fonti", Map.of("kind", "probe", "name", "API dei pagamenti",
                "url", portal.url("/pagamenti-api"), "target", "s" + pay.id(), "state", "limited")).status());
        long page = id("Pagina dei pagamenti");
        long api = id("API dei pagamenti");
        // 40 days ago both answer; 5 days ago the page fails twice; in the last hour the API fails once
        assertTrue(measure(page));
        assertTrue(measure(api));
        clock.advance(Duration.ofDays(35));
        payments.set(503);
        assertFalse(measure(page));
        assertFalse(measure(page));
        payments.set(200);
        clock.advance(Duration.ofDays(5).minusHours(1));
        assertTrue(measure(page));
        paymentsApi.set(500);
        assertFalse(measure(api));
        paymentsApi.set(200);
        assertTrue(measure(api));

        // forty days on, the session has long expired: sign in again (for the other tests too)
        assertEquals(303, admin.login("giulia.verdi", PASSWORD).status());
        String base = "/admin/segnalazioni/servizi/" + pay.id();
        Page day = admin.get(base);
        assertEquals(200, day.status());
        assertTrue(HtmlChecker.errors(day.body()).isEmpty(), HtmlChecker.errors(day.body()).toString());
        assertEquals("Ultime 24 ore", day.doc().selectFirst(".period-links a[aria-current=page]").text());
        assertEquals(List.of(base + "?periodo=24h", base + "?periodo=7g", base + "?periodo=90g"),
                day.doc().select(".period-links a").eachAttr("href"));
        org.w3c.dom.Document svg = svg(day.body());
        var root = svg.getDocumentElement();
        assertEquals("img", root.getAttribute("role"));
        for (String ref : root.getAttribute("aria-labelledby").split(" ")) {
            assertNotNull(byId(svg, ref), "the chart's " + ref + " is there to be read");
        }
        assertTrue(byId(svg, "probe-chart-title").getTextContent().contains("Pagamenti online (pagoPA)"));
        assertTrue(byId(svg, "probe-chart-desc").getTextContent().startsWith("2 sonde, 3 controlli, uno fallito"),
                byId(svg, "probe-chart-desc").getTextContent());
        List<org.w3c.dom.Element> lanes = ofClass(svg, "probe-lane");
        assertEquals(2, lanes.size(), "one lane per probe of the service");
        assertEquals(java.util.Set.of(0, 1), java.util.Set.of(failures(lanes.get(0)), failures(lanes.get(1))),
                "in the last 24 hours only the API failed, once");
        // the failure is a shape (a triangle, path) as well as a colour; latency a bar (rect)
        ofClass(svg, "probe-failed").forEach(e -> assertEquals("path", e.getLocalName()));
        assertFalse(ofClass(svg, "probe-ok").isEmpty());
        // the same figures for screen readers, as tables
        assertEquals(2, day.doc().select("#probe-summary tbody tr").size());
        assertEquals(1, day.doc().select("#probe-failures tbody tr").size());
        assertEquals("API dei pagamenti", day.doc().selectFirst("#probe-failures tbody tr td").text());

        Page week = admin.get(base + "?periodo=7g");
        assertEquals("Ultimi 7 giorni", week.doc().selectFirst(".period-links a[aria-current=page]").text());
        assertEquals(2, week.doc().select("#probe-failures tbody tr").size(), "five days ago: the page's failures too");
        assertEquals(2, ofClass(svg(week.body()), "probe-failed").size() - 1, "two slices with failures, besides the legend");
        assertTrue(week.doc().select("#probe-summary").text().contains("Pagina dei pagamenti 3 2"), week.doc().select("#probe-summary").text());

        Page quarter = admin.get(base + "?periodo=90g");
        assertTrue(quarter.doc().select("#probe-summary").text().contains("Pagina dei pagamenti 4 2 50,0 %"),
                quarter.doc().select("#probe-summary").text());
        assertTrue(HtmlChecker.errors(quarter.body()).isEmpty(), HtmlChecker.errors(quarter.body()).toString());
        assertEquals("Ultime 24 ore", admin.get(base + "?periodo=x").doc().selectFirst(".period-links a[aria-current=page]").text(),
                "an unknown period is the last 24 hours");
        assertEquals(404, admin.get("/admin/segnalazioni/servizi/999999").status());
        // the probe's own page links to its service's chart
        assertEquals(base, admin.get("/admin/segnalazioni/fonti/" + api).doc().selectFirst("#service-measurements").attr("href"));

        // residents: only the public probe, labelled as automatic measurements next to the declared state
        String body = server.get("/servizi/pagamenti-pagopa").body();
        Document pub = Jsoup.parse(body);
        var state = pub.selectFirst("section.service-state");
        assertNotNull(state.selectFirst("[data-element=service-status]"));
        var now = state.selectFirst("[data-element=automatic-measurements-now]");
        assertNotNull(now, "the measurement is next to the declared state");
        assertTrue(now.text().contains("Misura automatica di Pagina dei pagamenti, non lo stato dichiarato"), now.text());
        assertFalse(pub.text().contains("API dei pagamenti"), "a probe not made public stays private");
        org.w3c.dom.Document publicSvg = svg(body);
        assertEquals(1, ofClass(publicSvg, "probe-lane").size());
        assertNotNull(byId(publicSvg, "measured-chart-desc"));
        assertEquals(1, pub.select("[data-element=automatic-measurements] tbody tr").size());
        assertTrue(HtmlChecker.errors(body).isEmpty(), HtmlChecker.errors(body).toString());
    }

    static long id(String name) {
        return server.app().signals().sources().list().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow().id();
    }

    static org.w3c.dom.Element byId(org.w3c.dom.Document svg, String id) {
        var nodes = svg.getElementsByTagNameNS(SVG, "*");
        for (int i = 0; i < nodes.getLength(); i++) {
            var e = (org.w3c.dom.Element) nodes.item(i);
            if (id.equals(e.getAttribute("id"))) return e;
        }
        return null;
    }

    /** The failure marks in a lane. */
    static int failures(org.w3c.dom.Element lane) {
        return lane.getElementsByTagNameNS(SVG, "path").getLength();
    }
}
