package it.semaforo.admin;

import it.semaforo.audit.AuditLog;
import it.semaforo.admin.AdminClient.Page;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static it.semaforo.admin.AdminTesting.PASSWORD;
import static it.semaforo.admin.AdminTesting.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A clerk's whole day over real HTTP with a real session, on the demo comune: draft, preview,
 * publish, two numbered updates, the 48-hour warning, a correction, the expiry passing by the
 * clock, an extension, the withdrawal; and attachments. Each step is checked on the public
 * pages at the next request, and in the audit log.
 */
class AdminFlowTest {
    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    static final MutableClock clock = new MutableClock(NOW);
    @RegisterExtension
    static final TestServer server = TestServer.demo(clock, AdminTesting.settings("admin.attachment.max.bytes", "4096"));
    static long cartaIdentita;

    @BeforeAll
    static void start() {
        AdminTesting.user(server, "mario.rossi", Role.EDITOR);
        AdminTesting.user(server, "giulia.verdi", Role.ADMINISTRATOR);
        cartaIdentita = server.app().services().load().service("carta-identita").orElseThrow().id();
    }

    private static Document publicPage(String path, int status) {
        HttpResponse<String> r = server.get(path);
        assertEquals(status, r.statusCode(), path + ": " + r.body());
        assertTrue(r.headers().allValues("Set-Cookie").isEmpty(), "a resident never gets a cookie: " + path);
        return Jsoup.parse(r.body());
    }

    private static String stateOnHome(String serviceName) {
        return publicPage("/", 200).select(".service-line").stream()
                .filter(li -> li.selectFirst(".service-name").text().equals(serviceName)).findFirst().orElseThrow()
                .selectFirst(".state-label").text();
    }

    private static long idFrom(String location) {
        return Long.parseLong(location.replaceAll("^/admin/avvisi/([0-9]+).*$", "$1"));
    }

