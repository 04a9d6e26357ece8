package it.semaforo.admin;

import it.semaforo.admin.AdminClient.Page;
import it.semaforo.audit.AuditLog;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static it.semaforo.admin.AdminTesting.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The access review over real HTTP: every account with its role, ways in, last login and
 * activity, open sessions and tokens; the CSV read back by a real CSV parser, formulas
 * defused; the periodic review confirmed and audited; accounts unused for 90 days suspended
 * by the day-began event as the clock passes midnight, the last administrator never, and
 * administrators told on the dashboard.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AccessReviewTest {
    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    static final MutableClock clock = new MutableClock(NOW);
    @RegisterExtension
    static final TestServer server = TestServer.demo(clock, AdminTesting.settings());

    @BeforeAll
    static void start() {
        AdminTesting.user(server, "giulia.verdi", Role.ADMINISTRATOR);
        AdminTesting.user(server, "paolo.neri", Role.ADMINISTRATOR);
        AdminTesting.user(server, "mario.rossi", Role.EDITOR);
        AdminTesting.user(server, "luca.bianchi", Role.EDITOR);
    }

    static AdminClient signedIn(String username) {
        AdminClient c = new AdminClient(server);
        assertEquals(303, c.login(username, PASSWORD).status());
        return c;
    }

    static Element account(Document page, String username) {
        return page.select(".access-account").stream().filter(li -> li.selectFirst(".access-username").text().equals("(" + username + ")"))
                .findFirst().orElseThrow(() -> new AssertionError(username + " not listed"));
    }

    static String fact(Element account, String label) {
        return account.select(".access-facts > div").stream().filter(d -> d.selectFirst("dt").text().equals(label)).findFirst()
                .orElseThrow().selectFirst("dd").text();
    }

    @Test
    @Order(1)
    void everyAccountWithItsRoleWaysInLastUseSessionsAndTokensAndTheCsvForTheDpo() throws Exception {
        clock.set(NOW);
        AdminClient giulia = signedIn("giulia.verdi");
        AdminClient mario = signedIn("mario.rossi");
        signedIn("mario.rossi");   // a second browser
        // a token named like a formula, used once
        long marioId = server.app().admin().accounts().findByUsername("mario.rossi").orElseThrow().id();
        String secret = server.app().admin().tokens().create(server.app().admin().accounts().find(marioId).orElseThrow()
                .actor("127.0.0.1"), "=HYPERLINK(\"https://example.net\";\"clic\")", java.util.EnumSet.allOf(ApiTokens.Scope.class),
                Instant.parse("2100-01-01T00:00:00Z")).secret();
        clock.advance(Duration.ofMinutes(5));
        assertTrue(server.app().admin().tokens().authenticate(secret).isPresent());
        // an editor may not see the review
        assertEquals(403, mario.get("/admin/abilitazioni").status());
        assertEquals(403, mario.get("/admin/abilitazioni.csv").status());

        Document page = giulia.get("/admin/abilitazioni").doc();
        assertEquals(4, page.select(".access-account").size());
        Element m = account(page, "mario.rossi");
        assertEquals("Redattore", fact(m, "Ruolo"));
        assertEquals("Attivo", fact(m, "Stato"));
        assertEquals("password", fact(m, "Modi di accesso"));
        assertEquals("2", fact(m, "Sessioni aperte"));
        assertTrue(fact(m, "Token API").contains("ultimo uso"), fact(m, "Token API"));
        assertFalse(fact(m, "Ultimo accesso").equals("mai"));
        assertNotNull(m.selectFirst("dd time"));
        Element luca = account(page, "luca.bianchi");
        assertEquals("mai", fact(luca, "Ultimo accesso"));
        assertEquals("0", fact(luca, "Sessioni aperte"));
        assertEquals("nessuno", fact(luca, "Token API"));

        Page csv = giulia.get("/admin/abilitazioni.csv");
        assertEquals(200, csv.status());
        assertTrue(csv.response().headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
        assertTrue(csv.response().headers().firstValue("Content-Disposition").orElse("").contains("abilitazioni-2026-11-24.csv"));
        assertTrue(csv.body().startsWith("\uFEFF"), "a byte-order mark: a spreadsheet reads the accents right");
        List<CSVRecord> records = CSVFormat.DEFAULT.builder().setDelimiter(';').get()
                .parse(new StringReader(csv.body().substring(1))).getRecords();
        assertEquals(List.of("Utente", "Nome", "Ruolo", "Stato", "Sospeso per inattività il", "Modi di accesso", "Ultimo accesso",
                "Ultima attività", "Sessioni aperte", "Token API"), records.get(0).toList());
        assertEquals(5, records.size());
        CSVRecord row = records.stream().filter(r -> r.get(0).equals("mario.rossi")).findFirst().orElseThrow();
        assertEquals("Redattore", row.get(2));
        assertEquals("2", row.get(8));
        assertTrue(row.get(6).startsWith("2026-11-24T11:00:00+01:00"), row.get(6));
        assertTrue(row.get(9).startsWith("'=HYPERLINK"), "a formula is defused: " + row.get(9));
        for (CSVRecord r : records) {
            for (String cell : r) assertFalse(!cell.isEmpty() && "=+-@".indexOf(cell.charAt(0)) >= 0, "no cell starts a formula: " + cell);
        }
    }

    @Test
    @Order(2)
    void thePeriodicReviewIsConfirmedByAnAdministratorAndAudited() {
        clock.set(NOW.plus(Duration.ofHours(1)));
        AdminClient giulia = signedIn("giulia.verdi");
        assertTrue(giulia.get("/admin").doc().select("#abilitazioni").text().contains("non è mai stata confermata"));

        // without the box ticked: 422, nothing recorded
        long audit = count(server, "SELECT count(*) FROM audit_log");
        Page refused = giulia.post("/admin/abilitazioni/conferma", Map.of("note", "Tutto in ordine"));
        assertEquals(422, refused.status());
        assertNotNull(refused.doc().getElementById("f-reviewed-error"));
        assertEquals("Tutto in ordine", refused.value("note"), "what was typed is kept");
        assertEquals(0, count(server, "SELECT count(*) FROM access_review"));
        assertEquals(audit, count(server, "SELECT count(*) FROM audit_log"));
        assertEquals(422, giulia.post("/admin/abilitazioni/conferma", Map.of("reviewed", "on", "note", "x".repeat(501))).status());
        assertEquals(0, count(server, "SELECT count(*) FROM access_review"));

        Page confirmed = giulia.post("/admin/abilitazioni/conferma", Map.of("reviewed", "on", "note", "Tutto in ordine"));
        assertEquals(303, confirmed.status(), confirmed.body());
        AuditLog.Entry entry = server.app().admin().audit().page(1, 5).stream().filter(e -> e.action().equals("access.review"))
                .findFirst().orElseThrow();
        assertEquals("giulia.verdi", entry.username());
        assertEquals("Tutto in ordine", entry.summary());
        assertTrue(entry.afterJson().contains("\"username\":\"luca.bianchi\""), "the list reviewed is in the log");
        Document page = giulia.get("/admin/abilitazioni").doc();
        assertTrue(page.selectFirst("#verifica").text().contains("confermata da giulia.verdi (4 account)"), page.selectFirst("#verifica").text());
        assertTrue(page.selectFirst("#verifica").text().contains("Prossima verifica entro il 24 maggio 2027, 12:00"), page.selectFirst("#verifica").text());
        assertNull(giulia.get("/admin").doc().selectFirst("#abilitazioni"), "nothing to tell administrators now");

    }

    @Test
    @Order(3)
    void accountsUnusedFor90DaysAreSuspendedAtMidnightButNeverTheLastAdministrator() {
        // luca uses his account on day 1, giulia and mario on day 60; paolo never (created on day 0)
        clock.set(NOW.plus(Duration.ofDays(1)));
        signedIn("luca.bianchi");
        midnightHandled(server, clock);
        clock.set(NOW.plus(Duration.ofDays(60)));
        signedIn("giulia.verdi");
        signedIn("mario.rossi");
        midnightHandled(server, clock);
        assertTrue(active(server, "luca.bianchi") && active(server, "paolo.neri"), "not yet 90 days");

        clock.set(NOW.plus(Duration.ofDays(92)));
        midnightHandled(server, clock);
        assertFalse(active(server, "luca.bianchi"), "unused for 91 days");
        assertFalse(active(server, "paolo.neri"), "never used in 92 days");
        assertTrue(active(server, "giulia.verdi") && active(server, "mario.rossi"), "accounts used within 90 days stay");
        assertEquals(401, new AdminClient(server).login("luca.bianchi", PASSWORD).status(), "a suspended account cannot sign in");
        AuditLog.Entry suspension = server.app().admin().audit().page(1, 30).stream()
                .filter(e -> e.action().equals("user.suspend") && e.summary().equals("luca.bianchi")).findFirst().orElseThrow();
        assertEquals("sistema", suspension.username());
        assertTrue(suspension.afterJson().contains("\"active\":false"));

        // administrators are told on the dashboard, and the review shows it
        AdminClient giulia = signedIn("giulia.verdi");
        String told = giulia.get("/admin").doc().select("#abilitazioni").text();
        assertTrue(told.contains("luca bianchi (luca.bianchi)") && told.contains("paolo neri (paolo.neri)"), told);
        assertFalse(told.contains("scaduta"), "the periodic review confirmed on day 0 is not due yet: " + told);
        Element l = account(giulia.get("/admin/abilitazioni").doc(), "luca.bianchi");
        assertTrue(fact(l, "Stato").startsWith("Sospeso per inattività il"), fact(l, "Stato"));

        // reactivated by an administrator: in use from now, not suspended again at the next midnight
        long lucaId = server.app().admin().accounts().findByUsername("luca.bianchi").orElseThrow().id();
        assertEquals(303, giulia.post("/admin/utenti/" + lucaId, Map.of("display_name", "luca bianchi", "role", "redattore",
                "active", "on")).status());
        clock.set(NOW.plus(Duration.ofDays(93)));
        midnightHandled(server, clock);
        assertTrue(active(server, "luca.bianchi"));
        assertFalse(signedIn("giulia.verdi").get("/admin").doc().select("#abilitazioni").text().contains("luca.bianchi"),
                "a reactivated account is no longer reported");

        // much later nobody used anything: the last active administrator stays, so the comune can still sign in;
        // and the periodic review (six months) is overdue
        clock.set(NOW.plus(Duration.ofDays(400)));
        midnightHandled(server, clock);
        assertFalse(active(server, "luca.bianchi") || active(server, "mario.rossi"), "the editors are suspended");
        assertTrue(active(server, "giulia.verdi"), "the last active administrator is never suspended");
        String later = signedIn("giulia.verdi").get("/admin").doc().select("#abilitazioni").text();
        assertTrue(later.contains("è scaduta il 24 maggio 2027, 12:00"), later);
    }

}
