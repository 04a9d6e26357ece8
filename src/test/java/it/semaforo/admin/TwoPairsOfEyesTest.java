package it.semaforo.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import it.semaforo.admin.AdminClient.Page;
import it.semaforo.audit.AuditLog;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
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
import static it.semaforo.admin.AdminTesting.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two pairs of eyes over real HTTP: a redattore's data-breach avviso goes out only once an
 * administrator other than its author approves it; the request, the refusal with its reason
 * and the approval are audited and on the dashboard; every refusal changes nothing; the
 * write API keeps such an avviso as a draft awaiting approval. And the preview's warning of
 * addresses and numbers that are not the comune's.
 */
class TwoPairsOfEyesTest {
    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    static final MutableClock clock = new MutableClock(NOW);
    @RegisterExtension
    static final TestServer server = TestServer.demo(clock, AdminTesting.settings("review.kinds", "violazione-dati,informazione"));
    static AdminClient mario;   // redattore
    static AdminClient luca;    // another redattore
    static AdminClient giulia;  // amministratore
    static AdminClient paolo;   // another amministratore

    @BeforeAll
    static void start() {
        AdminTesting.user(server, "mario.rossi", Role.EDITOR);
        AdminTesting.user(server, "luca.bianchi", Role.EDITOR);
        AdminTesting.user(server, "giulia.verdi", Role.ADMINISTRATOR);
        AdminTesting.user(server, "paolo.neri", Role.ADMINISTRATOR);
        mario = new AdminClient(server);
        luca = new AdminClient(server);
        giulia = new AdminClient(server);
        paolo = new AdminClient(server);
    }

    @BeforeEach
    void signIn() {
        clock.set(NOW);
        for (var e : Map.of(mario, "mario.rossi", luca, "luca.bianchi", giulia, "giulia.verdi", paolo, "paolo.neri").entrySet()) {
            if (e.getKey().get("/admin").status() != 200) assertEquals(303, e.getKey().login(e.getValue(), PASSWORD).status());
        }
    }

    static Map<String, String> breach(String title, String body) {
        Map<String, String> f = new LinkedHashMap<>(Map.of("title", title, "kind", "violazione-dati",
                "summary", "Una cartella era raggiungibile da Internet.", "body", body,
                "publish", "now", "expires_at", "2026-12-20T18:00", "action", "preview"));
        f.putAll(Map.of("breach_nature", "Una cartella del software scolastico era raggiungibile da Internet.",
                "breach_discovered", "Il 1° marzo.", "data_involved", "dati anagrafici", "subjects", "Gli iscritti alla mensa.",
                "consequences", "Perdita di riservatezza.", "measures_taken", "permessi corretti",
                "controller", "Comune di Roccaverde", "dpo", "DPO del Comune"));
        return f;
    }

    static long draft(AdminClient clerk, Map<String, String> form) {
        Page p = clerk.post("/admin/avvisi", form);
        assertEquals(303, p.status(), p.body());
        return Long.parseLong(p.location().replaceAll("^/admin/avvisi/([0-9]+).*$", "$1"));
    }

    static String version(AdminClient clerk, long id) {
        return clerk.get("/admin/avvisi/" + id + "/anteprima").doc().selectFirst("input[name=version]").val();
    }

    static String status(long id) {
        return server.app().notices().find(id).orElseThrow().status().key();
    }

    static List<String> actions(long id) {
        return server.app().admin().audit().about("notice", id).stream().map(AuditLog.Entry::action).toList();
    }

