package it.semaforo.web;

import it.semaforo.notice.Impact;
import it.semaforo.notice.NoticeKind;
import it.semaforo.notice.NoticeRepository.NewNotice;
import it.semaforo.notice.NoticeRepository.NewUpdate;
import it.semaforo.notice.NoticeStatus;
import it.semaforo.service.ServiceCatalog.NewService;
import it.semaforo.service.ServiceState;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The archive's cards are rendered once per language and read model and written from then on
 * (PublicSite, Pages.Cards): each language keeps its own, and a change shows on every list.
 */
class ArchiveCardsTest {
    static final Instant NOW = Instant.parse("2026-12-08T10:00:00Z");
    @RegisterExtension
    static final TestServer server = TestServer.empty(new MutableClock(NOW), Map.of());

    private static Element card(String page, String title) {
        var html = server.get(page);
        assertEquals(200, html.statusCode(), page);
        return Jsoup.parse(html.body()).select("article.notice-card").stream()
                .filter(c -> c.select(".notice-title").text().equals(title)).findFirst()
                .orElseThrow(() -> new AssertionError(title + " not on " + page));
    }

    @Test
    void eachLanguageHasItsOwnCardsAndAChangeShowsOnEveryList() {
        var services = server.app().services();
        long group = services.createGroup("Anagrafe", 1);
        long registry = services.createService(new NewService("anagrafe", "Anagrafe", "", group, 1, List.of(), Set.of()));
        var notices = server.app().notices();
        long first = 0;
        for (int i = 0; i < 25; i++) {   // three numbered pages of ten: the first holds the oldest
            long id = notices.create(new NewNotice(NoticeKind.INFORMATION, NoticeStatus.PUBLISHED, "Avviso " + i, "", "", "it",
                    NOW.minus(Duration.ofDays(30 - i)), null, null, null, "test",
                    List.of(Impact.onService(registry, ServiceState.DEGRADED, ""))));
            if (i == 0) first = id;
        }
        // the same card asked for in Italian, then in English, then on another list
        assertEquals("Informazione", card("/avvisi/pagina/1", "Avviso 0").select(".notice-kind").text());
        assertEquals("Information", card("/en/avvisi/pagina/1", "Avviso 0").select(".notice-kind").text());
        assertTrue(card("/en/avvisi/pagina/1", "Avviso 0").select("a").attr("href").startsWith("/en/avvisi/"));
        assertTrue(card("/avvisi/servizio/anagrafe/pagina/1", "Avviso 0").select("a").attr("href").startsWith("/avvisi/"));
        assertTrue(card("/avvisi/servizio/anagrafe/pagina/1", "Avviso 0").select(".notice-status").text().startsWith("In corso"));

        notices.addUpdate(first, new NewUpdate("Risolto.", List.of(), true, "test", NOW.minus(Duration.ofHours(1))));
        for (String page : List.of("/avvisi/pagina/1", "/avvisi/servizio/anagrafe/pagina/1", "/avvisi/tipo/informazione/pagina/1")) {
            assertTrue(card(page, "Avviso 0").select(".notice-status").text().startsWith("Chiuso il"), page);
        }
        assertTrue(card("/en/avvisi/pagina/1", "Avviso 0").select(".notice-status").text().startsWith("Closed"));
    }
}
