package it.semaforo.web;

import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import it.semaforo.render.Lang;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Four interface languages, chosen in the address or by Accept-Language, with no cookie; dates
 * per language in the configured zone; content left in the language its clerk wrote it in.
 */
class LanguagesTest {
    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    @RegisterExtension
    static final TestServer server = TestServer.demo(new MutableClock(NOW));

    private Document page(String path, String... headers) {
        HttpResponse<String> r = server.get(path, headers);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        assertTrue(r.headers().allValues("Set-Cookie").isEmpty(), "a resident gets no cookie: " + path);
        return Jsoup.parse(r.body(), server.url(path));
    }

    @Test
    void thePrefixChoosesTheLanguageWhateverTheBrowserSays() {
        Map<String, String> banner = Map.of(
                "it", "Alcuni servizi non sono disponibili", "en", "Some services are not available",
                "de", "Einige Dienste sind nicht verfügbar", "ja", "一部のサービスが利用できません");
        Map<String, String> time = Map.of(
                "it", "24 novembre 2026, 11:00", "en", "24 November 2026, 11:00",
                "de", "24. November 2026, 11:00", "ja", "2026年11月24日 11:00");
        for (String lang : List.of("it", "en", "de", "ja")) {
            HttpResponse<String> r = server.get("/" + lang + "/", "Accept-Language", "fr-FR, it;q=0.5");
            assertEquals(200, r.statusCode());
            assertFalse(r.headers().firstValue("Vary").orElse("").contains("Accept-Language"),
                    "a prefixed address does not depend on the browser");
            Document doc = Jsoup.parse(r.body());
            assertEquals(lang, doc.selectFirst("html").attr("lang"));
            assertEquals(banner.get(lang), doc.selectFirst(".banner h1").text());
            assertTrue(doc.selectFirst(".banner").text().contains(time.get(lang)), lang + ": " + doc.selectFirst(".banner").text());
        }
    }

    @Test
    void aPlainAddressFollowsAcceptLanguageAndSaysSo() {
        HttpResponse<String> german = server.get("/", "Accept-Language", "de-CH, fr;q=0.8, en;q=0.5");
        assertEquals("de", Jsoup.parse(german.body()).selectFirst("html").attr("lang"));
        assertTrue(german.headers().firstValue("Vary").orElse("").contains("Accept-Language"));
        assertEquals("en", page("/", "Accept-Language", "fr-FR, en-GB;q=0.9, it;q=0.8").selectFirst("html").attr("lang"));
        assertEquals("ja", page("/avvisi", "Accept-Language", "ja-JP").selectFirst("html").attr("lang"));
        // nothing we speak, a malformed header or none at all: the configured language
        assertEquals("it", page("/", "Accept-Language", "fr, es;q=0.5").selectFirst("html").attr("lang"));
        assertEquals("it", page("/", "Accept-Language", "@@ not a language ;q=x").selectFirst("html").attr("lang"));
        assertEquals("it", page("/").selectFirst("html").attr("lang"));
        // the same address, two languages, two cache entries with two tags
        assertFalse(german.headers().firstValue("ETag").equals(server.get("/", "Accept-Language", "it").headers().firstValue("ETag")));
    }

    @Test
    void linksOnAPrefixedPageKeepTheLanguage() {
        Document home = page("/en/");
        List<String> internal = home.select("main a[href^=/]").eachAttr("href");
        assertFalse(internal.isEmpty());
        for (String href : internal) assertTrue(href.startsWith("/en/"), "internal link leaves English: " + href);
        Element service = home.selectFirst(".service-line .service-name");
        Document servicePage = page(service.attr("href"));
        assertEquals("en", servicePage.selectFirst("html").attr("lang"));
        assertEquals("Last 90 days", servicePage.selectFirst("#history-title").text());
        // and on a plain address they stay plain
        for (String href : page("/").select("main a[href^=/]").eachAttr("href")) {
            assertFalse(href.matches("/(it|en|de|ja)/.*"), "plain page links to a prefixed address: " + href);
        }
    }

