package it.semaforo.admin;

import com.icegreen.greenmail.util.GreenMail;
import it.semaforo.admin.AdminClient.Page;
import it.semaforo.notify.Choices;
import it.semaforo.testing.Smtp;
import it.semaforo.testing.HtmlChecker;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.Map;

import static it.semaforo.admin.AdminTesting.PASSWORD;
import static org.junit.jupiter.api.Assertions.*;

/**
 * /admin/notifiche: counts without addresses, the secret of a new webhook shown once, CSRF
 * and role like every admin form, and a person's data exported and erased on request, audited.
 */
class AdminNotifyTest {
    static final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T08:00:00Z"));
    static final GreenMail mail = Smtp.started();
    @RegisterExtension
    static final TestServer server = TestServer.demo(clock, AdminTesting.settings("smtp.host", "127.0.0.1",
            "smtp.port", String.valueOf(mail.getSmtp().getPort()), "smtp.security", "none", "smtp.from", "avvisi@example.org",
            "webhooks.allow.private", "true"));
    static AdminClient admin;

    @BeforeAll
    static void start() {
        AdminTesting.user(server, "giulia.verdi", Role.ADMINISTRATOR);
        AdminTesting.user(server, "marco.bianchi", Role.EDITOR);
        admin = new AdminClient(server);
        assertEquals(303, admin.login("giulia.verdi", PASSWORD).status());
        server.app().database().write(c -> {
            try (var st = c.createStatement()) {
                st.executeUpdate("INSERT INTO notify_subscriber(email, language, everything, services, consent_at, confirmed_at) "
                        + "VALUES ('anna@example.org', 'de', 0, ',1,', 1, 2), ('piero@example.org', 'it', 1, '', 1, 2)");
            }
            return null;
        });
    }

    @AfterAll
    static void stop() {
        mail.stop();
    }

    @Test
    void thePageShowsCountsAndNoAddress() {
        Page p = admin.get("/admin/notifiche");
        assertEquals(200, p.status());
        assertTrue(HtmlChecker.errors(p.body()).isEmpty(), HtmlChecker.errors(p.body()).toString());
        assertTrue(p.body().contains("Iscritti confermati: 2"), p.body());
        assertFalse(p.body().contains("anna@example.org") || p.body().contains("piero@example.org"));
        AdminClient editor = new AdminClient(server);
        assertEquals(303, editor.login("marco.bianchi", PASSWORD).status());
        assertEquals(403, editor.get("/admin/notifiche").status(), "administrators only");
    }

    @Test
    void aWebhookSecretIsShownOnceAndFormsNeedTheCsrfToken() {
        assertEquals(403, admin.postRaw("/admin/notifiche/webhook", Map.of("url", "http://127.0.0.1:9/hook")).status());
        assertEquals(422, admin.post("/admin/notifiche/webhook", Map.of("url", "ftp://example.org/")).status());
        Page created = admin.post("/admin/notifiche/webhook", Map.of("url", "http://127.0.0.1:9/hook", "description", "CMS",
                "everything", "1"));
        assertEquals(201, created.status());
        assertTrue(created.body().contains("whsec_"));
        assertFalse(admin.get("/admin/notifiche").body().contains("whsec_"), "shown once");
        assertTrue(server.app().notifications().webhooks().list().stream().anyMatch(e -> e.url().equals("http://127.0.0.1:9/hook")));
    }

    @Test
    void aPersonsDataIsExportedAndErasedOnRequestAndAudited() {
        Page export = admin.post("/admin/notifiche/dati", Map.of("email", "anna@example.org", "action", "export"));
        assertEquals(200, export.status());
        assertTrue(export.body().contains("\"email\" : \"anna@example.org\"") && export.body().contains("\"language\" : \"de\""), export.body());
        Page erase = admin.post("/admin/notifiche/dati", Map.of("email", "anna@example.org", "action", "erase"));
        assertEquals(200, erase.status());
        assertTrue(server.app().notifications().subscriptions().byEmail("anna@example.org").isEmpty());
        assertEquals(404, admin.post("/admin/notifiche/dati", Map.of("email", "anna@example.org", "action", "export")).status());
        var audit = server.app().domain().audit().page(1, 20);
        assertTrue(audit.stream().anyMatch(e -> e.action().equals("subscriber.export")));
        assertTrue(audit.stream().anyMatch(e -> e.action().equals("subscriber.erase")));
        assertTrue(audit.stream().noneMatch(e -> String.valueOf(e.summary()).contains("anna@")), "the audit keeps no address");
        assertNotNull(Choices.all());
    }
}