    @Test
    void aRedattoresDataBreachGoesOutOnlyWhenAnotherClerkWithTheRoleApprovesIt() {
        long id = draft(mario, breach("Dati della mensa esposti", "Scrivete a urp@comune.roccaverde.example."));

        // the preview offers a request, not a publication; publishing anyway is refused
        Document preview = mario.get("/admin/avvisi/" + id + "/anteprima").doc();
        assertEquals("Chiedi l'approvazione", preview.selectFirst(".publish-box button").text());
        Page direct = mario.post("/admin/avvisi/" + id + "/pubblica", Map.of());
        assertEquals(409, direct.status());
        assertTrue(direct.doc().selectFirst(".alert-danger").text().contains("approvazione"), direct.doc().text());
        assertEquals("draft", status(id));

        // the request: audited; asked twice is refused; nothing public yet
        String asked = version(mario, id);
        assertEquals(303, mario.post("/admin/avvisi/" + id + "/approvazione", Map.of("version", asked)).status());
        assertEquals(409, mario.post("/admin/avvisi/" + id + "/approvazione", Map.of("version", asked)).status());
        assertEquals(List.of("notice.create", "notice.approval.request"), actions(id));
        assertEquals(404, server.get("/avvisi/" + id).statusCode());

        // the dashboard of an administrator lists it
        Document dashboard = giulia.get("/admin").doc();
        assertTrue(dashboard.select("#approvazioni li").text().contains("Dati della mensa esposti"), dashboard.text());
        assertTrue(dashboard.select("#approvazioni li").text().contains("mario rossi"));

        // not by its author, not by another redattore: nothing changes
        long audit = count(server, "SELECT count(*) FROM audit_log");
        String v = version(giulia, id);
        Page self = mario.post("/admin/avvisi/" + id + "/approva", Map.of("version", v));
        assertEquals(409, self.status());
        assertTrue(self.doc().text().contains("secondo paio d'occhi"), self.doc().text());
        Page editor = luca.post("/admin/avvisi/" + id + "/approva", Map.of("version", v));
        assertEquals(409, editor.status());
        assertTrue(editor.doc().text().contains("Solo un amministratore"), editor.doc().text());
        assertTrue(luca.get("/admin/avvisi/" + id + "/anteprima").doc().select("form[action$=/approva]").isEmpty(),
                "no button for a clerk who may not decide");
        assertEquals(409, luca.post("/admin/avvisi/" + id + "/rifiuta", Map.of("reason", "no")).status());
        assertEquals(audit, count(server, "SELECT count(*) FROM audit_log"));
        assertEquals("draft", status(id));

        // a refusal must say why: 422 by the field, nothing changed
        Page noReason = giulia.post("/admin/avvisi/" + id + "/rifiuta", Map.of("reason", "   "));
        assertEquals(422, noReason.status());
        assertNotNull(noReason.fieldError("reason"));
        assertEquals(1, count(server, "SELECT count(*) FROM notice_approval WHERE notice_id = ? AND decided_at IS NULL", id));

        // refused with its reason: audited, shown to the author in the preview and on the dashboard
        Page refused = giulia.post("/admin/avvisi/" + id + "/rifiuta", Map.of("reason", "Manca il riferimento al Garante."));
        assertEquals(303, refused.status(), refused.body());
        AuditLog.Entry refusal = server.app().admin().audit().about("notice", id).stream()
                .filter(e -> e.action().equals("notice.approval.refuse")).findFirst().orElseThrow();
        assertEquals("Manca il riferimento al Garante.", refusal.summary());
        assertEquals("giulia.verdi", refusal.username());
        assertTrue(mario.get("/admin/avvisi/" + id + "/anteprima").doc().select(".approval-history").text()
                .contains("Manca il riferimento al Garante."));
        assertTrue(mario.get("/admin").doc().select("#decisioni").text().contains("Manca il riferimento al Garante."));
        assertEquals("draft", status(id));
        assertEquals(409, giulia.post("/admin/avvisi/" + id + "/approva", Map.of("version", v)).status(), "nothing left to approve");

        // asked again, approved by another administrator: published at once, the approver in the log
        assertEquals(303, mario.post("/admin/avvisi/" + id + "/approvazione", Map.of("version", version(mario, id))).status());
        Page approved = paolo.post("/admin/avvisi/" + id + "/approva", Map.of("version", version(paolo, id)));
        assertEquals(303, approved.status(), approved.body());
        assertEquals("published", status(id));
        assertEquals(200, server.get(server.app().notices().find(id).orElseThrow().path()).statusCode());
        List<AuditLog.Entry> log = server.app().admin().audit().about("notice", id);
        assertEquals(List.of("notice.create", "notice.approval.request", "notice.approval.refuse", "notice.approval.request",
                "notice.approval.grant", "notice.publish"), log.stream().map(AuditLog.Entry::action).toList());
        assertEquals("paolo.neri", log.get(log.size() - 1).username());
        assertTrue(giulia.get("/admin").doc().select("#decisioni").text().contains("Approvato da paolo neri"));
    }

    @Test
    void editingARequestedDraftCancelsTheRequestAndAStaleApprovalIsRefused() {
        Map<String, String> form = breach("Dati del trasporto esposti", "Testo.");
        long id = draft(mario, form);
        String asked = version(mario, id);
        assertEquals(303, mario.post("/admin/avvisi/" + id + "/approvazione", Map.of("version", asked)).status());
        String seen = version(giulia, id);

        // the author changes the text: the approver would approve what is no more
        Map<String, String> edited = new LinkedHashMap<>(form);
        edited.put("body", "Testo corretto.");
        edited.put("version", asked);
        assertEquals(303, mario.post("/admin/avvisi/" + id + "/modifica", edited).status());
        assertEquals(0, count(server, "SELECT count(*) FROM notice_approval WHERE notice_id = ? AND decided_at IS NULL", id));
        assertTrue(actions(id).contains("notice.approval.cancel"));
        assertEquals(409, giulia.post("/admin/avvisi/" + id + "/approva", Map.of("version", seen)).status());
        assertEquals("draft", status(id));

        // asked again; an approver holding an old page of it is refused too
        assertEquals(303, mario.post("/admin/avvisi/" + id + "/approvazione", Map.of("version", version(mario, id))).status());
        assertEquals(409, giulia.post("/admin/avvisi/" + id + "/approva", Map.of("version", seen)).status());
        assertEquals("draft", status(id));
        assertEquals(303, giulia.post("/admin/avvisi/" + id + "/approva", Map.of("version", version(giulia, id))).status());
        assertEquals("published", status(id));
    }

