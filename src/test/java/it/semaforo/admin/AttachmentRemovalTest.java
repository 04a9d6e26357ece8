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
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static it.semaforo.admin.AdminTesting.PASSWORD;
import static it.semaforo.admin.AdminTesting.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A file attached by mistake comes off the avviso everywhere the public sees it, and its address says so. */
class AttachmentRemovalTest {
    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    static final MutableClock clock = new MutableClock(NOW);
    static final byte[] PDF = "%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
    @RegisterExtension
    static final TestServer server = TestServer.demo(clock, AdminTesting.settings());

    @BeforeAll
    static void users() {
        AdminTesting.user(server, "mario.rossi", Role.EDITOR);
    }

    /** A published avviso with two PDFs; returns its id. */
    private static long publishedWithTwoFiles(AdminClient clerk) {
        Page created = clerk.post("/admin/avvisi", Map.of("title", "Comunicato con due allegati", "kind", "informazione",
                "summary", "I documenti sono allegati.", "body", "", "publish", "now", "action", "draft"));
        long id = Long.parseLong(created.location().replaceAll("\\D+", ""));
        for (String title : List.of("Elenco sbagliato", "Comunicato giusto")) {
            assertEquals(303, clerk.upload("/admin/avvisi/" + id + "/allegati", Map.of("title", title), title + ".pdf",
                    "application/pdf", PDF).status());
        }
        assertEquals(303, clerk.post("/admin/avvisi/" + id + "/pubblica", Map.of()).status());
        return id;
    }

    @Test
    void aRemovedAttachmentLeavesThePagesTheFeedsAndTheApiAndItsAddressAnswers410() {
        AdminClient mario = new AdminClient(server);
        mario.login("mario.rossi", PASSWORD);
        long id = publishedWithTwoFiles(mario);
        var attachments = server.app().notices().find(id).orElseThrow().attachments();
        String wrong = attachments.get(0).path();
        String right = attachments.get(1).path();
        String noticePath = server.app().notices().find(id).orElseThrow().path();
        assertEquals(200, server.getBytes(wrong).statusCode());
        assertTrue(server.get(noticePath).body().contains(wrong), "the public page links it");
        assertTrue(server.get("/feed.atom").body().contains(wrong), "the feed links it");

        // the clerk's page offers the removal behind a disclosure, one form per file, with its CSRF token
        Document page = mario.get("/admin/avvisi/" + id).doc();
        Element form = page.selectFirst("form[action=/admin/avvisi/" + id + "/allegati/" + attachments.get(0).id() + "/rimuovi]");
        assertNotNull(form, "a removal form for the file");
        assertNotNull(form.closest("details"), "behind a disclosure: one click does not remove a file");
        assertFalse(form.select("input[name=csrf]").attr("value").isEmpty());
        assertTrue(form.selectFirst("button").text().contains("Elenco sbagliato"), form.selectFirst("button").text());

        Page removed = mario.post("/admin/avvisi/" + id + "/allegati/" + attachments.get(0).id() + "/rimuovi", Map.of());
        assertEquals(303, removed.status(), removed.body());
        assertTrue(mario.follow(removed).body().contains("Allegato rimosso"), "the clerk is told what happened");

        // at the next request, everywhere
        String publicPage = server.get(noticePath).body();
        assertFalse(publicPage.contains(wrong), "gone from the avviso's page");
        assertTrue(publicPage.contains(right), "the other file stays");
        assertFalse(server.get("/feed.atom").body().contains(wrong), "gone from the feed");
        assertFalse(server.get("/api/semaforo/v1/notices/" + id + ".json").body().contains(attachments.get(0).storedName()),
                "gone from the API");
        HttpResponse<String> gone = server.get(wrong);
        assertEquals(410, gone.statusCode());
        Document trace = Jsoup.parse(gone.body());
        assertEquals("Allegato rimosso", trace.selectFirst("h1").text());
        assertTrue(trace.text().contains("Questo allegato è stato rimosso dal Comune di Roccaverde il 24 novembre 2026"), trace.text());
        assertEquals(200, server.getBytes(right).statusCode());

        // nothing deleted for real: the row and the trace stay, the audit says who and what
        assertEquals(2, count(server, "SELECT count(*) FROM attachment WHERE notice_id = ?", id));
        assertEquals(1, count(server, "SELECT count(*) FROM attachment WHERE notice_id = ? AND removed_by = 'mario.rossi'", id));
        AuditLog.Entry last = server.app().admin().audit().about("notice", id).stream()
                .reduce((a, b) -> b).orElseThrow();
        assertEquals("notice.attachment.remove", last.action());

        // removing it twice is a clear 404, not a 500, and changes nothing
        Page again = mario.post("/admin/avvisi/" + id + "/allegati/" + attachments.get(0).id() + "/rimuovi", Map.of());
        assertEquals(404, again.status());
        assertTrue(again.body().contains("Questo allegato non c’è più") || again.body().contains("Questo allegato non c'è più"),
                again.body());
    }

    @Test
    void withoutTheCsrfTokenOrForAnotherAvvisoNothingIsRemoved() {
        AdminClient mario = new AdminClient(server);
        mario.login("mario.rossi", PASSWORD);
        long id = publishedWithTwoFiles(mario);
        long other = publishedWithTwoFiles(mario);
        long file = server.app().notices().find(id).orElseThrow().attachments().get(0).id();

        assertEquals(403, mario.postRaw("/admin/avvisi/" + id + "/allegati/" + file + "/rimuovi", Map.of()).status());
        assertEquals(404, mario.post("/admin/avvisi/" + other + "/allegati/" + file + "/rimuovi", Map.of()).status(),
                "a file of one avviso cannot be removed through another");
        assertEquals(404, mario.post("/admin/avvisi/" + id + "/allegati/abc/rimuovi", Map.of()).status());
        assertEquals(0, count(server, "SELECT count(*) FROM attachment WHERE notice_id IN (?, ?) AND removed_at IS NOT NULL", id, other));

        AdminClient stranger = new AdminClient(server);   // not signed in
        Page refused = stranger.postRaw("/admin/avvisi/" + id + "/allegati/" + file + "/rimuovi", Map.of("csrf", "x"));
        assertEquals(401, refused.status(), "no session: asked to sign in");
        assertEquals(0, count(server, "SELECT count(*) FROM attachment WHERE notice_id = ? AND removed_at IS NOT NULL", id));
    }
}
