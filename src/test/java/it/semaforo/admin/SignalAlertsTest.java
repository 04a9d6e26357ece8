package it.semaforo.admin;

import com.icegreen.greenmail.util.GreenMail;
import it.semaforo.admin.AdminClient.Page;
import it.semaforo.service.Catalog;
import it.semaforo.signal.Signal;
import it.semaforo.testing.Smtp;
import it.semaforo.testing.HtmlChecker;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import it.semaforo.testing.Upstream;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static it.semaforo.admin.AdminTesting.*;
import static it.semaforo.notify.MailTesting.part;
import static it.semaforo.notify.MailTesting.to;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Clerks told of signals, against a real SMTP server (GreenMail on loopback) and a loopback
 * Statuspage upstream: a clerk who chose it on their profile is mailed once per signal (the
 * outage, then its recovery) with what the upstream says and a link to the dashboard's card; a
 * clerk who did not choose it is not; residents are told nothing (a signal is not public).
 */
class SignalAlertsTest {
    static final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T08:00:00Z"));
    static final GreenMail mail = Smtp.started();
    static final Upstream upstream = Upstream.start();
    @RegisterExtension
    static final TestServer server = TestServer.demo(clock, AdminTesting.mailSettings(mail, "signals.allow.private", "true", "signals.enabled", "false"));
    static AdminClient admin;
    static AdminClient editor;

    @BeforeAll
    static void start() {
        AdminTesting.user(server, "giulia.verdi", Role.ADMINISTRATOR);
        AdminTesting.user(server, "marco.bianchi", Role.EDITOR);
        admin = new AdminClient(server);
        assertEquals(303, admin.login("giulia.verdi", PASSWORD).status());
        editor = new AdminClient(server);
        assertEquals(303, editor.login("marco.bianchi", PASSWORD).status());
    }

    @AfterAll
    static void stop() {
        mail.stop();
        upstream.close();
    }

    @Test
    void aClerkWhoChoseItIsMailedOncePerSignalAndItsRecovery() throws Exception {
        Page profile = editor.get("/admin/profilo");
        assertNotNull(profile.doc().getElementById("f-signals"), "editors dispose of signals: they may choose them");
        assertEquals(200, editor.post("/admin/profilo", Map.of("email", "marco@comune.example", "signals", "on")).status());
        assertTrue(editor.get("/admin/profilo").doc().getElementById("f-signals").hasAttr("checked"));
        // the administrator wants other alerts, not signals
        assertEquals(200, admin.post("/admin/profilo", Map.of("email", "giulia@comune.example", "expiring", "on")).status());

        Catalog cat = server.app().services().load();
        long cloud = cat.providers().stream().filter(p -> p.slug().equals("nubilia-cloud")).findFirst().orElseThrow().id();
        String summary = resource("summary.json");
        upstream.serve("/cloud/api/v2/summary.json", "application/json", summary);
        Page created = admin.post("/admin/segnalazioni/fonti", Map.of("kind", "statuspage", "name", "Stato di Nubilia Cloud",
                "url", upstream.url("/cloud/api/v2/summary.json"), "target", "p" + cloud, "selector", "ANPR gateway",
                "state", "degraded"));
        assertEquals(303, created.status(), created.body());
        long source = server.app().signals().sources().list().stream().filter(s -> s.name().equals("Stato di Nubilia Cloud"))
                .findFirst().orElseThrow().id();

        assertTrue(server.app().poller().poll(source));
        Signal raised = server.app().signals().open().stream().filter(s -> s.sourceId() == source).findFirst().orElseThrow();
        List<MimeMessage> told = await(mail, "Segnalazione da Stato di Nubilia Cloud: «Sospeso»", 1);
        MimeMessage m = told.get(0);
        assertEquals("marco@comune.example", to(m), "only the clerk who chose it");
        String text = part(m, "text/plain");
        assertTrue(text.contains("Disservizio del gateway ANPR"), text);
        assertTrue(text.contains("https://stspg.io/abc123"), "the upstream's link: " + text);
        assertTrue(text.contains("/admin#segnalazione-" + raised.id()), "the card on the dashboard: " + text);
        assertTrue(text.contains("/admin/profilo"), text);
        String html = part(m, "text/html");
        assertTrue(HtmlChecker.errors(html).isEmpty(), HtmlChecker.errors(html).toString());

        // polled again with nothing new: no second signal, no second mail
        assertTrue(server.app().poller().poll(source));
        Thread.sleep(2500);
        assertEquals(1, matching(mail, "Segnalazione da Stato di Nubilia Cloud").size(), "once");

        // the upstream recovers: a recovery signal, told too
        upstream.serve("/cloud/api/v2/summary.json", "application/json", summary.replace("\"major_outage\"", "\"operational\""));
        assertTrue(server.app().poller().poll(source));
        List<MimeMessage> recovered = await(mail, "Segnalazione da Stato di Nubilia Cloud: di nuovo «Attivo»", 1);
        assertEquals("marco@comune.example", to(recovered.get(0)));
        assertTrue(part(recovered.get(0), "text/plain").contains("chiusura proposta"), part(recovered.get(0), "text/plain"));
        assertEquals(2, matching(mail, "Segnalazione da").size());
        assertFalse(server.get("/api/semaforo/v1/events.json?after=0&limit=500").body().contains("signal.raised"),
                "never public");
    }

    static String resource(String name) {
        try (var in = SignalAlertsTest.class.getResourceAsStream("/signals/" + name)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

}
