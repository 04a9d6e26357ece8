package it.semaforo.web;

import it.semaforo.notice.Impact;
import it.semaforo.notice.NoticeKind;
import it.semaforo.notice.NoticeRepository.NewNotice;
import it.semaforo.notice.NoticeStatus;
import it.semaforo.service.Catalog;
import it.semaforo.service.ServiceState;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The resident's pages over real HTTP, on the demo comune. */
class PublicPagesTest {
    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    static MutableClock clock = new MutableClock(NOW);
    @RegisterExtension
    static final TestServer server = TestServer.demo(clock);

    @BeforeEach
    void resetClock() {
        clock.set(NOW);
    }

    private Document page(String path, int expectedStatus) {
        HttpResponse<String> r = server.get(path);
        assertEquals(expectedStatus, r.statusCode(), path + " answered " + r.statusCode() + ": " + r.body());
        assertEquals("text/html;charset=utf-8", r.headers().firstValue("Content-Type").orElse("").replace(" ", ""), path);
        return Jsoup.parse(r.body(), server.url(path));
    }

    private Element serviceLine(Document home, String name) {
        return home.select(".service-line").stream()
                .filter(li -> li.selectFirst(".service-name").text().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no service " + name));
    }

    private String noticePath(Document doc, String titleStart) {
        return doc.select(".notice-title a").stream().filter(a -> a.text().startsWith(titleStart)).findFirst()
                .orElseThrow(() -> new AssertionError("no avviso " + titleStart)).attr("href");
    }

    @Test
    void theHomePageTellsAtOnceWhatWorksAndWhatDoesNot() {
        Document home = page("/", 200);
        assertEquals("it", home.selectFirst("html").attr("lang"));
        Element banner = home.selectFirst("main > .banner");
        assertEquals(banner, home.selectFirst("main").child(0), "the banner is the first thing in the page");
        assertEquals("Alcuni servizi non sono disponibili", banner.selectFirst("h1").text());
        assertTrue(banner.text().contains("24 novembre 2026, 11:00"), "time in Europe/Rome, Italian format: " + banner.text());

        assertEquals("Sospeso", serviceLine(home, "Sportello telematico").selectFirst(".state-label").text());
        Element anagrafe = serviceLine(home, "Anagrafe");
        assertEquals("Disponibile tramite canali alternativi", anagrafe.selectFirst(".state-label").text());
        assertEquals("Pratiche allo sportello con una piattaforma alternativa", anagrafe.selectFirst(".service-reason").text());
        assertEquals("Solo per adempimenti indifferibili", serviceLine(home, "Stato civile").selectFirst(".state-label").text());
        assertEquals("Attivo", serviceLine(home, "Carta d'identità elettronica").selectFirst(".state-label").text());
        assertEquals("Rallentato", serviceLine(home, "Protocollo e PEC").selectFirst(".state-label").text());
        assertTrue(serviceLine(home, "Anagrafe").selectFirst("svg.state-icon") != null, "a state has an icon");
        // groups
        assertEquals(List.of("Servizi online", "Anagrafe e stato civile", "Scuola", "Tributi e pagamenti"),
                home.select(".service-group h3").eachText());
        // avvisi in force, the planned maintenance apart
        List<String> inForce = home.select("#notices-title ~ .notice-card .notice-title").eachText();
        assertTrue(inForce.contains("Servizi online sospesi per l'attacco informatico al fornitore cloud"), inForce.toString());
        assertTrue(home.select("#pinned-title ~ .notice-card .notice-title").eachText()
                .contains("Telefonate ed email false a nome del Comune: non comunicate le vostre credenziali"), "the advisory is pinned");
        assertFalse(inForce.stream().anyMatch(t -> t.startsWith("Uffici chiusi")), "an expired avviso is not in force");
        assertTrue(home.select("#upcoming-title ~ .notice-card .notice-title").text().startsWith("Manutenzione programmata di pagoPA"));
        assertEquals(0, home.select("script").size(), "no JavaScript needed");
    }

    @Test
    void aServicePageShowsStateReasonChannelsAvvisiAndHistory() {
        Document doc = page("/servizi/stato-civile", 200);
        assertEquals("Stato civile", doc.selectFirst("h1").text());
        Element chip = doc.selectFirst("[data-element=service-status]");
        assertEquals("Solo per adempimenti indifferibili", chip.text());
        assertTrue(doc.selectFirst(".service-reason").text().contains("Solo atti di nascita e di morte"));
        assertEquals("Cosa fare nel frattempo", doc.selectFirst("#channels-title").text());
        assertTrue(doc.select(".channel").text().contains("Piazza del Municipio 1, primo piano"));
        assertTrue(doc.select(".channel a[href^=tel:]").size() > 0);
        assertEquals(1, doc.select("#notices-title ~ .notice-card").size());
        assertEquals(90, doc.select("svg.history-chart rect.bar").size());
        assertFalse(doc.select(".history-table tbody tr").isEmpty(), "the days of the outage are listed");
        assertTrue(doc.select("svg.history-chart title").first().text().length() > 10, "the chart has a text alternative");

        Document spid = page("/servizi/certificati-online", 200);
        // the resolved SPID outage of 40 days ago is in the history
        assertTrue(spid.select(".history-table td").text().contains("Sospeso"));
        page("/servizi/non-esiste", 404);
    }

    @Test
    void anAvvisoPageHasItsDatesUpdatesAndAttachment() {
        Document home = page("/", 200);
        String path = noticePath(home, "Servizi online sospesi");
        assertTrue(path.matches("/avvisi/[0-9]+-servizi-online-sospesi-per-l-attacco-informatico-al-fornitore-cloud"), path);
        Document doc = page(path, 200);
        assertEquals("Servizi online sospesi per l'attacco informatico al fornitore cloud", doc.selectFirst("h1").text());
        Map<String, String> dates = new java.util.HashMap<>();
        for (Element div : doc.select(".notice-dates > div")) dates.put(div.selectFirst("dt").text(), div.selectFirst("dd").text());
        assertEquals("12 novembre 2026, 10:19", dates.get("Data"));
        assertEquals("30 novembre 2026, 11:00", dates.get("Data scadenza"));
        assertEquals("23 novembre 2026, 15:00", dates.get("Ultimo aggiornamento"));
        assertTrue(dates.get("Tempo di lettura").matches("[0-9]+ min"));
        assertEquals(List.of("Aggiornamento n. 3", "Aggiornamento n. 2", "Aggiornamento n. 1"),
                doc.select(".timeline h3").eachText().stream().map(t -> t.replaceAll(" –.*", "")).toList());
        assertEquals(1, doc.select(".notice-body table").size(), "Markdown tables are rendered");
        assertTrue(doc.select(".notice-body strong").size() > 0);
        List<String> affected = doc.select("#affected-title ~ ul .service-name").eachText();
        assertTrue(affected.containsAll(List.of("Anagrafe", "Stato civile", "Sportello telematico")), affected.toString());

        String pdf = doc.selectFirst(".attachments a").attr("href");
        HttpResponse<byte[]> file = server.getBytes(pdf);
        assertEquals(200, file.statusCode());
        assertEquals("application/pdf", file.headers().firstValue("Content-Type").orElse(""));
        assertTrue(file.headers().firstValue("Content-Disposition").orElse("").contains("comunicato-pa-gestionali.pdf"));
        assertTrue(new String(file.body(), 0, 5).startsWith("%PDF-"));
        assertEquals(404, server.getBytes("/allegati/..%2F..%2Fsemaforo.db").statusCode());
        assertEquals(404, server.getBytes("/allegati/" + "a".repeat(32) + ".pdf").statusCode());
    }

    @Test
    void anOldOrMissingSlugRedirectsToTheCanonicalAddress() {
        String path = noticePath(page("/", 200), "Telefonate ed email false");
        String id = path.replaceAll("/avvisi/([0-9]+)-.*", "$1");
        for (String old : List.of("/avvisi/" + id, "/avvisi/" + id + "-titolo-di-prima")) {
            HttpResponse<String> r = server.get(old, "Host", "evil.example");
            assertEquals(301, r.statusCode(), old);
            String location = r.headers().firstValue("Location").orElse("");
            assertFalse(location.contains("evil.example"), "a redirect never trusts the Host header: " + location);
            assertTrue(location.endsWith(path), location);
        }
        page("/avvisi/999999-nulla", 404);
        page("/avvisi/abc", 404);
    }

    @Test
    void theArchiveSearchesFiltersAndPaginates() {
        Document all = page("/avvisi", 200);
        assertEquals("7 avvisi trovati", all.selectFirst(".archive-count").text());
        assertTrue(all.select(".notice-title").eachText().contains("Uffici chiusi per la festa del santo patrono"));

        Document search = page("/avvisi?q=pagoPA", 200);
        assertTrue(search.select(".notice-title").eachText().stream().anyMatch(t -> t.startsWith("Manutenzione programmata di pagoPA")));
        assertEquals("pagoPA", search.selectFirst("#q").val());
        assertEquals("1 avviso trovato", page("/avvisi?q=festa+del+santo", 200).selectFirst(".archive-count").text());
        assertEquals("Nessun avviso trovato", page("/avvisi?q=%22%27%3B+DROP+TABLE+notice%3B--", 200).selectFirst(".archive-count").text());
        assertEquals("Nessun avviso trovato", page("/avvisi?q=%25", 200).selectFirst(".archive-count").text());

        Document security = page("/avvisi/tipo/sicurezza", 200);
        assertEquals(1, security.select(".notice-card").size());
        assertEquals("sicurezza", security.selectFirst("#tipo option[selected]").val());

        // by service: the avvisi on the providers the service depends on count too
        List<String> spid = page("/avvisi/servizio/certificati-online", 200).select(".notice-title").eachText();
        assertTrue(spid.contains("Accesso con SPID e CIE non disponibile"), spid.toString());
        assertTrue(spid.contains("Servizi online sospesi per l'attacco informatico al fornitore cloud"), spid.toString());
        assertFalse(spid.contains("Uffici chiusi per la festa del santo patrono"));

        assertEquals("7 avvisi trovati", page("/avvisi/anno/2026", 200).selectFirst(".archive-count").text());
        assertEquals("Nessun avviso trovato", page("/avvisi/anno/2019", 200).selectFirst(".archive-count").text());

        Document first = page("/avvisi", 200);
        assertEquals(7, first.select(".notice-card").size(), "ten a page: all seven fit");
        assertEquals(0, first.select(".pagination a[rel=prev]").size(), "nothing more recent than the landing");
        page("/avvisi/pagina/99", 404);   // beyond the last page
        assertEquals("Pagina non trovata", page("/avvisi/pagina/999999", 404).selectFirst("h1").text());
        assertEquals("Nessun avviso trovato", page("/avvisi?q=nessun-risultato", 200).selectFirst(".archive-count").text(),
                "the first page of no results is a page");

        for (String bad : List.of("/avvisi?tipo=nessuno", "/avvisi?servizio=boh", "/avvisi?anno=20x6", "/avvisi?pagina=-1",
                "/avvisi?q=" + "a".repeat(201), "/avvisi/tipo/nessuno", "/avvisi/servizio/boh", "/avvisi/anno/20x6",
                "/avvisi/pagina/0", "/en/avvisi/tipo/nessuno/pagina/2")) {
            Document doc = page(bad, 400);
            if (!bad.startsWith("/en")) assertEquals("Richiesta non valida", doc.selectFirst("h1").text(), bad);
        }
    }

    /** The search form and old links use the query string: a valid one moves for good to the path form. */
    @Test
    void theArchiveQueryFormsMoveToItsPathForms() {
        Map<String, String> moves = new java.util.LinkedHashMap<>();
        moves.put("/avvisi?tipo=sicurezza", "/avvisi/tipo/sicurezza");
        moves.put("/avvisi?q=&servizio=&tipo=&anno=", "/avvisi");
        moves.put("/avvisi?q=SPID&servizio=anagrafe&tipo=manutenzione&anno=2026&pagina=2",
                "/avvisi/servizio/anagrafe/tipo/manutenzione/anno/2026/pagina/2?q=SPID");
        moves.put("/en/avvisi?pagina=1", "/en/avvisi/pagina/1");
        moves.put("/avvisi/pagina/01", "/avvisi/pagina/1");
        moves.put("/de/avvisi/tipo/sicurezza?anno=2026", "/de/avvisi/tipo/sicurezza/anno/2026");
        moves.forEach((from, to) -> {
            HttpResponse<String> r = server.get(from);
            assertEquals(301, r.statusCode(), from);
            assertEquals(to, r.headers().firstValue("Location").orElse(""), from);
        });
        assertEquals(200, server.get("/avvisi/servizio/anagrafe/tipo/manutenzione/anno/2026?q=SPID").statusCode());
        assertEquals(200, server.get("/avvisi?q=SPID").statusCode(), "a search alone stays in the query string");
    }

    /**
     * Pages are numbered from the oldest, ten places each, so that page n shows the same avvisi
     * whatever is published later; the landing shows the newest ones (the newest page, with the
     * one before it while the newest is not full) and the only count.
     */
    @Test
    void theArchiveIsPaginatedTenAtATimeFromTheOldest() {
        List<Long> extra = new java.util.ArrayList<>();
        for (int i = 1; i <= 15; i++) {
            extra.add(server.app().notices().create(new NewNotice(NoticeKind.INFORMATION, NoticeStatus.PUBLISHED,
                    "Comunicazione di prova " + i, "", "", "it", NOW.minus(Duration.ofDays(200 - i)), null, null, null,
                    "test", List.of())));
        }
        try {
            // 7 avvisi of the demo + 15 older ones (+ the withdrawn of other tests, which keep their places)
            Document landing = page("/avvisi", 200);
            assertEquals("22 avvisi trovati", landing.selectFirst(".archive-count").text());
            List<String> titles = landing.select(".notice-title").eachText();
            assertTrue(titles.size() >= 10 && titles.size() < 20, titles.toString());
            assertEquals(0, landing.select(".pagination a[rel=prev]").size(), "nothing more recent than the landing");
            String older = landing.selectFirst(".pagination a[rel=next]").attr("href");
            assertEquals("Avvisi meno recenti", landing.selectFirst(".pagination a[rel=next]").text());
            Document page = page(older, 200);
            List<String> onPage = page.select(".notice-title").eachText();
            assertFalse(onPage.stream().anyMatch(titles::contains), "no avviso twice: " + onPage + " " + titles);
            if (older.equals("/avvisi/pagina/1")) {
                assertEquals(10, onPage.size());
                assertEquals("Comunicazione di prova 10", onPage.get(0), "newest first on a page");
                assertEquals("Comunicazione di prova 1", onPage.get(9), "the oldest avviso is on page 1");
                assertEquals(0, page.select(".pagination a[rel=next]").size(), "nothing older than page 1");
            }
            assertEquals("/avvisi/pagina/2", page("/avvisi/pagina/1", 200).selectFirst(".pagination a[rel=prev]").attr("href"));
            assertEquals("Avvisi più recenti", page("/avvisi/pagina/1", 200).selectFirst(".pagination a[rel=prev]").text());
            String span = page("/avvisi/pagina/1", 200).selectFirst(".archive-count").text();
            assertTrue(span.startsWith("Pagina 1: avvisi pubblicati dal "), span);
            assertFalse(page("/avvisi/pagina/1", 200).text().contains("avvisi trovati"), "no total on a numbered page");
            assertFalse(page("/avvisi/pagina/1", 200).text().contains(" di 3"), "no number of pages on a numbered page");
            int newest = 3;   // or more: the withdrawn avvisi of other tests keep their places
            while (server.get("/avvisi/pagina/" + (newest + 1)).statusCode() == 200) newest++;
            assertEquals(0, page("/avvisi/pagina/" + newest, 200).select(".pagination a[rel=prev]").size(), "the newest page");
            assertEquals("/avvisi/pagina/" + (newest - 1), page("/avvisi/pagina/" + newest, 200)
                    .selectFirst(".pagination a[rel=next]").attr("href"));
            page("/avvisi/pagina/" + (newest + 1), 404);
            Document filtered = page("/avvisi/tipo/informazione", 200);
            assertEquals("16 avvisi trovati", filtered.selectFirst(".archive-count").text());
            assertEquals(List.of("/it/avvisi/tipo/informazione", "/en/avvisi/tipo/informazione", "/de/avvisi/tipo/informazione",
                    "/ja/avvisi/tipo/informazione"), filtered.select("a[hreflang][lang]").eachAttr("href").stream()
                    .filter(h -> h.contains("/avvisi")).toList(), "the switcher leads to the same page");
            assertEquals("/en/avvisi/pagina/1", page("/en/avvisi/pagina/2", 200).selectFirst(".pagination a[rel=next]").attr("href"));
            // a numbered page names its filters and links the landing where the form is, with them selected
            Document numbered = page("/avvisi/tipo/informazione/pagina/1", 200);
            assertEquals(0, numbered.select("form.archive-search, select").size(), "no search form on a numbered page");
            assertEquals("Filtri in uso: Tipo di avviso: Informazione. Cerca o cambia i filtri",
                    numbered.selectFirst(".archive-filters").text());
            assertEquals("/avvisi/tipo/informazione", numbered.selectFirst(".archive-filters a").attr("href"));
            assertEquals("informazione", page("/avvisi/tipo/informazione", 200).selectFirst("#tipo option[selected]").val());
            assertEquals("Tutti gli avvisi, senza filtri. Cerca o cambia i filtri", page("/avvisi/pagina/1", 200)
                    .selectFirst(".archive-filters").text());
            assertEquals("/en/avvisi", page("/en/avvisi/pagina/1", 200).selectFirst(".archive-filters a").attr("href"));
            Document searched = page("/avvisi/pagina/1?q=prova", 200);
            assertEquals("prova", searched.selectFirst("#q").val(), "a text search keeps its form on every page");
            assertEquals(0, searched.select(".archive-filters").size());
            // the static copy lists every page of the archive, filtered by service, kind and year too
            List<String> listed = server.app().publicAddresses().stream().map(a -> a.path()).toList();
            for (String path : List.of("/avvisi", "/avvisi/pagina/1", "/avvisi/pagina/3", "/en/avvisi/pagina/2",
                    "/avvisi/tipo/informazione", "/avvisi/tipo/informazione/pagina/2", "/ja/avvisi/servizio/anagrafe",
                    "/de/avvisi/anno/2026/pagina/1")) {
                assertTrue(listed.contains(path), path);
            }
            assertFalse(listed.contains("/avvisi/pagina/" + (newest + 1)));
        } finally {
            extra.forEach(server.app().notices()::withdraw);
        }
    }

    @Test
    void textFromAClerkIsEscapedAndMarkdownIsSanitised() {
        Catalog c = server.app().services().load();
        long portal = c.service("sportello-telematico").orElseThrow().id();
        long id = server.app().notices().create(new NewNotice(NoticeKind.INFORMATION, NoticeStatus.PUBLISHED,
                "<script>alert('titolo')</script> & \"virgolette\"", "<img src=x onerror=alert(1)>",
                "Testo <script>alert(2)</script> <b onclick=\"alert(3)\">grassetto</b>\n\n"
                        + "[clic](javascript:alert(4)) [sito](https://www.comune.example.it)\n\n<iframe src=\"https://evil.example\"></iframe>",
                "it", NOW.minus(Duration.ofMinutes(5)), null, null, null, "test",
                List.of(Impact.onService(portal, ServiceState.DEGRADED, "<em>motivo</em>"))));
        try {
            assertEscaped(id);
        } finally {
            server.app().notices().withdraw(id);
        }
    }

    private void assertEscaped(long id) {
        HttpResponse<String> home = server.get("/");
        assertTrue(home.body().contains("&lt;script&gt;alert(&#39;titolo&#39;)&lt;/script&gt;") || home.body().contains("&lt;script&gt;alert('titolo')&lt;/script&gt;"));
        Document homeDoc = Jsoup.parse(home.body());
        assertEquals(0, homeDoc.select("script").size());
        // the comune's logo is the only image of the page; the clerk's <img> stays text
        assertEquals(0, homeDoc.select("img:not(.comune-logo), [onerror]").size());
        assertEquals(0, homeDoc.select(".service-reason em").size());

        HttpResponse<String> r = server.get("/avvisi/" + id + "-script-alert-titolo-script-virgolette");
        assertEquals(200, r.statusCode(), r.body());
        Document doc = Jsoup.parse(r.body());
        assertEquals("<script>alert('titolo')</script> & \"virgolette\"", doc.selectFirst("h1").text());
        // the one script element is the schema.org data block, never executed, with the title escaped inside
        assertEquals(List.of("application/ld+json"), doc.select("script").eachAttr("type"));
        assertFalse(doc.selectFirst("script").data().contains("<"), "no markup inside the JSON-LD block");
        assertEquals(0, doc.select("script:not([type=application/ld+json]), script[src], iframe, img:not(.comune-logo), [onclick], [onerror]").size());
        assertEquals(0, doc.select("a[href^=javascript]").size());
        assertEquals("https://www.comune.example.it", doc.selectFirst(".notice-body a:contains(sito)").attr("href"));
        assertTrue(doc.selectFirst(".notice-body").text().contains("grassetto"));
    }

    @Test
    void anAvvisoWhoseExpiryPassesLeavesTheHomePageByItself() {
        Catalog c = server.app().services().load();
        long cards = c.service("carta-identita").orElseThrow().id();
        long id = server.app().notices().create(new NewNotice(NoticeKind.OUTAGE, NoticeStatus.PUBLISHED,
                "Prenotazioni CIE sospese fino alle 12", "", "", "it", NOW.minus(Duration.ofHours(1)),
                NOW.plus(Duration.ofHours(1)), null, null, "test",
                List.of(Impact.onService(cards, ServiceState.SUSPENDED, "Agenda nazionale non disponibile"))));
        try {
            expiresByItself();
        } finally {
            server.app().notices().withdraw(id);
        }
    }

    private void expiresByItself() {
        Document before = page("/", 200);
        assertTrue(before.select(".notice-title").eachText().contains("Prenotazioni CIE sospese fino alle 12"));
        assertEquals("Sospeso", serviceLine(before, "Carta d'identità elettronica").selectFirst(".state-label").text());

        clock.advance(Duration.ofHours(1));
        Document after = page("/", 200);
        assertFalse(after.select(".notice-title").eachText().contains("Prenotazioni CIE sospese fino alle 12"));
        assertEquals("Attivo", serviceLine(after, "Carta d'identità elettronica").selectFirst(".state-label").text());
        // its address still answers, saying it has expired
        String path = noticePath(page("/avvisi?q=Prenotazioni+CIE", 200), "Prenotazioni CIE");
        assertTrue(page(path, 200).selectFirst(".notice-status").text().startsWith("Scaduto il"));
    }

    @Test
    void aWithdrawnAvvisoAnswers410WithATrace() {
        long id = server.app().notices().create(new NewNotice(NoticeKind.INFORMATION, NoticeStatus.PUBLISHED,
                "Pubblicato per errore", "", "", "it", NOW.minus(Duration.ofHours(1)), null, null, null, "test", List.of()));
        assertEquals(200, server.get("/avvisi/" + id + "-pubblicato-per-errore").statusCode());
        server.app().notices().withdraw(id);
        Document doc = page("/avvisi/" + id + "-pubblicato-per-errore", 410);
        assertEquals("Avviso ritirato", doc.selectFirst("h1").text());
        assertTrue(doc.text().contains("Comune di Roccaverde"));
        assertFalse(page("/avvisi", 200).text().contains("Pubblicato per errore"));
    }

    @Test
    void anyLanguageInContentTravelsIntact() {
        long id = server.app().notices().create(new NewNotice(NoticeKind.DATA_BREACH, NoticeStatus.PUBLISHED,
                "足立区の委託業者へのサイバー攻撃（第三報）", "情報流出の可能性があります。",
                "事業者から、以下の対策を講じる予定である旨の報告がありました。", "ja",
                NOW.minus(Duration.ofHours(1)), null, null, null, "test", List.of()));
        try {
            Document doc = page("/avvisi/" + id + "-avviso", 200);
            assertEquals("足立区の委託業者へのサイバー攻撃（第三報）", doc.selectFirst("h1").text());
            assertEquals("ja", doc.selectFirst("h1").attr("lang"));
            assertEquals(1, page("/avvisi?q=%E7%AC%AC%E4%B8%89%E5%A0%B1", 200).select(".notice-card").size(), "search finds 第三報");
        } finally {
            server.app().notices().withdraw(id);
        }
    }

    @Test
    void everyAnswerCarriesTheSecurityHeaders() {
        server.get("/");   // the second answer comes from the fast path
        for (String path : List.of("/", "/", "/servizi/anagrafe", "/non/esiste", "/health", "/avvisi?tipo=nessuno")) {
            HttpResponse<String> r = server.get(path);
            String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
            assertTrue(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"), path + ": " + csp);
            assertFalse(csp.contains("unsafe-inline"), path);
            assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""), path);
            assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElse(""), path);
            assertTrue(r.headers().firstValue("Referrer-Policy").isPresent(), path);
            assertTrue(r.headers().firstValue("Permissions-Policy").orElse("").contains("camera=()"), path);
            assertTrue(r.headers().firstValue("Strict-Transport-Security").orElse("").contains("max-age"), path + ": base.url is https");
        }
    }

    @Test
    void unknownAddressesGetAProperPageAndHealthAnswers() {
        Document doc = page("/non/esiste", 404);
        assertEquals("Pagina non trovata", doc.selectFirst("h1").text());
        assertTrue(doc.selectFirst("a[href=/]") != null);
        HttpResponse<String> health = server.get("/health");
        assertEquals(200, health.statusCode());
        assertTrue(health.body().matches("\\{\"status\":\"ok\",\"database\":\"ok\",\"disk\":\"ok\",\"disk_free_bytes\":[1-9][0-9]*}"),
                health.body());
        assertTrue(health.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertFalse(server.get("/").headers().firstValue("Server").isPresent(), "no server version banner");
        assertEquals(200, server.get("/static/semaforo.css").statusCode());
    }
}
