package it.semaforo.admin;

import com.icegreen.greenmail.util.GreenMail;
import it.semaforo.admin.AdminClient.Page;
import it.semaforo.db.Database;
import it.semaforo.testing.HtmlChecker;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.Smtp;
import it.semaforo.testing.TestServer;
import jakarta.mail.internet.MimeMessage;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static it.semaforo.admin.AdminTesting.*;
import static it.semaforo.notify.MailTesting.part;
import static it.semaforo.notify.MailTesting.to;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Administrators mailed when the access review suspends accounts for disuse (issue 23), against
 * a real SMTP server (GreenMail on loopback): one mail per batch to each active administrator who
 * chose it, naming the accounts, when, why and where to reactivate them; none to an editor nor to
 * an administrator who did not choose it; none twice when the day is handled again after a
 * restart; none naming an account that was not suspended (the last active administrator).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AccountAlertsTest {
    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    static final MutableClock clock = new MutableClock(NOW);
    static final GreenMail mail = Smtp.started();
    @RegisterExtension
    static final TestServer server = TestServer.demo(clock, AdminTesting.mailSettings(mail));
    static final String SUBJECT = "Account sospesi per inattività";

    @BeforeAll
    static void start() {
        // in this order: of two administrators unused alike, the review suspends the older account first
        AdminTesting.user(server, "anna.russo", Role.ADMINISTRATOR);
        AdminTesting.user(server, "paolo.neri", Role.ADMINISTRATOR);
        AdminTesting.user(server, "giulia.verdi", Role.ADMINISTRATOR);
        AdminTesting.user(server, "mario.rossi", Role.EDITOR);
        AdminTesting.user(server, "luca.bianchi", Role.EDITOR);
    }

    @AfterAll
    static void stop() {
        mail.stop();
    }

    static AdminClient signedIn(String username) {
        AdminClient c = new AdminClient(server);
        assertEquals(303, c.login(username, PASSWORD).status());
        return c;
    }

    @Test
    @Order(1)
    void administratorsAreOfferedItTickedEditorsNever() {
        AdminClient giulia = signedIn("giulia.verdi");
        Page fresh = giulia.get("/admin/profilo");
        assertNotNull(fresh.doc().getElementById("f-accounts"));
        assertTrue(fresh.doc().getElementById("f-accounts").hasAttr("checked"), "offered ticked to an administrator who chose nothing yet");
        assertFalse(fresh.doc().getElementById("f-expiring").hasAttr("checked"), "the other kinds stay unticked");
        assertEquals(200, giulia.post("/admin/profilo", Map.of("email", "giulia@comune.example", "accounts", "on")).status());
        assertTrue(giulia.get("/admin/profilo").doc().getElementById("f-accounts").hasAttr("checked"));

        // paolo chooses it too (and will be suspended himself); anna wants other things only
        assertEquals(200, signedIn("paolo.neri").post("/admin/profilo", Map.of("email", "paolo@comune.example", "accounts", "on")).status());
        AdminClient anna = signedIn("anna.russo");
        assertEquals(200, anna.post("/admin/profilo", Map.of("email", "anna@comune.example", "failing", "on")).status());
        assertFalse(anna.get("/admin/profilo").doc().getElementById("f-accounts").hasAttr("checked"), "unticked is kept");

        // an editor is not offered it, and cannot choose it by posting the field
        AdminClient mario = signedIn("mario.rossi");
        assertNull(mario.get("/admin/profilo").doc().getElementById("f-accounts"), "the administrators' business");
        assertEquals(200, mario.post("/admin/profilo", Map.of("email", "mario@comune.example", "signals", "on", "accounts", "on")).status());
        assertEquals(0, count(server, "SELECT accounts FROM notify_clerk k JOIN app_user u ON u.id = k.user_id WHERE u.username = ?",
                "mario.rossi"));
    }

    @Test
    @Order(2)
    void aSuspensionBatchIsMailedOnceToEachAdministratorWhoChoseIt() throws Exception {
        // giulia, anna and mario use their accounts on day 60; paolo and luca never do
        clock.set(NOW.plus(Duration.ofDays(60)));
        signedIn("giulia.verdi");
        signedIn("anna.russo");
        signedIn("mario.rossi");
        midnightHandled(server, clock);
        assertEquals(0, matching(mail, SUBJECT).size(), "nothing suspended yet, nothing told");

        clock.set(NOW.plus(Duration.ofDays(92)));
        midnightHandled(server, clock);
        assertFalse(active(server, "paolo.neri") || active(server, "luca.bianchi"), "unused for 92 days: suspended");
        List<MimeMessage> told = await(mail, SUBJECT + ": 2", 1);
        MimeMessage m = told.get(0);
        assertEquals("giulia@comune.example", to(m), "only the active administrator who chose it: not paolo, suspended in "
                + "the batch, nor anna, who did not choose it, nor the editor");
        String text = part(m, "text/plain");
        assertTrue(text.contains("paolo neri (paolo.neri)") && text.contains("luca bianchi (luca.bianchi)"), "which accounts: " + text);
        assertFalse(text.contains("giulia") || text.contains("mario") || text.contains("anna"), "no account still in use: " + text);
        assertTrue(text.contains("non usati da almeno 90 giorni"), "why: " + text);
        assertTrue(text.contains("24 febbraio 2027"), "when (the day of the suspension): " + text);
        assertTrue(text.contains("http://127.0.0.1/admin/utenti"), "how to reactivate: " + text);
        assertTrue(text.contains("http://127.0.0.1/admin/abilitazioni"), "the access review: " + text);
        assertTrue(text.contains("/admin/profilo"), "where to change it: " + text);
        String html = part(m, "text/html");
        assertTrue(HtmlChecker.errors(html).isEmpty(), HtmlChecker.errors(html).toString());
        assertEquals(1, count(server, "SELECT count(*) FROM notify_clerk_alert WHERE kind = 'accounts'"));

        // the server stops after the suspensions committed but before the subscriber's cursor was
        // kept: at the restart the same day-began is delivered again, and finds nothing to suspend
        long began = count(server, "SELECT max(seq) FROM event_log WHERE type = 'DayBegan'");
        server.app().database().write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE event_cursor SET seq = ? WHERE subscriber = 'access-review'")) {
                ps.setLong(1, began - 1);
                return ps.executeUpdate();
            }
        });
        server.restart();
        midnightHandled(server, clock);
        Thread.sleep(2500);   // the sender looks every second
        assertEquals(1, matching(mail, SUBJECT).size(), "not told twice");
        assertEquals(1, count(server, "SELECT count(*) FROM notify_clerk_alert WHERE kind = 'accounts'"));
    }

    @Test
    @Order(3)
    void theLastActiveAdministratorIsNeverSuspendedNorNamed() throws Exception {
        // a year on nobody used anything: the editor is suspended, and anna; giulia, the last
        // active administrator, stays, is told, and is not named
        clock.set(NOW.plus(Duration.ofDays(400)));
        midnightHandled(server, clock);
        assertFalse(active(server, "mario.rossi") || active(server, "anna.russo"));
        assertTrue(active(server, "giulia.verdi"), "the last active administrator is never suspended");
        List<MimeMessage> told = await(mail, SUBJECT, 2);
        MimeMessage m = told.get(1);
        assertEquals("giulia@comune.example", to(m));
        String text = part(m, "text/plain");
        assertTrue(text.contains("mario rossi (mario.rossi)") && text.contains("anna russo (anna.russo)"), text);
        assertFalse(text.contains("giulia"), "an account not suspended is not named: " + text);
        assertFalse(text.contains("paolo") || text.contains("luca"), "nor one of the earlier batch: " + text);
        Thread.sleep(1500);
        assertEquals(2, matching(mail, SUBJECT).size());
    }

    /**
     * The migration: administrators who already chose something get it; editors, and clerks
     * with no choice at all, do not.
     */
    @Test
    void existingAdministratorsWithAnAddressGetItOn(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("before.db");
        Flyway.configure().dataSource("jdbc:sqlite:" + file, "", "").locations("classpath:db/migration").target(before(22)).load().migrate();
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO app_user(id, username, display_name, password_hash, role, password_changed_at, created_at, updated_at) "
                    + "VALUES (1, 'ada', 'Ada', 'x', 'amministratore', 0, 0, 0), (2, 'bruno', 'Bruno', 'x', 'redattore', 0, 0, 0), "
                    + "(3, 'carla', 'Carla', 'x', 'amministratore', 0, 0, 0)");
            st.executeUpdate("INSERT INTO notify_clerk(user_id, email, failing, updated_at) VALUES (1, 'ada@comune.example', 1, 0)");
            st.executeUpdate("INSERT INTO notify_clerk(user_id, email, expiring, updated_at) VALUES (2, 'bruno@comune.example', 1, 0)");
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
        try (Database db = Database.open(file)) {
            String got = db.read(c -> {
                StringBuilder b = new StringBuilder();
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT user_id, accounts FROM notify_clerk ORDER BY user_id")) {
                    while (rs.next()) b.append(rs.getLong(1)).append('=').append(rs.getInt(2)).append(' ');
                }
                return b.toString().strip();
            });
            assertEquals("1=1 2=0", got, "the administrator with an address: on; the editor: off; carla chose nothing: no row");
        }
    }

    /** The latest migration shipped before version v (the neighbouring numbers may be taken or not). */
    static String before(int v) throws Exception {
        try (var files = java.nio.file.Files.list(Path.of(AccountAlertsTest.class.getResource("/db/migration").toURI()))) {
            return String.valueOf(files.map(f -> Integer.parseInt(f.getFileName().toString().replaceAll("^V([0-9]+)__.*", "$1")))
                    .filter(n -> n < v).max(Integer::compare).orElseThrow());
        }
    }

}
