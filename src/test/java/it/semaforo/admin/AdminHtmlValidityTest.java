package it.semaforo.admin;

import it.semaforo.testing.HtmlChecker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The clerks' pages pass the Nu HTML Checker, fetched over HTTP with a real session cookie. */
class AdminHtmlValidityTest {
    static AdminPagesFixture fixture;

    @BeforeAll
    static void start() {
        fixture = new AdminPagesFixture();
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    static List<String> pages() {
        return fixture.pages();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pages")
    void isValidHtml(String path) {
        AdminClient.Page p = fixture.client.get(path);
        assertEquals(200, p.status(), path);
        assertValid(path, p.body());
    }

    @Test
    void theLoginPageAndFormsShowingErrorsAreValidToo() {
        AdminClient.Page login = new AdminClient(fixture.server).get("/admin/login");
        assertEquals(200, login.status());
        assertValid("/admin/login", login.body());
        AdminClient.Page notice = fixture.client.post("/admin/avvisi", Map.of("title", "", "kind", "disservizio",
                "summary", "", "body", "", "publish", "later", "publish_at", "ieri", "expires_at", "", "action", "draft"));
        assertEquals(422, notice.status());
        assertTrue(notice.fieldError("title") != null, "the form shows its errors");
        assertValid("new avviso with errors", notice.body());
        AdminClient.Page user = fixture.client.post("/admin/utenti", Map.of("username", "X", "display_name", "", "role", ""));
        assertEquals(422, user.status());
        assertValid("new user with errors", user.body());
        AdminClient.Page noReason = fixture.client.post("/admin/avvisi/" + fixture.awaiting + "/rifiuta", Map.of("reason", ""));
        assertEquals(422, noReason.status(), noReason.body());
        assertTrue(noReason.fieldError("reason") != null, "the refusal form shows its error");
        assertValid("refusal without a reason", noReason.body());
        AdminClient.Page unconfirmed = fixture.client.post("/admin/abilitazioni/conferma", Map.of("note", "senza spunta"));
        assertEquals(422, unconfirmed.status());
        assertValid("access review confirmed without the box ticked", unconfirmed.body());
        AdminClient.Page invitation = fixture.client.post("/admin/inviti", Map.of("email", "x", "display_name", "", "role", ""));
        assertEquals(422, invitation.status());
        assertValid("invitation with errors", invitation.body());
        AdminClient.Page missing = fixture.client.get("/admin/avvisi/999999");
        assertEquals(404, missing.status());
        assertValid("404 in the area", missing.body());
    }

    static void assertValid(String what, String body) {
        List<HtmlChecker.Problem> problems = HtmlChecker.check(body);
        List<HtmlChecker.Problem> errors = problems.stream().filter(HtmlChecker.Problem::error).toList();
        String[] lines = body.split("\n", -1);
        StringBuilder report = new StringBuilder();
        for (HtmlChecker.Problem p : errors) {
            report.append('\n').append(p).append("\n    ")
                    .append(p.line() > 0 && p.line() <= lines.length ? lines[p.line() - 1].strip() : "");
        }
        System.out.println("Nu HTML Checker " + what + ": " + errors.size() + " errors, " + (problems.size() - errors.size()) + " warnings");
        assertTrue(errors.isEmpty(), what + ": " + errors.size() + " errors from the Nu HTML Checker" + report);
    }
}