    @Test
    void administratorsAndKindsNotUnderReviewPublishDirectly() {
        long own = draft(giulia, breach("Avviso dell'amministratrice", "Testo."));
        assertEquals("Pubblica ora", giulia.get("/admin/avvisi/" + own + "/anteprima").doc().selectFirst(".publish-box button").text());
        assertEquals(303, giulia.post("/admin/avvisi/" + own + "/pubblica", Map.of()).status());
        assertEquals("published", status(own));
        long outage = draft(mario, Map.of("title", "Sportello chiuso", "kind", "disservizio", "summary", "Chiuso oggi.",
                "body", "", "publish", "now", "expires_at", "2026-12-20T18:00", "action", "preview"));
        String current = it.semaforo.notice.NoticeDesk.version(server.app().notices().find(outage).orElseThrow());
        assertEquals(409, mario.post("/admin/avvisi/" + outage + "/approvazione", Map.of("version", current)).status());
        assertEquals(303, mario.post("/admin/avvisi/" + outage + "/pubblica", Map.of()).status());
        assertEquals("published", status(outage));
    }

    @Test
    void theWriteApiKeepsAnAvvisoUnderReviewAsADraftAwaitingApproval() throws Exception {
        long user = server.app().admin().accounts().findByUsername("mario.rossi").orElseThrow().id();
        String token = server.app().admin().tokens().create(server.app().admin().accounts().find(user).orElseThrow()
                .actor("127.0.0.1"), "automazione", java.util.EnumSet.allOf(ApiTokens.Scope.class),
                Instant.parse("2100-01-01T00:00:00Z")).secret();
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(URI.create(server.url("/api/semaforo/v1/notices.json")))
                .timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"kind\": \"informazione\", \"title\": \"Nuovi orari\", \"summary\": \"Da lunedì.\"}"))
                .build());
        assertEquals(202, r.statusCode(), r.body());
        JsonNode answer = new ObjectMapper().readTree(r.body());
        assertEquals("draft", answer.get("status").asText());
        assertEquals("pending", answer.get("approval").asText());
        assertTrue(answer.get("url").isNull());
        long id = answer.get("id").asLong();
        assertEquals(List.of("notice.create", "notice.approval.request"), actions(id));
        assertTrue(giulia.get("/admin").doc().select("#approvazioni").text().contains("Nuovi orari"));
        assertEquals(303, giulia.post("/admin/avvisi/" + id + "/approva", Map.of("version", version(giulia, id))).status());
        assertEquals("published", status(id));
    }

    @Test
    void thePreviewWarnsOfAddressesAndNumbersThatAreNotTheComunes() {
        long fake = draft(mario, breach("Rimborso per i dati esposti",
                "Per il rimborso andate su [questo modulo](https://rimborsi-roccaverde.example.net/modulo) "
                        + "o chiamate il 06 1234 5678 entro il 30.11.2026."));
        Document p = mario.get("/admin/avvisi/" + fake + "/anteprima").doc();
        List<String> warnings = p.select(".destinations li").eachText();
        assertEquals(List.of("controlla: questo avviso indirizza a rimborsi-roccaverde.example.net, che non è tra i domini del Comune",
                "controlla: questo avviso indirizza al numero 06 1234 5678, che non è tra i recapiti dei servizi né il numero del Comune"),
                warnings);

        // the comune's own site (any subdomain), its e-mail, its channels' numbers with or without +39: no warning
        long genuine = draft(mario, breach("Dati esposti: cosa fare",
                "Informazioni su https://www.comune.roccaverde.example/privacy e su servizi.comune.roccaverde.example; "
                        + "scrivete a urp@comune.roccaverde.example o chiamate lo 0123 456790 (Sig.ra Bianchi, ore 9.30)."));
        assertTrue(mario.get("/admin/avvisi/" + genuine + "/anteprima").doc().select(".destinations").isEmpty());
        assertNull(mario.get("/admin/avvisi/" + genuine + "/anteprima").doc().selectFirst(".alert-warning"));
        assertFalse(warnings.isEmpty());
    }
}
