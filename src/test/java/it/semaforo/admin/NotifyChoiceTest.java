package it.semaforo.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import it.semaforo.admin.AdminClient.Page;
import it.semaforo.audit.Actor;
import it.semaforo.notice.Impact;
import it.semaforo.notice.NoticeDetails;
import it.semaforo.notice.NoticeInput;
import it.semaforo.notice.NoticeKind;
import it.semaforo.service.ServiceState;
import it.semaforo.testing.Smtp;
import it.semaforo.testing.HtmlChecker;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static it.semaforo.admin.AdminTesting.PASSWORD;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The clerks' "notify subscribers" choice, against a real SMTP server (GreenMail on loopback):
 * ticked by default on the update form, unticked on the edit form; an update the clerk marks a
 * correction (form or write API) mails no one, an edit mails only when asked; the choice is on
 * the event in the public change log, and webhooks receive every public event whatever it says.
 */
class NotifyChoiceTest {
    static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    static final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T08:00:00Z"));
    static final GreenMail mail = Smtp.started();
    @RegisterExtension
    static final TestServer server = TestServer.demo(clock, AdminTesting.settings("smtp.host", "127.0.0.1",
            "smtp.port", String.valueOf(mail.getSmtp().getPort()), "smtp.security", "none", "smtp.from", "avvisi@example.org",
            "notify.rate.per.minute", "0", "notify.batch.window.seconds", "0", "webhooks.allow.private", "true",
            "proxy.trusted", "true"));
    static AdminClient clerk;
    static long id;

    @BeforeAll
    static void start() {
        AdminTesting.user(server, "giulia.verdi", Role.ADMINISTRATOR);
        clerk = new AdminClient(server);
        clerk.forwardedFor = "198.51.100.7";
        assertEquals(303, clerk.login("giulia.verdi", PASSWORD).status());
        server.app().database().write(c -> {
            try (var st = c.createStatement()) {
                st.executeUpdate("INSERT INTO notify_subscriber(email, language, everything, services, consent_at, confirmed_at) "
                        + "VALUES ('anna@example.org', 'it', 1, '', 1, 2)");
            }
            return null;
        });
        // a webhook endpoint following everything (deliveries fail: nothing listens; its rows are what counts)
        assertEquals(201, clerk.post("/admin/notifiche/webhook", Map.of("url", "http://127.0.0.1:9/hook", "description", "CMS",
                "everything", "1")).status());
    }

    @AfterAll
    static void stop() {
        mail.stop();
    }

    @Test
    void updatesNotifyUnlessMarkedCorrectionsAndEditsOnlyWhenAsked() throws Exception {
        long albo = server.app().services().load().service("albo-pretorio").orElseThrow().id();
        id = server.app().domain().noticeDesk().createPublished(Actor.commandLine(), new NoticeInput(NoticeKind.OUTAGE,
                "Albo pretorio non raggiungibile", "La consultazione è sospesa.", "Testo.", "it", null, null, null, null,
                List.of(Impact.onService(albo, ServiceState.SUSPENDED, "guasto")), NoticeDetails.NONE));
        assertEquals("Albo pretorio online: Sospeso — nuovo avviso", subject(await(1)));

        // the update form: the box is there and ticked; the page stays valid
        Page page = clerk.get("/admin/avvisi/" + id);
        assertTrue(HtmlChecker.errors(page.body()).isEmpty(), HtmlChecker.errors(page.body()).toString());
        Element box = page.doc().getElementById("f-notify");
        assertNotNull(box, "a notify-subscribers box on the update form");
        assertTrue(box.hasAttr("checked"), "ticked by default for updates");

        // unticked: a correction, mailed to no one, but on the change log and queued for the webhook
        assertEquals(303, clerk.post("/admin/avvisi/" + id + "/aggiornamenti", Map.of("body", "Refuso corretto.")).status());
        JsonNode quiet = lastEvent("notice.updated");
        assertFalse(quiet.path("data").path("notify_subscribers").asBoolean(true), quiet.toString());
        assertWebhookQueued(quiet.path("id").asLong());
        // ticked: mailed, and the mail has only this update (the correction was never mailable)
        assertEquals(303, clerk.post("/admin/avvisi/" + id + "/aggiornamenti", Map.of("body", "Stiamo lavorando.",
                "notify", "on")).status());
        MimeMessage second = await(2);
        assertEquals("Albo pretorio online: Sospeso — aggiornamento n. 2", subject(second));
        assertFalse(text(second).contains("aggiornamento n. 1"), text(second));
        assertTrue(lastEvent("notice.updated").path("data").path("notify_subscribers").asBoolean(false));

        // the edit form: the box is there, not ticked; saving as it is mails no one
        Page edit = clerk.get("/admin/avvisi/" + id + "/modifica");
        assertTrue(HtmlChecker.errors(edit.body()).isEmpty(), HtmlChecker.errors(edit.body()).toString());
        assertNotNull(edit.doc().getElementById("f-notify"));
        assertFalse(edit.doc().getElementById("f-notify").hasAttr("checked"), "unticked by default for edits");
        Map<String, String> fields = fields(edit.doc());
        fields.put("summary", "La consultazione dell'albo è sospesa.");
        assertEquals(303, clerk.post("/admin/avvisi/" + id + "/modifica", fields).status());
        assertFalse(lastEvent("notice.edited").path("data").path("notify_subscribers").asBoolean(true));
        // asked: mailed as "text corrected"
        fields = fields(clerk.get("/admin/avvisi/" + id + "/modifica").doc());
        fields.put("summary", "La consultazione dell'albo è sospesa fino a domani.");
        fields.put("notify", "on");
        assertEquals(303, clerk.post("/admin/avvisi/" + id + "/modifica", fields).status());
        MimeMessage edited = await(3);
        assertEquals("Albo pretorio online: Sospeso — testo corretto", subject(edited));
        assertTrue(text(edited).contains("sospesa fino a domani"), text(edited));
        assertFalse(text(edited).contains("aggiornamento"), "the silent edit before it is not in it: " + text(edited));

        // the write API: notify_subscribers false is a correction; omitted, subscribers are told
        Page tokenPage = clerk.post("/admin/token", Map.of("name", "CMS", "scope_update", "on", "scope_close", "on"));
        assertEquals(201, tokenPage.status(), tokenPage.body());
        String token = tokenPage.doc().getElementById("new-token").text();
        HttpResponse<String> refused = api(token, "/api/semaforo/v1/notices/" + id + "/updates.json",
                "{\"body\": \"x\", \"notify_subscribers\": \"no\"}");
        assertEquals(400, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("notify_subscribers"), refused.body());
        assertEquals(201, api(token, "/api/semaforo/v1/notices/" + id + "/updates.json",
                "{\"body\": \"Correzione.\", \"notify_subscribers\": false}").statusCode());
        assertEquals(201, api(token, "/api/semaforo/v1/notices/" + id + "/close.json",
                "{\"body\": \"Risolto.\", \"impacts\": [{\"service\": \"albo-pretorio\", \"state\": \"operational\"}]}").statusCode());
        MimeMessage closed = await(4);
        assertTrue(subject(closed).startsWith("Albo pretorio online: Attivo — risolto"), subject(closed));
        assertFalse(text(closed).contains("aggiornamento n. 3"), "the API's correction is not in it: " + text(closed));
        Thread.sleep(1500);
        assertEquals(4, mail.getReceivedMessages().length, "nothing else went out");
    }

