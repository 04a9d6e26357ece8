package it.semaforo.admin;

import com.icegreen.greenmail.util.GreenMail;
import it.semaforo.admin.AdminClient.Page;
import it.semaforo.audit.Actor;
import it.semaforo.notice.Impact;
import it.semaforo.notice.NoticeDetails;
import it.semaforo.notice.NoticeInput;
import it.semaforo.notice.NoticeKind;
import it.semaforo.notice.UpdateInput;
import it.semaforo.service.ServiceState;
import it.semaforo.testing.Smtp;
import it.semaforo.testing.HtmlChecker;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static it.semaforo.admin.AdminTesting.*;
import static it.semaforo.notify.MailTesting.part;
import static it.semaforo.notify.MailTesting.to;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Clerks told too, against a real SMTP server (GreenMail on loopback): each clerk's choices on
 * their profile page (Nu-valid, CSRF, a bad address refused, administrators' kinds for
 * administrators only), then one mail per clerk who chose it, once: an avviso whose scadenza is
 * within 48 hours while its service is still suspended (not one whose service is back), a
 * maintenance about to start, a webhook that keeps failing and then is disabled, a subscriber's
 * data request handled (without the subscriber's address).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClerkAlertsTest {
    static final Instant NOW = Instant.parse("2026-12-07T08:00:00Z");
    static final MutableClock clock = new MutableClock(NOW);
    static final GreenMail mail = Smtp.started();
    @RegisterExtension
    static final TestServer server = TestServer.demo(clock, AdminTesting.mailSettings(mail, "webhooks.allow.private", "true"));
    static AdminClient admin;
    static AdminClient editor;

    @BeforeAll
    static void start() {
        AdminTesting.user(server, "giulia.verdi", Role.ADMINISTRATOR);
        AdminTesting.user(server, "marco.bianchi", Role.EDITOR);
        admin = signIn("giulia.verdi");
        editor = signIn("marco.bianchi");
    }

    static AdminClient signIn(String username) {
        AdminClient c = new AdminClient(server);
        assertEquals(303, c.login(username, PASSWORD).status());
        return c;
    }

    @AfterAll
    static void stop() {
        mail.stop();
    }

    @Test
    @Order(1)
    void eachClerkChoosesOnTheirProfile() {
        Page mine = editor.get("/admin/profilo");
        assertEquals(200, mine.status());
        assertTrue(HtmlChecker.errors(mine.body()).isEmpty(), HtmlChecker.errors(mine.body()).toString());
        assertNotNull(mine.doc().getElementById("f-expiring"));
        assertNotNull(mine.doc().getElementById("f-maintenance"));
        assertNull(mine.doc().getElementById("f-failing"), "deliveries are the administrators' business");
        assertNull(mine.doc().getElementById("f-requests"));
        assertEquals(1, mine.doc().select("a[href=/admin/profilo][aria-current=page]").size(), "linked from every page");

        assertEquals(403, editor.postRaw("/admin/profilo", Map.of("email", "marco@comune.example", "expiring", "on")).status(),
                "CSRF like every form");
        Page missing = editor.post("/admin/profilo", Map.of("expiring", "on"));
        assertEquals(422, missing.status());
        assertNotNull(missing.fieldError("email"));
        Page bad = editor.post("/admin/profilo", Map.of("email", "marco@comune.example\r\nBcc: x@evil.example", "expiring", "on"));
        assertEquals(422, bad.status());
        assertEquals(200, editor.post("/admin/profilo", Map.of("email", "marco@comune.example", "expiring", "on",
                "maintenance", "on", "failing", "on")).status());
        Page saved = editor.get("/admin/profilo");
        assertTrue(saved.doc().getElementById("f-expiring").hasAttr("checked"));
        assertEquals("marco@comune.example", saved.value("email"));

        Page theirs = admin.get("/admin/profilo");
        assertNotNull(theirs.doc().getElementById("f-failing"));
        assertNotNull(theirs.doc().getElementById("f-requests"));
        assertEquals(200, admin.post("/admin/profilo", Map.of("email", "giulia@comune.example", "expiring", "on",
                "maintenance", "on", "failing", "on", "requests", "on")).status());
    }

    @Test
    @Order(2)
    void aScadenzaNearWhileTheServiceIsStillDownIsToldOnce() throws Exception {
        long albo = service("albo-pretorio");
        long tributi = service("tributi");
        var desk = server.app().domain().noticeDesk();
        Instant expiry = NOW.plus(Duration.ofHours(60));
        long down = desk.createPublished(Actor.commandLine(), new NoticeInput(NoticeKind.OUTAGE, "Albo pretorio non raggiungibile",
                "La consultazione è sospesa.", "Testo.", "it", null, expiry, null, null,
                List.of(Impact.onService(albo, ServiceState.SUSPENDED, "guasto")), NoticeDetails.NONE));
        long back = desk.createPublished(Actor.commandLine(), new NoticeInput(NoticeKind.OUTAGE, "Tributi lenti",
                "Il portale è lento.", "Testo.", "it", null, expiry, null, null,
                List.of(Impact.onService(tributi, ServiceState.DEGRADED, "lento")), NoticeDetails.NONE));
        desk.addUpdate(Actor.commandLine(), back, new UpdateInput("Tornato normale.", List.of(
                Impact.onService(tributi, ServiceState.OPERATIONAL, null)), false));
        Thread.sleep(1500);
        assertEquals(0, matching(mail, "Albo pretorio non raggiungibile").size(), "60 hours ahead: not yet");
        clock.advance(Duration.ofHours(13));   // 47 hours before the scadenza
        List<MimeMessage> told = await(mail, "Albo pretorio non raggiungibile", 2);
        assertEquals(List.of("giulia@comune.example", "marco@comune.example"), told.stream().map(it.semaforo.notify.MailTesting::to).sorted().toList());
        MimeMessage m = told.get(0);
        assertTrue(m.getSubject().startsWith("Scade il "), m.getSubject());
        assertTrue(text(m).contains("Albo pretorio online"), text(m));
        assertTrue(text(m).contains("/admin/avvisi/" + down), text(m));
        assertTrue(text(m).contains("/admin/profilo"), "where to change it: " + text(m));
        assertTrue(HtmlChecker.errors(html(m)).isEmpty(), HtmlChecker.errors(html(m)).toString());
        clock.advance(Duration.ofMinutes(2));
        Thread.sleep(2500);
        assertEquals(2, matching(mail, "Albo pretorio non raggiungibile").size(), "once");
        assertEquals(0, matching(mail, "Tributi lenti").size(), "its service is back: nothing to say");
    }

    @Test
    @Order(3)
    void aMaintenanceAboutToStartIsTold() throws Exception {
        long albo = service("albo-pretorio");
        Instant start = clock.instant().plus(Duration.ofHours(30));
        server.app().domain().noticeDesk().createPublished(Actor.commandLine(), new NoticeInput(NoticeKind.MAINTENANCE,
                "Aggiornamento del protocollo", "Il protocollo non sarà disponibile.", "Testo.", "it", null, null, start,
                start.plus(Duration.ofHours(2)), List.of(Impact.onService(albo, ServiceState.MAINTENANCE, "aggiornamento")),
                NoticeDetails.NONE));
        Thread.sleep(1500);
        assertEquals(0, matching(mail, "Aggiornamento del protocollo").size());
        clock.advance(Duration.ofHours(7));
        List<MimeMessage> told = await(mail, "Aggiornamento del protocollo", 2);
        assertTrue(told.get(0).getSubject().startsWith("Manutenzione in arrivo"), told.get(0).getSubject());
    }

    @Test
    @Order(4)
    void aWebhookThatKeepsFailingIsToldToAdministratorsThenItsDisabling() throws Exception {
        admin = signIn("giulia.verdi");   // the clock has moved on by a day: a new session
        assertEquals(201, admin.post("/admin/notifiche/webhook", Map.of("url", "http://127.0.0.1:9/hook", "description", "CMS",
                "everything", "1")).status());
        long albo = service("albo-pretorio");
        server.app().domain().noticeDesk().createPublished(Actor.commandLine(), new NoticeInput(NoticeKind.INFORMATION,
                "Orari di dicembre", "Orari ridotti.", "Testo.", "it", null, null, null, null,
                List.of(Impact.onService(albo, ServiceState.OPERATIONAL, null)), NoticeDetails.NONE));
        Thread.sleep(1500);   // the first attempt fails: nothing listens on port 9
        clock.advance(Duration.ofMinutes(61));
        List<MimeMessage> failing = await(mail, "Consegne non riuscite", 1);
        assertEquals("giulia@comune.example", to(failing.get(0)), "administrators only, though the editor ticked it");
        assertTrue(failing.get(0).getSubject().contains("http://127.0.0.1:9/hook"), failing.get(0).getSubject());
        clock.advance(Duration.ofHours(48));
        List<MimeMessage> disabled = await(mail, "Disattivato dopo consegne non riuscite", 1);
        assertTrue(text(disabled.get(0)).contains("riattivarlo"), text(disabled.get(0)));
        Thread.sleep(1500);
        assertEquals(1, matching(mail, "Consegne non riuscite").size(), "once a day at most");
    }

    @Test
    @Order(5)
    void aDataRequestHandledIsToldWithoutTheAddress() throws Exception {
        server.app().database().write(c -> {
            try (var st = c.createStatement()) {
                st.executeUpdate("INSERT INTO notify_subscriber(email, language, everything, services, consent_at, confirmed_at) "
                        + "VALUES ('anna@example.org', 'it', 1, '', 1, 2)");
            }
            return null;
        });
        admin = signIn("giulia.verdi");
        assertEquals(200, admin.post("/admin/notifiche/dati", Map.of("email", "anna@example.org", "action", "erase")).status());
        List<MimeMessage> told = await(mail, "Richiesta di un iscritto evasa", 1);
        assertEquals("giulia@comune.example", to(told.get(0)));
        assertTrue(told.get(0).getSubject().contains("cancellazione"), told.get(0).getSubject());
        assertFalse(text(told.get(0)).contains("anna@example.org"));
        assertTrue(text(told.get(0)).contains("giulia verdi"), text(told.get(0)));
    }

    static long service(String slug) {
        return server.app().services().load().service(slug).orElseThrow().id();
    }

    static String text(MimeMessage m) throws Exception {
        return part(m, "text/plain");
    }

    static String html(MimeMessage m) throws Exception {
        return part(m, "text/html");
    }

}
