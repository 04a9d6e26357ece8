package it.semaforo.admin;

import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static it.semaforo.admin.AdminTesting.PASSWORD;
import static it.semaforo.admin.AdminTesting.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Designers Italia page rating over real HTTP: on every public page with the markup and the
 * Italian wording AgID's validator looks for; answered with a plain form post; cross-site posts,
 * bad answers and a second answer for the same page refused with nothing written; nothing about
 * who answered stored; the results per page shown to clerks.
 */
class PageRatingTest {
    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    @RegisterExtension
    static final TestServer server = TestServer.demo(new MutableClock(NOW), AdminTesting.settings());

    @BeforeAll
    static void users() {
        AdminTesting.user(server, "mario.rossi", Role.EDITOR);
    }

    private static HttpResponse<String> rate(String path, Map<String, String> fields, String... headers) {
        String body = fields.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url(path))).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) b.headers(headers);
        return server.send(b.build());
    }

    private static Map<String, String> answer(String page, String stars, String reason, String details) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("pagina", page);
        f.put("voto", stars);
        f.put("motivo", reason);
        f.put("dettagli", details);
        return f;
    }

    private static long rows() {
        return count(server, "SELECT count(*) FROM page_rating");
    }

    @Test
    void everyPublicPageCarriesTheRatingAsTheMunicipalModelWantsIt() {
        String notice = Jsoup.parse(server.get("/").body()).selectFirst(".notice-title a").attr("href");
        for (String path : List.of("/", "/servizi/anagrafe", "/avvisi", notice, "/en/servizi/anagrafe")) {
            Document d = Jsoup.parse(server.get(path).body());
            Element form = d.selectFirst("form[data-element=feedback]");
            assertNotNull(form, path);
            assertEquals("post", form.attr("method"));
            assertEquals(path.startsWith("/en") ? "/en/valutazione" : "/valutazione", form.attr("action"));
            assertEquals(path.replaceFirst("^/en", ""), form.selectFirst("input[name=pagina]").val(), "the page rated");
            for (int i = 1; i <= 5; i++) {
                Element label = form.selectFirst("label[data-element=feedback-rate-" + i + "]");
                assertEquals(String.valueOf(i), form.getElementById(label.attr("for")).val(), path + ": star " + i);
            }
            assertEquals(5, form.select("[data-element=feedback-rating-positive] [data-element=feedback-rating-answer]").size());
            assertEquals(5, form.select("[data-element=feedback-rating-negative] [data-element=feedback-rating-answer]").size());
            assertNotNull(form.selectFirst("input[data-element=feedback-input-text][maxlength=200]"));
            assertEquals(0, d.select("script:not([type=application/ld+json])").size(), "no JavaScript");
        }
        // the model's wording, which the validator compares word for word
        Element form = Jsoup.parse(server.get("/").body()).selectFirst("form[data-element=feedback]");
        assertEquals("Quanto sono chiare le informazioni su questa pagina?", form.selectFirst("[data-element=feedback-title]").text());
        assertEquals("Quali sono stati gli aspetti che hai preferito?",
                form.selectFirst("[data-element=feedback-rating-positive] [data-element=feedback-rating-question]").text());
        assertEquals(List.of("Le indicazioni erano chiare", "Le indicazioni erano complete", "Capivo sempre che stavo procedendo correttamente",
                "Non ho avuto problemi tecnici", "Altro"),
                form.select("[data-element=feedback-rating-positive] [data-element=feedback-rating-answer]").eachText());
        assertEquals("Dove hai incontrato le maggiori difficoltà?",
                form.selectFirst("[data-element=feedback-rating-negative] [data-element=feedback-rating-question]").text());
        assertEquals(List.of("A volte le indicazioni non erano chiare", "A volte le indicazioni non erano complete",
                "A volte non capivo se stavo procedendo correttamente", "Ho avuto problemi tecnici", "Altro"),
                form.select("[data-element=feedback-rating-negative] [data-element=feedback-rating-answer]").eachText());
        // not on a page that answers an error
        assertTrue(Jsoup.parse(server.get("/non/esiste").body()).select("[data-element=feedback]").isEmpty());
    }

    @Test
    void anAnswerIsRecordedOncePerPageAndVisitorWithNothingAboutWhoGaveItAndClerksSeeTheResults() {
        long before = rows();
        HttpResponse<String> ok = rate("/valutazione", answer("/servizi/stato-civile", "2", "non-chiare", "Non trovo gli orari"),
                "Sec-Fetch-Site", "same-origin");
        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals("Grazie, il tuo parere ci aiuterà a migliorare il servizio!", Jsoup.parse(ok.body()).selectFirst("h1").text());
        assertEquals("/servizi/stato-civile", Jsoup.parse(ok.body()).selectFirst("main a").attr("href"), "back to the page rated");
        assertTrue(ok.headers().firstValue("Set-Cookie").isEmpty(), "no cookie");
        assertEquals(before + 1, rows());

        // the same visitor, the same page, the same day: thanked, not counted again
        HttpResponse<String> again = rate("/valutazione", answer("/servizi/stato-civile", "5", "chiare", ""));
        assertEquals(429, again.statusCode());
        assertEquals(before + 1, rows());
        // another page counts; a reason of the other side is dropped, not stored
        assertEquals(200, rate("/en/valutazione", answer("/servizi/anagrafe", "5", "non-chiare", "")).statusCode());
        assertEquals(1, count(server, "SELECT count(*) FROM page_rating WHERE page = '/servizi/anagrafe' AND stars = 5 AND reason IS NULL"));

        // refused, with nothing written: from another site, without stars, too long, not a page
        assertEquals(403, rate("/valutazione", answer("/avvisi", "1", "", ""), "Origin", "https://altro.example").statusCode());
        assertEquals(403, rate("/valutazione", answer("/avvisi", "1", "", ""), "Sec-Fetch-Site", "cross-site").statusCode());
        assertEquals(400, rate("/valutazione", answer("/avvisi", "6", "", "")).statusCode());
        assertEquals(400, rate("/valutazione", answer("/avvisi", "", "", "")).statusCode());
        assertEquals(400, rate("/valutazione", answer("/avvisi", "3", "", "x".repeat(201))).statusCode());
        assertEquals(400, rate("/valutazione", answer("https://altro.example/", "3", "", "")).statusCode());
        assertEquals(before + 2, rows());

        // what is stored: the page, the stars, the reason, the words, the day; no address, no time, no browser
        List<String> columns = new ArrayList<>();
        server.app().database().read(c -> {
            try (var rs = c.createStatement().executeQuery("PRAGMA table_info(page_rating)")) {
                while (rs.next()) columns.add(rs.getString("name"));
            }
            return null;
        });
        assertEquals(List.of("id", "page", "stars", "reason", "details", "day"), columns);
        assertEquals(1, count(server, "SELECT count(*) FROM page_rating WHERE day = '2026-11-24' AND details = 'Non trovo gli orari'"));

        // clerks read the results per page
        AdminClient mario = new AdminClient(server);
        mario.login("mario.rossi", PASSWORD);
        Document results = mario.get("/admin/valutazioni").doc();
        Element row = results.select("tr.rating-row").stream()
                .filter(r -> r.selectFirst("th").text().startsWith("/servizi/stato-civile")).findFirst().orElseThrow();
        assertEquals("1", row.select("td").get(0).text());
        assertEquals("2,0", row.select("td").get(1).text());
        assertTrue(row.text().contains("A volte le indicazioni non erano chiare: 1"), row.text());
        assertTrue(row.text().contains("Non trovo gli orari"), row.text());
    }
}