    @Test
    void theSwitcherLeadsToTheSamePageInEachLanguage() {
        Document archive = page("/de/avvisi/tipo/sicurezza?q=SPID");
        List<Element> links = archive.select(".language-switcher a");
        assertEquals(List.of("Italiano", "English", "Deutsch", "日本語"), links.stream().map(Element::text).toList());
        assertEquals(List.of("/it/avvisi/tipo/sicurezza?q=SPID", "/en/avvisi/tipo/sicurezza?q=SPID",
                "/de/avvisi/tipo/sicurezza?q=SPID", "/ja/avvisi/tipo/sicurezza?q=SPID"), links.stream().map(a -> a.attr("href")).toList());
        assertEquals(List.of("it", "en", "de", "ja"), links.stream().map(a -> a.attr("lang")).toList());
        assertEquals("true", archive.selectFirst(".language-switcher a[lang=de]").attr("aria-current"));
        assertEquals(1, archive.select(".language-switcher a[aria-current]").size());
        Document japanese = page(links.get(3).attr("href"));
        assertEquals("SPID", japanese.selectFirst("#q").val());
        assertEquals("sicurezza", japanese.selectFirst("#tipo option[selected]").val());
        assertEquals("セキュリティ情報", japanese.selectFirst("#tipo option[selected]").text());
        // every page has the switcher, the home page's entries are the language roots
        assertEquals(List.of("/it/", "/en/", "/de/", "/ja/"), page("/").select(".language-switcher a").eachAttr("href"));
    }

    @Test
    void contentStaysInTheLanguageItWasWrittenIn() {
        Document home = page("/ja/");
        Element card = home.selectFirst(".notice-card");
        assertEquals("ja", home.selectFirst("html").attr("lang"));
        assertEquals("it", card.selectFirst(".notice-title").attr("lang"), "an Italian avviso keeps lang=it on a Japanese page");
        Document notice = page(card.selectFirst(".notice-title a").attr("href"));
        assertEquals("it", notice.selectFirst("h1").attr("lang"));
        assertEquals("掲載日", notice.selectFirst(".notice-dates dt").text());
        assertTrue(notice.selectFirst(".notice-dates dd").text().matches("2026年11月\\d+日 \\d+:\\d\\d"), notice.selectFirst(".notice-dates dd").text());
    }

    @Test
    void errorsAndRedirectsSpeakTheLanguageOfTheirAddress() {
        HttpResponse<String> missing = server.get("/de/servizi/gibt-es-nicht");
        assertEquals(404, missing.statusCode());
        Document doc = Jsoup.parse(missing.body());
        assertEquals("de", doc.selectFirst("html").attr("lang"));
        assertEquals("Seite nicht gefunden", doc.selectFirst("h1").text());
        assertEquals("/de/", doc.selectFirst("main a").attr("href"));

        HttpResponse<String> bad = server.get("/en/avvisi?anno=20x6");
        assertEquals(400, bad.statusCode());
        assertEquals("The year must have four digits, for example 2026.", Jsoup.parse(bad.body()).selectFirst("main p").text());
        assertEquals("L'anno deve essere di quattro cifre, ad esempio 2026.",
                Jsoup.parse(server.get("/it/avvisi?anno=20x6").body()).selectFirst("main p").text());

        String path = page("/en/").selectFirst(".notice-title a").attr("href");
        String id = path.replaceAll("/en/avvisi/([0-9]+)-.*", "$1");
        HttpResponse<String> moved = server.get("/en/avvisi/" + id);
        assertEquals(301, moved.statusCode());
        assertEquals(path, moved.headers().firstValue("Location").orElse(""), "a redirect keeps the language");
    }

    @Test
    void theConfiguredLanguageAndZoneAreTheDefaults() {
        try (TestServer tokyo = TestServer.start(new MutableClock(NOW), true, Map.of("language", "ja", "time.zone", "Asia/Tokyo"))) {
            Document doc = Jsoup.parse(tokyo.get("/").body());
            assertEquals("ja", doc.selectFirst("html").attr("lang"));
            assertTrue(doc.selectFirst(".banner").text().contains("2026年11月24日 19:00"), doc.selectFirst(".banner").text());
            assertEquals("it", Jsoup.parse(tokyo.get("/", "Accept-Language", "it-IT").body()).selectFirst("html").attr("lang"));
        }
        Locale unsupported = Locale.FRENCH;
        assertEquals("language must be one of it, en, de, ja; got 'fr'",
                org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> Lang.supportedOrFail(unsupported)).getMessage());
    }
}