    /** What the form sends as the page shows it: inputs, ticked boxes, textareas, selected options. */
    static Map<String, String> fields(Document d) {
        Map<String, String> f = new LinkedHashMap<>();
        Element form = d.selectFirst("form.notice-form");
        for (Element e : form.select("input[name], textarea[name], select[name]")) {
            String name = e.attr("name");
            if (name.equals("csrf")) continue;
            switch (e.tagName()) {
                case "textarea" -> f.put(name, e.wholeText());
                case "select" -> {
                    Element o = e.selectFirst("option[selected]");
                    f.put(name, o == null ? e.selectFirst("option").attr("value") : o.attr("value"));
                }
                default -> {
                    String type = e.attr("type");
                    if ((type.equals("checkbox") || type.equals("radio")) && !e.hasAttr("checked")) continue;
                    f.put(name, e.attr("value"));
                }
            }
        }
        return f;
    }

    /** Webhooks receive every public event: a delivery of this one is queued (by a background subscriber). */
    static void assertWebhookQueued(long seq) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (rows(seq) == 0 && System.nanoTime() < end) Thread.sleep(50);
        assertEquals(1, rows(seq), "a webhook delivery of event " + seq);
    }

    static long rows(long seq) {
        return AdminTesting.count(server, "SELECT count(*) FROM notify_outbox WHERE purpose = 'webhook' AND payload = ?", "[" + seq + "]");
    }

    /** The latest event of a type in the public change log, read page by page. */
    static JsonNode lastEvent(String type) throws Exception {
        JsonNode found = null;
        long after = 0;
        while (true) {
            JsonNode page = JSON.readTree(server.get("/api/semaforo/v1/events.json?limit=500&after=" + after).body());
            for (JsonNode e : page.path("events")) if (type.equals(e.path("type").asText())) found = e;
            if (page.path("next").isNull() || page.path("next").isMissingNode()) break;
            after = page.path("last_id").asLong();
        }
        assertNotNull(found, "no " + type + " in the change log");
        return found;
    }

    static HttpResponse<String> api(String token, String path, String json) {
        return server.send(HttpRequest.newBuilder(URI.create(server.url(path))).timeout(Duration.ofSeconds(20))
                .header("X-Forwarded-For", "192.0.2.77").header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    static MimeMessage await(int count) {
        long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (mail.getReceivedMessages().length < count && System.nanoTime() < end) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        MimeMessage[] all = mail.getReceivedMessages();
        assertEquals(count, all.length, "mails received");
        return all[count - 1];
    }

    static String subject(MimeMessage m) throws Exception {
        return m.getSubject();
    }

    static String text(MimeMessage m) throws Exception {
        Multipart mp = (Multipart) m.getContent();
        for (int i = 0; i < mp.getCount(); i++) if (mp.getBodyPart(i).isMimeType("text/plain")) return (String) mp.getBodyPart(i).getContent();
        throw new AssertionError("no text part");
    }
}
