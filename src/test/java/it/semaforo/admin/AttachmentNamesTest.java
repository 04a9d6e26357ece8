package it.semaforo.admin;

import it.semaforo.admin.AdminClient.Page;
import it.semaforo.text.FileNames;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import static it.semaforo.admin.AdminTesting.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A file name shown as it is: the right-to-left override that makes "fattura\u202Efdp.exe"
 * read as "fatturaexe.pdf", zero-width and other format characters, are removed when the name
 * is stored, and again where a name stored before is shown (clerks' page, API) or served
 * (Content-Disposition).
 */
class AttachmentNamesTest {
    static final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
    static final byte[] PDF = "%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
    /** RLO, LRI, PDI, ZWSP, ZWJ, LRM, BOM, soft hyphen: every one invisible or reordering. */
    static final String HIDDEN = "\u202E\u2066\u2069\u200B\u200D\u200E\uFEFF\u00AD";
    @RegisterExtension
    static final TestServer server = TestServer.demo(clock, AdminTesting.settings());

    @BeforeAll
    static void users() {
        AdminTesting.user(server, "mario.rossi", Role.EDITOR);
    }

    @Test
    void formatCharactersNeverReachAName() {
        assertEquals("fatturafdp.exe.pdf", FileNames.shown("fattura\u202Efdp.exe.pdf"));
        assertEquals("Comunicato è pronto 日本.pdf", FileNames.shown("Comunicato è pronto 日本.pdf"), "letters of any script stay");
        assertEquals("ab", FileNames.shown("a" + HIDDEN + "b"));

        AdminClient mario = new AdminClient(server);
        mario.login("mario.rossi", PASSWORD);
        Page created = mario.post("/admin/avvisi", Map.of("title", "Con allegato", "kind", "informazione",
                "summary", "Il documento è allegato.", "body", "", "publish", "now", "action", "draft"));
        long id = Long.parseLong(created.location().replaceAll("\\D+", ""));
        assertEquals(303, mario.upload("/admin/avvisi/" + id + "/allegati", Map.of("title", ""), "fattura" + HIDDEN + "fdp.exe.pdf",
                "application/pdf", PDF).status());
        assertEquals(303, mario.post("/admin/avvisi/" + id + "/pubblica", Map.of()).status());
        var a = server.app().notices().find(id).orElseThrow().attachments().get(0);
        assertEquals("fatturafdp.exe.pdf", a.filename(), "stored without them");
        assertEquals("fatturafdp.exe", a.title(), "the title made from the name too");

        // a name stored before this rule: shown and served without them all the same
        server.app().database().write(c -> {
            try (var st = c.prepareStatement("UPDATE attachment SET filename = ? WHERE id = ?")) {
                st.setString(1, "vecchia" + HIDDEN + "fdp.exe.pdf");
                st.setLong(2, a.id());
                return st.executeUpdate();
            }
        });
        HttpResponse<byte[]> file = server.getBytes(a.path());
        assertEquals(200, file.statusCode());
        String disposition = file.headers().firstValue("Content-Disposition").orElse("");
        assertEquals("inline; filename=\"vecchiafdp.exe.pdf\"; filename*=UTF-8''vecchiafdp.exe.pdf", disposition);
        String api = server.get("/api/semaforo/v1/notices/" + id + ".json").body();
        assertTrue(api.contains("\"filename\":\"vecchiafdp.exe.pdf\""), api);
        String clerksPage = mario.get("/admin/avvisi/" + id).body();
        assertTrue(clerksPage.contains("vecchiafdp.exe.pdf"), "the clerks' page shows the name without them");
        for (char c : HIDDEN.toCharArray()) {
            assertFalse(clerksPage.contains(String.valueOf(c)), "U+" + Integer.toHexString(c) + " on the clerks' page");
            assertFalse(api.contains(String.valueOf(c)), "U+" + Integer.toHexString(c) + " in the API");
        }
    }
}
