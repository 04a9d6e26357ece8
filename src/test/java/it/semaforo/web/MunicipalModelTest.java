package it.semaforo.web;

import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What AgID's validator and the Designers Italia municipal model look for on every page: the
 * comune's main menu and footer links (data-element), contacts, the licence, and the state
 * chip of a service, all from the configuration.
 */
class MunicipalModelTest {
    static final Map<String, String> LINKS = Map.of(
            "comune.menu.management", "https://www.comune.esempio.it/amministrazione",
            "comune.menu.news", "https://www.comune.esempio.it/novita",
            "comune.menu.all-services", "https://www.comune.esempio.it/servizi",
            "comune.menu.live", "https://www.comune.esempio.it/vivere",
            "comune.faq.url", "https://www.comune.esempio.it/faq",
            "comune.report-inefficiency.url", "https://www.comune.esempio.it/segnala",
            "comune.accessibility.url", "https://form.agid.gov.it/view/esempio",
            "comune.privacy.url", "https://www.comune.esempio.it/privacy",
            "comune.legal-notes.url", "/note-legali");
    static final Map<String, String> DATA_ELEMENTS = Map.of(
            "management", "comune.menu.management", "news", "comune.menu.news", "all-services", "comune.menu.all-services",
            "live", "comune.menu.live", "faq", "comune.faq.url", "report-inefficiency", "comune.report-inefficiency.url",
            "accessibility-link", "comune.accessibility.url", "privacy-policy-link", "comune.privacy.url",
            "legal-notes", "comune.legal-notes.url");
    @RegisterExtension
    static final TestServer server = TestServer.demo(new MutableClock(Instant.parse("2026-11-24T10:00:00Z")), settings());

    /** The comune's own links and data, in place of the defaults the pages would otherwise show. */
    private static Map<String, String> settings() {
        Map<String, String> settings = new HashMap<>(LINKS);
        settings.put("comune.name", "Comune di Valsassina Alta");
        settings.put("comune.tax.code", "80012345678");
        settings.put("comune.pec", "protocollo@pec.comune.esempio.it");
        return settings;
    }

    private Document page(String path, int status) {
        var r = server.get(path);
        assertEquals(status, r.statusCode(), path);
        return Jsoup.parse(r.body());
    }

    @Test
    void everyPageCarriesTheComunesMenuFooterLinksAndContacts() {
        String notice = page("/", 200).selectFirst(".notice-title a").attr("href");
        for (String path : List.of("/", "/servizi/anagrafe", notice, "/avvisi", "/en/avvisi", "/non/esiste")) {
            Document doc = page(path, path.equals("/non/esiste") ? 404 : 200);
            DATA_ELEMENTS.forEach((element, key) -> {
                Element link = doc.selectFirst("a[data-element=" + element + "]");
                assertNotNull(link, path + " has no data-element=" + element);
                assertEquals(LINKS.get(key), link.attr("href"), path + " " + element);
            });
            assertEquals(4, doc.select("header [data-element=main-navigation] a[data-element]").size(), path);
            Element footer = doc.selectFirst("footer");
            assertTrue(footer.text().contains("80012345678"), "tax code in the footer of " + path);
            assertEquals("mailto:protocollo@pec.comune.esempio.it", footer.selectFirst("a[href^=mailto:]").attr("href"));
            assertTrue(footer.selectFirst("a[rel=license]").attr("href").startsWith("https://creativecommons.org/licenses/by/4.0/"));
            assertEquals("Comune di Valsassina Alta", doc.selectFirst("header .it-brand-title").text());
            assertEquals("", doc.selectFirst("header .it-brand-wrapper img").attr("alt"), "the logo is decorative: the name follows it");
            assertNotNull(doc.selectFirst("[data-element=breadcrumb]"), path);
        }
        assertEquals("Dichiarazione di accessibilità", page("/", 200).selectFirst("[data-element=accessibility-link]").text());
        assertEquals("Accessibility statement", page("/en/", 200).selectFirst("[data-element=accessibility-link]").text());
    }

    @Test
    void aServicePageMarksItsStateOnAChipWithTheReason() {
        Document doc = page("/servizi/anagrafe", 200);
        Element chip = doc.selectFirst("[data-element=service-status]");
        assertTrue(chip.hasClass("chip"), chip.outerHtml());
        assertEquals("Disponibile tramite canali alternativi", chip.text());
        assertNotNull(chip.selectFirst("svg.state-icon"), "colour, icon and words");
        assertTrue(doc.selectFirst(".service-state .service-reason").text().startsWith("Motivo:"));
        assertEquals("Anagrafe", doc.selectFirst("[data-element=service-title]").text());
        assertEquals(1, doc.select("[data-element=service-status]").size(), "one state chip for the validator");
    }

    @Test
    void aLinkThatIsNotAnAddressStopsTheStart() {
        assertThrows(IllegalStateException.class, () -> it.semaforo.app.Config.load(Map.of())
                .with(Map.of("comune.accessibility.url", "javascript:alert(1)")));
        assertThrows(IllegalStateException.class, () -> it.semaforo.app.Config.load(Map.of())
                .with(Map.of("comune.menu.news", "//altro.example/novita")));
        assertThrows(IllegalStateException.class, () -> it.semaforo.app.Config.load(Map.of())
                .with(Map.of("comune.logo", "/non/esiste/stemma.svg")));
    }
}