    @Test
    void aClerkPublishesUpdatesExtendsAndWithdrawsAnAvviso() {
        clock.set(NOW);
        AdminClient mario = new AdminClient(server);
        assertEquals(303, mario.login("mario.rossi", PASSWORD).status());
        Document dashboard = mario.get("/admin").doc();
        assertEquals("Nessun avviso in scadenza entro 48 ore", dashboard.selectFirst("#expiring-title").text());
        long auditBefore = count(server, "SELECT count(*) FROM audit_log");

        // 1. a draft, with an impact on one service; "Salva e vedi l'anteprima"
        String typedExpiry = "2026-11-25T17:00";   // 30 hours from now, in Europe/Rome (UTC+1)
        Page created = mario.post("/admin/avvisi", Map.of(
                "title", "Carta d'identità: prenotazioni sospese", "kind", "disservizio",
                "summary", "Il sistema ministeriale delle prenotazioni non risponde.",
                "body", "Il sistema è **fermo**.\n\n<script>alert('x')</script>\n\n| Ufficio | Orari |\n| --- | --- |\n| Anagrafe | 8-12 |",
                "publish", "now", "expires_at", typedExpiry,
                "state_s_" + cartaIdentita, "suspended", "reason_s_" + cartaIdentita, "Sistema ministeriale non raggiungibile",
                "action", "preview"));
        assertEquals(303, created.status(), created.body());
        assertTrue(created.location().endsWith("/anteprima"), created.location());
        long id = idFrom(created.location());
        assertEquals("draft", server.app().notices().find(id).orElseThrow().status().key());
        assertEquals(Instant.parse("2026-11-25T16:00:00Z"), server.app().notices().find(id).orElseThrow().expiresAt(),
                "the typed time is read in the configured zone");
        publicPage("/avvisi/" + id, 404);
        assertEquals("Attivo", stateOnHome("Carta d'identità elettronica"), "a draft changes nothing public");

        // 2. the preview, without JavaScript: sanitised Markdown, the states it will impose
        Document preview = mario.get(created.location()).doc();
        assertEquals("Carta d'identità: prenotazioni sospese", preview.selectFirst("article h1").text());
        assertEquals("fermo", preview.selectFirst(".notice-body strong").text());
        assertEquals(1, preview.select(".notice-body table").size());
        assertTrue(preview.select("script").isEmpty(), "no script, neither ours nor the clerk's");
        assertFalse(preview.html().contains("alert('x')") && preview.select(".notice-body").html().contains("<script"));
        assertTrue(preview.select("table .state-label").eachText().contains("Sospeso"));
        assertEquals("Pubblica ora", preview.selectFirst(".publish-box button").text());

        // 3. publish: public at the next request
        Page published = mario.post("/admin/avvisi/" + id + "/pubblica", Map.of());
        assertEquals(303, published.status(), published.body());
        assertTrue(mario.follow(published).doc().selectFirst(".flash").text().startsWith("Avviso pubblicato"));
        String path = server.app().notices().find(id).orElseThrow().path();
        Document notice = publicPage(path, 200);
        assertEquals("Carta d'identità: prenotazioni sospese", notice.selectFirst("h1").text());
        assertTrue(notice.select(".notice-body script").isEmpty());
        assertEquals("Sospeso", stateOnHome("Carta d'identità elettronica"));
        Page twice = mario.post("/admin/avvisi/" + id + "/pubblica", Map.of());
        assertEquals(409, twice.status(), "a double click does not publish twice");
        assertTrue(twice.doc().selectFirst(".alert-danger").text().contains("non è più una bozza"));

        // 4. two numbered updates: the first changes the state, the second only informs
        Page first = mario.post("/admin/avvisi/" + id + "/aggiornamenti", Map.of(
                "body", "Le prenotazioni si fanno allo sportello dell'anagrafe.",
                "state_s_" + cartaIdentita, "alternative", "reason_s_" + cartaIdentita, "Prenotazioni allo sportello"));
        assertEquals(303, first.status(), first.body());
        assertEquals("Disponibile tramite canali alternativi", stateOnHome("Carta d'identità elettronica"));
        clock.advance(Duration.ofMinutes(30));
        assertEquals(303, mario.post("/admin/avvisi/" + id + "/aggiornamenti",
                Map.of("body", "Il fornitore del Ministero stima il ripristino in giornata.")).status());
        notice = publicPage(path, 200);
        assertEquals(List.of("Aggiornamento n. 2", "Aggiornamento n. 1"),
                notice.select(".timeline h3").eachText().stream().map(t -> t.replaceAll(" –.*", "")).toList());
        assertEquals("Disponibile tramite canali alternativi", stateOnHome("Carta d'identità elettronica"),
                "an update without new states keeps them");

        // 5. expiring within 48 hours: on the dashboard, at login, and on the avviso itself
        Element expiring = mario.get("/admin").doc().selectFirst("#in-scadenza");
        assertEquals("Un avviso scade entro 48 ore", expiring.selectFirst("h2").text());
        assertTrue(expiring.text().contains("Carta d'identità: prenotazioni sospese"));
        assertTrue(expiring.text().contains("tra 29 ore"), expiring.text());
        AdminClient giulia = new AdminClient(server);
        Page welcome = giulia.follow(giulia.login("giulia.verdi", PASSWORD));
        assertTrue(welcome.doc().selectFirst(".flash-warning").text().contains("un avviso scade entro 48 ore"),
                welcome.doc().selectFirst(".flash").text());
        Document own = mario.get("/admin/avvisi/" + id).doc();
        assertTrue(own.selectFirst(".expiry-warning").text().startsWith("Questo avviso scade il 25 novembre 2026, 17:00"),
                own.selectFirst(".expiry-warning").text());

        // 6. a correction of the published text keeps the previous version and the old address
        Document edit = mario.get("/admin/avvisi/" + id + "/modifica").doc();
        String version = edit.selectFirst("input[name=version]").attr("value");
        Page corrected = mario.post("/admin/avvisi/" + id + "/modifica", Map.of("version", version,
                "title", "Carta d'identità: prenotazioni online sospese",
                "summary", "Il sistema ministeriale delle prenotazioni online non risponde.", "body", "Il sistema è **fermo**."));
        assertEquals(303, corrected.status(), corrected.body());
        String newPath = server.app().notices().find(id).orElseThrow().path();
        assertTrue(newPath.endsWith("-carta-d-identita-prenotazioni-online-sospese"), newPath);
        HttpResponse<String> old = server.get(path);
        assertEquals(301, old.statusCode());
        assertEquals(newPath, old.headers().firstValue("Location").orElse(""));
        assertEquals("Carta d'identità: prenotazioni online sospese", publicPage(newPath, 200).selectFirst("h1").text());
        Document revisions = mario.get("/admin/avvisi/" + id).doc();
        assertTrue(revisions.selectFirst(".revisions").text().contains("Carta d'identità: prenotazioni sospese"));
        assertEquals(1, count(server, "SELECT count(*) FROM notice_revision WHERE notice_id = ?", id));

        // 7. the expiry passes by the clock alone: no banner, the service is active again
        clock.set(Instant.parse("2026-11-25T16:00:01Z"));
        Document expired = publicPage(newPath, 200);
        assertTrue(expired.selectFirst(".notice-status").text().startsWith("Scaduto il 25 novembre 2026"));
        assertEquals("Attivo", stateOnHome("Carta d'identità elettronica"));
        // the session went idle meanwhile: signing in again
        assertEquals(303, mario.get("/admin").status());
        assertEquals(303, mario.login("mario.rossi", PASSWORD).status());
        Document afterExpiry = mario.get("/admin").doc();
        assertTrue(afterExpiry.selectFirst("#expired-title").parent().text().contains("Carta d'identità: prenotazioni online sospese"),
                "an expired but unclosed avviso is pointed out");

        // 8. the outage goes on (the Massa case): the clerk extends the expiry, the avviso is back
        Page extended = mario.post("/admin/avvisi/" + id + "/scadenza", Map.of("expires_at", "2026-11-28T18:00"));
        assertEquals(303, extended.status(), extended.body());
        assertEquals("Disponibile tramite canali alternativi", stateOnHome("Carta d'identità elettronica"));

        // 9. withdrawal: the address answers 410 with a trace; the state goes back
        Page withdrawn = mario.post("/admin/avvisi/" + id + "/ritira", Map.of("confirm", "on", "note", "Pubblicato per errore"));
        assertEquals(303, withdrawn.status(), withdrawn.body());
        Document gone = publicPage(newPath, 410);
        assertEquals("Avviso ritirato", gone.selectFirst("h1").text());
        assertEquals("Attivo", stateOnHome("Carta d'identità elettronica"));

        // 10. every change is in the audit log, with who and before/after
        List<String> actions = server.app().admin().audit().about("notice", id).stream().map(AuditLog.Entry::action).toList();
        assertEquals(List.of("notice.create", "notice.publish", "notice.update", "notice.update", "notice.text",
                "notice.expiry", "notice.withdraw"), actions);
        AuditLog.Entry publish = server.app().admin().audit().about("notice", id).get(1);
        assertEquals("mario.rossi", publish.username());
        assertTrue(publish.beforeJson().contains("\"status\":\"draft\""), publish.beforeJson());
        assertTrue(publish.afterJson().contains("\"status\":\"published\""), publish.afterJson());
        assertTrue(publish.afterJson().contains("\"publishedAt\":\"2026-11-24T10:00:00Z\""), publish.afterJson());
        // an update's entry records the update added (with the state it set), not the whole avviso twice
        AuditLog.Entry firstUpdate = server.app().admin().audit().about("notice", id).get(2);
        assertNull(firstUpdate.beforeJson());
        assertTrue(firstUpdate.afterJson().contains("\"number\":1"), firstUpdate.afterJson());
        assertTrue(firstUpdate.afterJson().contains("allo sportello dell'anagrafe"), firstUpdate.afterJson());
        assertTrue(firstUpdate.afterJson().contains("\"state\":\"alternative\""), firstUpdate.afterJson());
        AuditLog.Entry secondUpdate = server.app().admin().audit().about("notice", id).get(3);
        assertTrue(secondUpdate.afterJson().contains("\"number\":2"), secondUpdate.afterJson());
        assertTrue(secondUpdate.afterJson().contains("\"impacts\":[]"), "no state set: " + secondUpdate.afterJson());
        assertFalse(secondUpdate.afterJson().contains("allo sportello dell'anagrafe"), "not the earlier updates: " + secondUpdate.afterJson());
        AuditLog.Entry withdrawal = server.app().admin().audit().about("notice", id).get(6);
        assertEquals("Pubblicato per errore", withdrawal.summary());
        assertTrue(count(server, "SELECT count(*) FROM audit_log") >= auditBefore + 7);

        // and administrators read it
        giulia.login("giulia.verdi", PASSWORD);
        Document audit = giulia.get("/admin/registro").doc();
        Element entry = audit.selectFirst(".audit-entry[data-action=notice.withdraw]");
        assertTrue(entry.text().contains("Avviso ritirato"), entry.text());
        assertTrue(entry.text().contains("mario.rossi"), entry.text());
        assertTrue(entry.selectFirst(".audit-json").text().contains("\"status\":\"published\""), "before and after are shown");
    }

