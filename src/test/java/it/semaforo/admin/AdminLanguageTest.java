package it.semaforo.admin;

import it.semaforo.testing.HtmlChecker;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import org.jsoup.nodes.Document;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The clerks' area speaks the comune's configured language, validation messages included. */
class AdminLanguageTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "en|Sign in to the editors' area|Dashboard|Write the title of the notice.",
            "de|Anmeldung im Redaktionsbereich|Übersicht|Geben Sie den Titel der Mitteilung ein.",
            "ja|管理画面へのログイン|ダッシュボード|お知らせの件名を入力してください。"})
    void theAreaFollowsTheConfiguredLanguage(String language, String loginTitle, String dashboardTitle, String titleError) {
        try (TestServer server = TestServer.start(new MutableClock(Instant.parse("2026-11-24T10:00:00Z")), true,
                AdminTesting.settings("language", language))) {
            AdminTesting.user(server, "anna.bianchi", Role.EDITOR);
            AdminClient clerk = new AdminClient(server);
            Document login = clerk.get("/admin/login").doc();
            assertEquals(language, login.selectFirst("html").attr("lang"));
            assertEquals(loginTitle, login.selectFirst("h1").text());
            assertEquals(303, clerk.login("anna.bianchi", AdminTesting.PASSWORD).status());
            assertEquals(dashboardTitle, clerk.get("/admin").doc().selectFirst("h1").text());
            AdminClient.Page refused = clerk.post("/admin/avvisi", Map.of("title", "", "kind", "disservizio",
                    "summary", "", "body", "", "publish", "now", "action", "draft"));
            assertEquals(422, refused.status());
            assertEquals(titleError, refused.fieldError("title"));
            List<HtmlChecker.Problem> errors = HtmlChecker.check(refused.body()).stream().filter(HtmlChecker.Problem::error).toList();
            assertEquals(List.of(), errors, "valid HTML in " + language);
            assertTrue(refused.doc().selectFirst("html").attr("lang").equals(language));
        }
    }
}
