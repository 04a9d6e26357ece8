package it.semaforo.web;

import it.semaforo.notice.NoticeKind;
import it.semaforo.notice.NoticeRepository.NewNotice;
import it.semaforo.notice.NoticeStatus;
import it.semaforo.testing.HtmlChecker;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every public page passes the Nu HTML Checker with no errors, in every interface language. */
class HtmlValidityTest {
    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    @RegisterExtension
    static final TestServer server = TestServer.demo(new MutableClock(NOW));
    static String noticePath;
    static long withdrawn;

    @BeforeAll
    static void start() {
        noticePath = Jsoup.parse(server.get("/").body()).select(".notice-title a").stream()
                .filter(a -> a.text().startsWith("Servizi online sospesi")).findFirst().orElseThrow().attr("href");
        withdrawn = server.app().notices().create(new NewNotice(NoticeKind.INFORMATION, NoticeStatus.PUBLISHED,
                "Pubblicato per errore", "", "", "it", NOW.minus(Duration.ofHours(1)), null, null, null, "test", List.of()));
        server.app().notices().withdraw(withdrawn);
    }

    /** Each public page with the status it answers with; every language for the pages of substance. */
    static List<Object[]> pages() {
        List<Object[]> pages = new ArrayList<>();
        for (String prefix : List.of("", "/en", "/de", "/ja")) {
            pages.add(new Object[]{prefix + "/", 200});
            pages.add(new Object[]{prefix + "/servizi/stato-civile", 200});
            pages.add(new Object[]{prefix + "/avvisi/servizio/certificati-online", 200});
        }
        pages.add(new Object[]{"/servizi/certificati-online", 200});
        pages.add(new Object[]{"/servizi/pagamenti-pagopa", 200});
        pages.add(new Object[]{"/avvisi", 200});
        pages.add(new Object[]{"/avvisi/pagina/1", 200});
        pages.add(new Object[]{"/ja/avvisi/pagina/1", 200});
        pages.add(new Object[]{"/avvisi?q=nessun+risultato", 200});
        pages.add(new Object[]{"/non/esiste", 404});
        pages.add(new Object[]{"/ja/non/esiste", 404});
        pages.add(new Object[]{"/avvisi?anno=20x6", 400});
        return pages;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pages")
    void isValidHtml(String path, int status) {
        assertValid(path, status);
    }

    @Test
    void anAvvisoAndAWithdrawnOneAreValidToo() {
        assertValid(noticePath, 200);
        assertValid("/en" + noticePath, 200);
        assertValid("/ja" + noticePath, 200);
        assertValid("/avvisi/" + withdrawn + "-pubblicato-per-errore", 410);
    }

    @Test
    void everyKindOfAvvisoIsValidWithItsSectionsAndJsonLd() {
        for (String path : kindPaths(server)) {
            assertValid(path, 200);
            assertValid("/ja" + path, 200);
        }
    }

    /** The demo's data breach, security advisory and planned maintenance, in that order. */
    static List<String> kindPaths(TestServer server) {
        var home = Jsoup.parse(server.get("/").body());
        return java.util.stream.Stream.of("Comunicazione agli interessati", "Telefonate ed email false", "Manutenzione programmata")
                .map(start -> home.select(".notice-title a").stream().filter(a -> a.text().startsWith(start))
                        .findFirst().orElseThrow(() -> new AssertionError("no demo avviso " + start)).attr("href"))
                .toList();
    }

    @Test
    void theCheckerCatchesWhatItShould() {
        // the same checker, on a broken page, reports errors: a passing page means something
        List<HtmlChecker.Problem> errors = HtmlChecker.errors("<!DOCTYPE html><html lang=\"it\"><head><title>x</title></head>"
                + "<body><p><div>blocco</div></p><img src=\"a.png\"><a href=\"/\" aria-current=\"sempre\">x</a></body></html>");
        assertTrue(errors.size() >= 3, errors.toString());
    }

    private static void assertValid(String path, int status) {
        HttpResponse<String> r = server.get(path);
        assertEquals(status, r.statusCode(), path);
        List<HtmlChecker.Problem> problems = HtmlChecker.check(r.body());
        List<HtmlChecker.Problem> errors = problems.stream().filter(HtmlChecker.Problem::error).toList();
        String[] lines = r.body().split("\n", -1);
        StringBuilder report = new StringBuilder();
        for (HtmlChecker.Problem p : errors) {
            report.append('\n').append(p).append("\n    ")
                    .append(p.line() > 0 && p.line() <= lines.length ? lines[p.line() - 1].strip() : "");
        }
        assertTrue(errors.isEmpty(), path + ": " + errors.size() + " errors from the Nu HTML Checker" + report);
        if (!problems.isEmpty()) System.out.println("Nu HTML Checker warnings on " + path + ": " + problems);
    }
}
