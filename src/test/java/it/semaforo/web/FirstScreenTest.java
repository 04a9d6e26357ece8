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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The first screen of the home page answers "does my service work, what do I do instead, until
 * when", over real HTTP on the demo comune, as time passes (the clock only moves forward: the
 * cached pages hold until the next change): the services not fully working, a maintenance told
 * ahead and then running, and all well with the next maintenance. The same screen measured in
 * a browser: BrowserAccessibilityTest.theFirstScreenAnswers….
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FirstScreenTest {
    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    static final MutableClock clock = new MutableClock(NOW);
    @RegisterExtension
    static final TestServer server = TestServer.demo(clock);

    private Document page(String path, int expectedStatus) {
        HttpResponse<String> r = server.get(path);
        assertEquals(expectedStatus, r.statusCode(), path + " answered " + r.statusCode());
        return Jsoup.parse(r.body(), server.url(path));
    }

    private Element serviceLine(Document home, String name) {
        return home.select(".service-line").stream()
                .filter(li -> li.selectFirst(".service-name").text().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no service " + name));
    }

    @Test
    @Order(1)
    void theFirstScreenNamesEveryServiceNotFullyWorkingWithWhatInsteadAndUntilWhen() {
        Document home = page("/", 200);
        List<Element> lines = home.select("main > .banner .attention-line");
        assertEquals(List.of("Sportello telematico", "Certificati anagrafici online", "Protocollo e PEC", "Anagrafe",
                "Stato civile", "Tributi: IMU e TARI"), lines.stream().map(l -> l.selectFirst(".service-name").text()).toList());
        assertEquals("6 servizi non sono pienamente attivi su 11.", home.selectFirst(".banner-counts").text());
        Element portal = lines.get(0);
        assertEquals("/servizi/sportello-telematico", portal.selectFirst("a.service-name").attr("href"));
        assertEquals("Sospeso", portal.selectFirst(".state-label").text());
        // not available: where to go instead; until the avviso's expiry
        assertEquals("In alternativa: Sportello del cittadino · fino al 30 novembre, 11:00", portal.selectFirst(".attention-instead").text());
        assertEquals("In alternativa: Ufficio tributi · fino al 30 novembre, 11:00", lines.get(5).selectFirst(".attention-instead").text());
        // working with limits: the reason says how
        assertEquals("Solo atti di nascita e di morte · fino al 30 novembre, 11:00", lines.get(4).selectFirst(".attention-instead").text());
        assertEquals("Disponibile tramite canali alternativi", lines.get(3).selectFirst(".state-label").text());

        // each avviso once on the page: the pinned advisory is not repeated among the others
        List<String> titles = home.select("main .notice-card .notice-title").eachText();
        assertEquals(new java.util.HashSet<>(titles).size(), titles.size(), "each avviso once: " + titles);
        assertTrue(home.html().indexOf("attention-list") < home.html().indexOf("pinned-title"), "the services first, then the avvisi");
    }

    @Test
    @Order(2)
    void aPlannedMaintenanceIsToldAheadAndSwitchesTheServiceDuringItsWindow() {
        Document home = page("/", 200);
        Element payments = serviceLine(home, "Pagamenti online (pagoPA)");
        assertEquals("Attivo", payments.selectFirst(".state-label").text());
        assertEquals("Manutenzione programmata: 27 novembre, 08:00–14:00", payments.selectFirst(".service-planned").text());
        Element card = home.selectFirst("#upcoming-title ~ .notice-card");
        assertEquals("Manutenzione programmata: 27 novembre, 08:00–14:00 In questo intervallo il servizio indicato non sarà disponibile.",
                card.selectFirst(".notice-window").text());
        assertTrue(card.children().indexOf(card.selectFirst(".notice-window")) < card.children().indexOf(card.selectFirst(".notice-summary")),
                "the window is told before the summary, not as the card's last line");
        Document service = page("/servizi/pagamenti-pagopa", 200);
        assertEquals("Attivo", service.selectFirst("[data-element=service-status]").text());
        assertTrue(service.selectFirst(".service-state .service-planned").text()
                .startsWith("Manutenzione programmata: 27 novembre, 08:00–14:00. In questo intervallo il servizio non sarà disponibile."),
                service.selectFirst(".service-state").text());

        clock.set(Instant.parse("2026-11-27T07:30:00Z"));   // 08:30 in Rome: inside the window
        Document during = page("/", 200);
        Element line = serviceLine(during, "Pagamenti online (pagoPA)");
        assertEquals("In manutenzione", line.selectFirst(".state-label").text());
        assertEquals(null, line.selectFirst(".service-planned"), "no longer announced: it is running");
        Element attention = during.select(".attention-line").stream()
                .filter(l -> l.selectFirst(".service-name").text().equals("Pagamenti online (pagoPA)")).findFirst().orElseThrow();
        assertEquals("In alternativa: Tabaccherie e uffici postali aderenti a pagoPA · fino al 27 novembre, 14:00",
                attention.selectFirst(".attention-instead").text());
        assertEquals("Manutenzione in corso: 27 novembre, 08:00–14:00 In questo intervallo il servizio indicato non sarà disponibile.",
                during.select(".notice-window").text());
        assertEquals("In manutenzione", page("/servizi/pagamenti-pagopa", 200).selectFirst("[data-element=service-status]").text());
    }

    @Test
    @Order(3)
    void whenAllIsWellTheFirstScreenSaysSoAndShowsTheNextMaintenance() {
        clock.set(Instant.parse("2026-12-01T09:00:00Z"));   // the outage has expired, the pagoPA window is over
        Catalog c = server.app().services().load();
        Instant start = Instant.parse("2026-12-09T07:00:00Z");
        long id = server.app().notices().create(new NewNotice(NoticeKind.MAINTENANCE, NoticeStatus.PUBLISHED,
                "Aggiornamento del protocollo", "", "", "it", Instant.parse("2026-12-01T08:00:00Z"), start.plus(Duration.ofHours(6)),
                start, start.plus(Duration.ofHours(6)), "test",
                List.of(Impact.onService(c.service("protocollo").orElseThrow().id(), ServiceState.MAINTENANCE, "Aggiornamento"))));
        try {
            Document home = page("/", 200);
            Element banner = home.selectFirst("main > .banner");
            assertEquals("Tutti i servizi sono attivi", banner.selectFirst("h1").text());
            assertTrue(banner.select(".attention-line").isEmpty());
            assertEquals("Prossima manutenzione programmata: Aggiornamento del protocollo 9 dicembre, 08:00–14:00",
                    banner.selectFirst(".banner-next").text());
        } finally {
            server.app().notices().withdraw(id);
        }
    }

}