    @Test
    void attachmentsAreSniffedStoredUnderARandomNameAndServedWithTheirType() throws Exception {
        clock.set(NOW);
        AdminClient mario = new AdminClient(server);
        mario.login("mario.rossi", PASSWORD);
        Page created = mario.post("/admin/avvisi", Map.of("title", "Comunicato con allegati", "kind", "informazione",
                "summary", "Il comunicato ufficiale è allegato.", "body", "", "publish", "now", "action", "draft"));
        long id = idFrom(created.location());
        String path = "/admin/avvisi/" + id + "/allegati";
        long filesBefore = files();

        byte[] pdf = ("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n").getBytes(StandardCharsets.US_ASCII);
        Page ok = mario.upload(path, Map.of("title", "Comunicato ufficiale"), "C:\\Documenti\\comunicato ufficiale.pdf",
                "application/octet-stream", pdf);
        assertEquals(303, ok.status(), ok.body());
        byte[] png = new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        assertEquals(303, mario.upload(path, Map.of("title", ""), "foto.pdf", "application/pdf", png).status(),
                "the content decides the type, not the name");

        Page html = mario.upload(path, Map.of("title", "Innocuo"), "innocuo.pdf", "application/pdf",
                "<html><script>alert(1)</script></html>".getBytes(StandardCharsets.UTF_8));
        assertEquals(415, html.status());
        assertTrue(html.fieldError("file").startsWith("Tipo di file non ammesso"), html.fieldError("file"));
        assertEquals("Innocuo", html.value("title"), "what was typed is kept");

        byte[] big = new byte[5000];
        System.arraycopy(pdf, 0, big, 0, pdf.length);
        Page tooBig = mario.upload(path, Map.of("title", "Troppo grande"), "grande.pdf", "application/pdf", big);
        assertEquals(413, tooBig.status());
        assertEquals("Il file è troppo grande: al massimo 4 kB.", tooBig.fieldError("file"));

        byte[] huge = new byte[3 * 1024 * 1024];   // past what the server reads at all for a 4 kB limit
        System.arraycopy(pdf, 0, huge, 0, pdf.length);
        Page refusedByServer = mario.upload(path, Map.of("title", "Enorme"), "enorme.pdf", "application/pdf", huge);
        assertEquals(413, refusedByServer.status());
        assertTrue(refusedByServer.doc().selectFirst("main p").text().startsWith("Il modulo inviato è troppo grande"));

        Page none = mario.upload(path, Map.of("title", "Niente"), "", "application/octet-stream", new byte[0]);
        assertEquals(422, none.status());
        assertEquals("Scegli il file da allegare.", none.fieldError("file"));

        assertEquals(2, count(server, "SELECT count(*) FROM attachment WHERE notice_id = ?", id));
        assertEquals(filesBefore + 2, files(), "refused files leave nothing behind");

        var attachments = server.app().notices().find(id).orElseThrow().attachments();
        assertEquals("comunicato ufficiale.pdf", attachments.get(0).filename());
        assertEquals("application/pdf", attachments.get(0).contentType());
        assertTrue(attachments.get(0).storedName().matches("[0-9a-f]{32}\\.pdf"), attachments.get(0).storedName());
        assertEquals("image/png", attachments.get(1).contentType());
        assertEquals("foto.pdf.png", attachments.get(1).filename());
        assertEquals("foto.pdf", attachments.get(1).title());

        // a draft's attachment is not public yet, but clerks can open it
        String publicFile = attachments.get(0).path();
        assertEquals(404, server.getBytes(publicFile).statusCode());
        assertEquals(200, mario.get("/admin/allegati/" + attachments.get(0).storedName()).status());
        mario.post("/admin/avvisi/" + id + "/pubblica", Map.of());
        HttpResponse<byte[]> served = server.getBytes(publicFile);
        assertEquals(200, served.statusCode());
        assertEquals("application/pdf", served.headers().firstValue("Content-Type").orElse(""));
        assertTrue(served.headers().firstValue("Content-Disposition").orElse("").contains("comunicato%20ufficiale.pdf"));
        assertEquals(List.of("notice.create", "notice.attachment", "notice.attachment", "notice.publish"),
                server.app().admin().audit().about("notice", id).stream().map(AuditLog.Entry::action).toList());
    }

