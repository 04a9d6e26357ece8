package it.semaforo.admin;

import it.semaforo.admin.AdminClient.Page;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static it.semaforo.admin.AdminTesting.PASSWORD;
import static it.semaforo.admin.AdminTesting.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every refusal of the avviso forms: the Italian message next to the field, what the clerk
 * typed still there, and nothing written (no avviso, no audit entry).
 */
class AdminValidationTest {
    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    static final MutableClock clock = new MutableClock(NOW);
    @RegisterExtension
    static final TestServer server = TestServer.demo(clock, AdminTesting.settings());
    static AdminClient clerk;
    static long anagrafe;

    @BeforeAll
    static void start() {
        AdminTesting.user(server, "mario.rossi", Role.EDITOR);
        anagrafe = server.app().services().load().service("anagrafe").orElseThrow().id();
        clerk = new AdminClient(server);
    }

    @BeforeEach
    void signIn() {
        clock.set(NOW);
        if (clerk.get("/admin").status() != 200) assertEquals(303, clerk.login("mario.rossi", PASSWORD).status());
    }

    /** A complete, valid avviso; each test breaks one thing. */
    private static Map<String, String> valid() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("title", "Anagrafe chiusa per inventario");
        f.put("kind", "disservizio");
        f.put("summary", "Lo sportello dell'anagrafe è chiuso oggi.");
        f.put("body", "Testo *completo* dell'avviso.");
        f.put("publish", "now");
        f.put("publish_at", "");
        f.put("expires_at", "2026-11-30T18:00");
        f.put("window_start", "");
        f.put("window_end", "");
        f.put("state_s_" + anagrafe, "suspended");
        f.put("reason_s_" + anagrafe, "Inventario annuale");
        f.put("action", "draft");
        return f;
    }

    private static Map<String, String> with(String... pairs) {
        Map<String, String> f = valid();
        for (int i = 0; i < pairs.length; i += 2) f.put(pairs[i], pairs[i + 1]);
        return f;
    }

    /** Submits a broken avviso and checks the refusal left no trace. */
    private static Page refused(Map<String, String> fields, int status) {
        long notices = count(server, "SELECT count(*) FROM notice");
        long audit = count(server, "SELECT count(*) FROM audit_log WHERE action LIKE 'notice.%'");
        Page p = clerk.post("/admin/avvisi", fields);
        assertEquals(status, p.status(), p.body());
        assertEquals(notices, count(server, "SELECT count(*) FROM notice"), "nothing was written");
        assertEquals(audit, count(server, "SELECT count(*) FROM audit_log WHERE action LIKE 'notice.%'"));
        Document doc = p.doc();
        assertTrue(doc.selectFirst(".error-summary") != null, "an error summary leads to the fields");
        return p;
    }

    @Test
    void anEmptyTitleIsRefusedAndEverythingTypedIsKept() {
        Page p = refused(with("title", "   "), 422);
        assertEquals("Scrivi il titolo dell'avviso.", p.fieldError("title"));
        assertEquals("true", p.doc().getElementById("f-title").attr("aria-invalid"));
        assertEquals("Lo sportello dell'anagrafe è chiuso oggi.", p.value("summary"));
        assertEquals("Testo *completo* dell'avviso.", p.value("body"));
        assertEquals("2026-11-30T18:00", p.value("expires_at"));
        assertEquals("suspended", p.doc().selectFirst("#f-state_s_" + anagrafe + " option[selected]").val());
        assertEquals("Inventario annuale", p.value("reason_s_" + anagrafe));
        assertEquals("disservizio", p.doc().selectFirst("#f-kind option[selected]").val());
        assertEquals("#f-title", p.doc().selectFirst(".error-summary a").attr("href"));
    }

    @Test
    void theSummaryIsRequiredAndTooLongTextsAreRefused() {
        assertEquals("Scrivi il testo «in breve»: una o due frasi su cosa succede e cosa fare.",
                refused(with("summary", ""), 422).fieldError("summary"));
        assertEquals("Il titolo può avere al massimo 200 caratteri (ora ne ha 201).",
                refused(with("title", "a".repeat(201)), 422).fieldError("title"));
        Page body = refused(with("body", "x".repeat(50_001)), 422);
        assertTrue(body.fieldError("body").startsWith("La descrizione è troppo lunga: al massimo 50.000 caratteri (ora ne ha 50.001)"),
                body.fieldError("body"));
        assertEquals(50_001, body.value("body").length(), "the long text is given back, not lost");
    }

    @Test
    void anExpiryBeforeThePublicationIsRefused() {
        Page later = refused(with("publish", "later", "publish_at", "2026-11-27T09:00", "expires_at", "2026-11-26T09:00"), 422);
        assertEquals("La data di scadenza deve essere successiva alla pubblicazione (27 novembre 2026, 09:00).",
                later.fieldError("expires_at"));
        assertEquals("later", later.doc().selectFirst("input[name=publish][checked]").val());
        Page now = refused(with("expires_at", "2026-11-24T10:30"), 422);
        assertEquals("La data di scadenza deve essere successiva alla pubblicazione (24 novembre 2026, 11:00).",
                now.fieldError("expires_at"));
    }

    @Test
    void datesMustBeRealAndAScheduledPublicationInTheFuture() {
        assertEquals("Data e ora non valide: scrivile come gg/mm/aaaa oo:mm, ad esempio 24/11/2026 18:30.",
                refused(with("expires_at", "31/02/2026 10:00"), 422).fieldError("expires_at"));
        assertEquals("Data e ora non valide: scrivile come gg/mm/aaaa oo:mm, ad esempio 24/11/2026 18:30.",
                refused(with("expires_at", "domani"), 422).fieldError("expires_at"));
        assertEquals("Indica data e ora della pubblicazione programmata.",
                refused(with("publish", "later"), 422).fieldError("publish_at"));
        assertTrue(refused(with("publish", "later", "publish_at", "2026-11-24T09:00"), 422).fieldError("publish_at")
                .startsWith("La pubblicazione programmata deve essere nel futuro"));
        // the text a browser without datetime-local sends is read too
        Page ok = clerk.post("/admin/avvisi", with("expires_at", "30/11/2026 18:00"));
        assertEquals(303, ok.status(), ok.body());
    }

    @Test
    void aMaintenanceWindowBelongsToMaintenancesAndEndsAfterItStarts() {
        assertTrue(refused(with("window_start", "2026-11-27T08:00", "window_end", "2026-11-27T10:00"), 422)
                .fieldError("window_start").startsWith("Il periodo dell'intervento si indica solo per le manutenzioni"));
        assertEquals("La fine dell'intervento deve essere successiva all'inizio.", refused(with("kind", "manutenzione",
                "window_start", "2026-11-27T08:00", "window_end", "2026-11-27T07:00"), 422).fieldError("window_end"));
        assertEquals("Indica sia l'inizio sia la fine dell'intervento.", refused(with("kind", "manutenzione",
                "window_start", "2026-11-27T08:00"), 422).fieldError("window_end"));
        assertEquals("Scegli il tipo di avviso dall'elenco.", refused(with("kind", "catastrofe"), 422).doc()
                .getElementById("f-kind-error").text());
    }

    @Test
    void anUnknownServiceOrStateIsRefusedNotDropped() {
        Page unknown = refused(with("state_s_99999", "suspended"), 422);
        assertTrue(unknown.doc().selectFirst("#f-impacts .field-error").text().startsWith("Il servizio n. 99999 non esiste"),
                unknown.doc().selectFirst("#f-impacts").text());
        assertTrue(refused(with("state_p_4242", "degraded"), 422).doc().selectFirst("#f-impacts .field-error").text()
                .startsWith("Il fornitore n. 4242 non esiste"));
        assertEquals("Scegli uno stato dall'elenco.", refused(with("state_s_" + anagrafe, "esploso"), 422)
                .fieldError("state_s_" + anagrafe));
        assertTrue(refused(with("reason_s_" + anagrafe, "r".repeat(301)), 422).fieldError("reason_s_" + anagrafe)
                .startsWith("Il motivo può avere al massimo 300 caratteri"));
    }

    @Test
    void theOtherFormsOfAnAvvisoCheckTheirFieldsToo() {
        Page created = clerk.post("/admin/avvisi", valid());
        long id = Long.parseLong(created.location().replaceAll("\\D+([0-9]+).*", "$1"));
        assertEquals(303, clerk.post("/admin/avvisi/" + id + "/pubblica", Map.of()).status());
        long updates = count(server, "SELECT count(*) FROM notice_update");

        Page emptyUpdate = clerk.post("/admin/avvisi/" + id + "/aggiornamenti", Map.of("body", " ", "state_s_" + anagrafe, "degraded"));
        assertEquals(422, emptyUpdate.status());
        assertEquals("Scrivi il testo dell'aggiornamento.", emptyUpdate.fieldError("body"));
        assertEquals("degraded", emptyUpdate.doc().selectFirst("#f-state_s_" + anagrafe + " option[selected]").val());
        assertEquals(updates, count(server, "SELECT count(*) FROM notice_update"));

        Page pastExpiry = clerk.post("/admin/avvisi/" + id + "/scadenza", Map.of("expires_at", "2026-11-24T09:00"));
        assertEquals(422, pastExpiry.status());
        assertTrue(pastExpiry.fieldError("expires_at").startsWith("La data di scadenza deve essere nel futuro"));
        assertEquals("2026-11-24T09:00", pastExpiry.value("expires_at"));
        assertEquals(Instant.parse("2026-11-30T17:00:00Z"), server.app().notices().find(id).orElseThrow().expiresAt());

        Page unconfirmed = clerk.post("/admin/avvisi/" + id + "/ritira", Map.of("note", "per prova"));
        assertEquals(422, unconfirmed.status());
        assertEquals("Spunta la casella per confermare il ritiro dell'avviso.", unconfirmed.fieldError("confirm"));
        assertEquals("published", server.app().notices().find(id).orElseThrow().status().key());

        String version = clerk.get("/admin/avvisi/" + id + "/modifica").doc().selectFirst("input[name=version]").val();
        Page noTitle = clerk.post("/admin/avvisi/" + id + "/modifica", Map.of("version", version, "title", "",
                "summary", "In breve corretto", "body", "Nuovo testo"));
        assertEquals(422, noTitle.status());
        assertEquals("Scrivi il titolo dell'avviso.", noTitle.fieldError("title"));
        assertEquals("Nuovo testo", noTitle.value("body"));
        assertEquals("Anagrafe chiusa per inventario", server.app().notices().find(id).orElseThrow().title());

        // two clerks edit at once: the second save is refused, with its text kept
        assertEquals(303, clerk.post("/admin/avvisi/" + id + "/modifica", Map.of("version", version,
                "title", "Anagrafe chiusa per l'inventario annuale", "summary", "Chiuso oggi.", "body", "Prima correzione")).status());
        Page conflict = clerk.post("/admin/avvisi/" + id + "/modifica", Map.of("version", version,
                "title", "Anagrafe chiusa", "summary", "Chiuso.", "body", "Seconda correzione"));
        assertEquals(409, conflict.status());
        assertTrue(conflict.doc().selectFirst(".alert-danger").text().startsWith("Nel frattempo qualcun altro ha modificato"));
        assertEquals("Seconda correzione", conflict.value("body"));
        assertEquals("Prima correzione", server.app().notices().find(id).orElseThrow().body());
        // saving again from that page is a deliberate overwrite
        String fresh = conflict.doc().selectFirst("input[name=version]").val();
        assertEquals(303, clerk.post("/admin/avvisi/" + id + "/modifica", Map.of("version", fresh,
                "title", "Anagrafe chiusa", "summary", "Chiuso.", "body", "Seconda correzione")).status());
        assertEquals(2, count(server, "SELECT count(*) FROM notice_revision WHERE notice_id = ?", id));
    }

    @Test
    void aDraftWhoseScheduledTimeHasPassedIsNotPublishedByMistake() {
        Page created = clerk.post("/admin/avvisi", with("publish", "later", "publish_at", "2026-11-24T12:00"));
        assertEquals(303, created.status(), created.body());
        long id = Long.parseLong(created.location().replaceAll("\\D+([0-9]+).*", "$1"));
        clock.set(Instant.parse("2026-11-24T11:30:00Z"));   // 12:30 in Rome: the planned time is gone
        clerk.login("mario.rossi", PASSWORD);
        Page late = clerk.post("/admin/avvisi/" + id + "/pubblica", Map.of());
        assertEquals(409, late.status());
        assertTrue(late.doc().selectFirst(".alert-danger").text().startsWith("L'ora di pubblicazione programmata (24 novembre 2026, 12:00) è già passata"),
                late.doc().selectFirst(".alert-danger").text());
        assertEquals("draft", server.app().notices().find(id).orElseThrow().status().key());
    }

    @Test
    void bodiesTooLargeForTheServerAreRefusedInItalian() {
        long notices = count(server, "SELECT count(*) FROM notice");
        Page huge = clerk.post("/admin/avvisi", with("body", "x".repeat(3_000_000)));
        assertEquals(413, huge.status(), huge.body());
        assertTrue(huge.doc().selectFirst("main p").text().startsWith("Il modulo inviato è troppo grande"));
        assertEquals(notices, count(server, "SELECT count(*) FROM notice"));
    }

    @Test
    void missingAndMalformedAddressesAnswerInItalianNot500() {
        for (String path : new String[]{"/admin/avvisi/abc", "/admin/avvisi/999999", "/admin/avvisi/999999/anteprima",
                "/admin/allegati/..%2F..%2Fsemaforo.db", "/admin/allegati/" + "a".repeat(32) + ".pdf"}) {
            Page p = clerk.get(path);
            assertEquals(404, p.status(), path);
        }
        assertEquals("Questo avviso non esiste.", clerk.get("/admin/avvisi/999999").doc().selectFirst("main p").text());
        Page post = clerk.post("/admin/avvisi/999999/pubblica", Map.of());
        assertEquals(404, post.status());
        assertEquals(400, clerk.get("/admin/avvisi?pagina=zero").status());
        Page garbled = clerk.postRaw("/admin/avvisi", Map.of("csrf", clerk.csrf, "title", "\u0000\u0007<b>x</b>",
                "kind", "disservizio", "summary", "ok", "publish", "now"));
        assertEquals(303, garbled.status(), "control characters are blanked, markup stays text: " + garbled.body());
        long id = Long.parseLong(garbled.location().replaceAll("\\D+([0-9]+).*", "$1"));
        assertEquals("<b>x</b>", server.app().notices().find(id).orElseThrow().title());
        Document page = clerk.get("/admin/avvisi/" + id).doc();
        assertEquals("<b>x</b>", page.selectFirst("h1").text(), "shown escaped, as typed");
        assertTrue(page.select("h1 b").isEmpty());
    }
}
