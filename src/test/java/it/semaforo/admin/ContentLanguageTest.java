package it.semaforo.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import it.semaforo.admin.AdminClient.Page;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static it.semaforo.admin.AdminTesting.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The clerk says which language an avviso is written in, and every page, feed and API answer
 * marks its text with it (WCAG 3.1.2): a notice in German on an Italian site is read in German.
 */
class ContentLanguageTest {
    static final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
    @RegisterExtension
    static final TestServer server = TestServer.demo(clock, AdminTesting.settings());
    static AdminClient clerk;

    @BeforeAll
    static void signIn() {
        AdminTesting.user(server, "anna.bianchi", Role.EDITOR);
        clerk = new AdminClient(server);
        assertEquals(303, clerk.login("anna.bianchi", PASSWORD).status());
    }

    private static Map<String, String> avviso(String title, String language) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("title", title);
        f.put("kind", "informazione");
        f.put("summary", "Das Bürgerbüro ist am Montag geschlossen.");
        f.put("body", "Wir bitten um *Verständnis*.");
        f.put("language", language);
        f.put("publish", "now");
        f.put("action", "draft");
        return f;
    }

    private static long idFrom(Page created) {
        return Long.parseLong(created.location().replaceAll("^/admin/avvisi/([0-9]+).*$", "$1"));
    }

    @Test
    void theNewFormOffersEachLanguageInItselfWithTheSiteLanguageChosen() {
        Document form = clerk.get("/admin/avvisi/nuovo").doc();
        Element select = form.getElementById("f-language");
        assertNotNull(select);
        assertEquals("Lingua del testo", form.selectFirst("label[for=f-language]").text());
        assertEquals("it", select.selectFirst("option[selected]").val(), "the site's language unless the clerk says otherwise");
        List<String> offered = new ArrayList<>();
        for (Element o : select.select("option")) {
            offered.add(o.val());
            assertEquals(o.val(), o.attr("lang"), "each name is marked with its own language");
        }
        assertEquals(NoticeForms.LANGUAGES, offered);
        assertEquals("Deutsch", select.selectFirst("option[value=de]").text());
        assertEquals("日本語", select.selectFirst("option[value=ja]").text());
    }

    @Test
    void anAvvisoInGermanIsMarkedGermanOnItsPageTheHomePageTheFeedAndTheApi() {
        Page created = clerk.post("/admin/avvisi", avviso("Bürgerbüro am Montag geschlossen", "de"));
        assertEquals(303, created.status(), created.body());
        long id = idFrom(created);
        assertEquals(303, clerk.post("/admin/avvisi/" + id + "/pubblica", Map.of()).status());
        String path = server.app().notices().find(id).orElseThrow().path();

        Document page = Jsoup.parse(server.get(path).body());
        assertEquals("it", page.selectFirst("html").attr("lang"), "the page around it stays Italian");
        assertEquals("de", page.selectFirst("h1").attr("lang"));
        assertTrue(page.select("[lang=de]").stream().anyMatch(e -> e.text().contains("Verständnis")), "the body too");
        Element card = Jsoup.parse(server.get("/").body()).select(".notice-title").stream()
                .filter(e -> e.text().contains("Bürgerbüro")).findFirst().orElseThrow();
        assertEquals("de", card.attr("lang"));
        assertTrue(server.get("/feed.atom").body().contains("<p lang=\"de\">Das Bürgerbüro ist am Montag geschlossen.</p>")
                || server.get("/feed.atom").body().contains("&lt;p lang=\"de\"&gt;Das Bürgerbüro"), "the feed's content says so");
        String json = server.get("/api/semaforo/v1/notices/" + id + ".json").body();
        assertTrue(json.contains("\"language\":\"de\""), json);

        // the correction of the published text can change it, and the form shows the current one
        Document edit = clerk.get("/admin/avvisi/" + id + "/modifica").doc();
        assertEquals("de", edit.getElementById("f-language").selectFirst("option[selected]").val());
        Map<String, String> fix = new LinkedHashMap<>();
        fix.put("version", edit.selectFirst("input[name=version]").val());
        fix.put("title", "Ufficio anagrafe chiuso lunedì");
        fix.put("summary", "L'ufficio è chiuso lunedì.");
        fix.put("body", "Ci scusiamo.");
        fix.put("language", "it");
        fix.put("action", "save");
        assertEquals(303, clerk.post("/admin/avvisi/" + id + "/modifica", fix).status());
        assertEquals("it", Jsoup.parse(server.get(server.app().notices().find(id).orElseThrow().path()).body())
                .selectFirst("h1").attr("lang"));
    }

    @Test
    void aLanguageNotInTheListIsRefusedNextToTheFieldWithTheTextKept() {
        Page p = clerk.post("/admin/avvisi", avviso("Annuncio", "xx"));
        assertEquals(422, p.status());
        assertEquals("Scegli la lingua del testo dall'elenco.", p.fieldError("language"));
        assertEquals("Das Bürgerbüro ist am Montag geschlossen.", p.value("summary"));
    }

    @Test
    void theApiDocumentsTheSameLanguagesTheFormOffers() throws Exception {
        JsonNode spec = new ObjectMapper().readTree(Files.readString(Path.of("src/main/resources/api/openapi.json")));
        List<String> documented = new ArrayList<>();
        spec.at("/components/schemas/NoticeInput/properties/language/enum").forEach(n -> documented.add(n.asText()));
        assertEquals(NoticeForms.LANGUAGES, documented);
    }
}