    private static long files() throws Exception {
        try (Stream<java.nio.file.Path> s = Files.list(server.dataDir().resolve("allegati"))) {
            return s.count();
        }
    }

    @Test
    void aScheduledPublicationAppearsByItselfAtItsTime() {
        clock.set(NOW);
        AdminClient mario = new AdminClient(server);
        mario.login("mario.rossi", PASSWORD);
        Page created = mario.post("/admin/avvisi", Map.of("title", "Manutenzione del portale scuola", "kind", "manutenzione",
                "summary", "Il portale scuola sarà fermo per due ore.", "body", "",
                "publish", "later", "publish_at", "2026-11-26T08:00",
                "window_start", "2026-11-27T08:00", "window_end", "2026-11-27T10:00", "action", "preview"));
        assertEquals(303, created.status(), created.body());
        long id = idFrom(created.location());
        Document preview = mario.get(created.location()).doc();
        assertEquals("Conferma la pubblicazione programmata", preview.selectFirst(".publish-box button").text());
        Page scheduled = mario.post("/admin/avvisi/" + id + "/pubblica", Map.of());
        assertTrue(scheduled.location().endsWith("esito=programmato"), scheduled.location());
        String path = server.app().notices().find(id).orElseThrow().path();
        publicPage(path, 404);
        assertTrue(mario.get("/admin").doc().selectFirst("#scheduled-title").parent().text().contains("Manutenzione del portale scuola"));
        clock.set(Instant.parse("2026-11-26T07:00:00Z"));
        assertEquals("Manutenzione del portale scuola", publicPage(path, 200).selectFirst("h1").text());
    }
}
