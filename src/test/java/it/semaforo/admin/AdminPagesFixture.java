package it.semaforo.admin;

import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The demo comune with an administrator, a draft and a published avviso (with an update and an attachment), made
 * over real HTTP: the clerks' pages the browser and HTML checks walk through.
 */
final class AdminPagesFixture {
    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    static final String ADMIN = "anna.bianchi";
    final TestServer server;
    final AdminClient client;
    final long draft;
    final long published;
    /** A data breach a redattore asked approval for, with an address and a number that are not the comune's. */
    final long awaiting;
    /** One whose publication the administrator refused, with a reason. */
    final long refused;

    AdminPagesFixture() {
        this("it");
    }

    /** The area in the given interface language (the comune's `language`); the avvisi stay in Italian, marked as such. */
    AdminPagesFixture(String language) {
        // single sign-on configured (never reached here): the login page shows its button, the invitations page exists
        server = TestServer.start(new MutableClock(NOW), true, AdminTesting.settings("language", language,
                "oidc.issuer", "https://accesso.comune.example",
                "oidc.client.id", "semaforo", "oidc.client.secret", "segreto"));
        AdminTesting.user(server, ADMIN, Role.ADMINISTRATOR);
        client = new AdminClient(server);
        assertEquals(303, client.login(ADMIN, AdminTesting.PASSWORD).status());
        long service = server.app().services().load().service("carta-identita").orElseThrow().id();
        draft = create("Anagrafe chiusa per inventario", service);
        published = create("Carta d'identità: prenotazioni sospese", service);
        assertEquals(303, client.post("/admin/avvisi/" + published + "/pubblica", Map.of()).status());
        assertEquals(303, client.post("/admin/avvisi/" + published + "/aggiornamenti",
                Map.of("body", "Le prenotazioni si fanno allo sportello.")).status());
        // an attachment, so that its removal form is validated and checked for accessibility too
        assertEquals(303, client.upload("/admin/avvisi/" + published + "/allegati", Map.of("title", "Comunicato"),
                "comunicato.pdf", "application/pdf", "%PDF-1.4\n%%EOF\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).status());
        // two pairs of eyes: what the administrator sees waiting, and a refusal with its reason
        AdminTesting.user(server, EDITOR, Role.EDITOR);
        AdminClient editor = new AdminClient(server);
        assertEquals(303, editor.login(EDITOR, AdminTesting.PASSWORD).status());
        awaiting = askApproval(editor, "Dati degli iscritti alla mensa esposti");
        refused = askApproval(editor, "Dati del trasporto scolastico esposti");
        assertEquals(303, client.post("/admin/avvisi/" + refused + "/rifiuta",
                Map.of("reason", "Manca il riferimento alla notifica al Garante.")).status());
        // a probe of the service with a week of measurements, some failed: the clerks' chart per service
        assertEquals(303, client.post("/admin/segnalazioni/fonti", Map.of("kind", "probe", "name", "Prenotazioni CIE",
                "url", "https://prenotazioni.comune.example/", "target", "s" + service, "state", "suspended")).status());
        long probe = server.app().signals().sources().list().stream().filter(s -> s.name().equals("Prenotazioni CIE"))
                .findFirst().orElseThrow().id();
        server.app().database().write(c -> {
            try (var ps = c.prepareStatement("INSERT OR REPLACE INTO probe_result(source_id, at, ok, status, latency_ms) VALUES (?, ?, ?, ?, ?)")) {
                for (int h = 1; h <= 7 * 24; h++) {
                    boolean ok = h % 29 != 0;
                    ps.setLong(1, probe);
                    ps.setLong(2, NOW.minusSeconds(3600L * h).toEpochMilli());
                    ps.setInt(3, ok ? 1 : 0);
                    ps.setInt(4, ok ? 200 : 503);
                    ps.setLong(5, 80 + (h * 37) % 400);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    static final String EDITOR = "marco.verdi";

    /** A data-breach draft by a redattore, sent for approval; its id. */
    static long askApproval(AdminClient editor, String title) {
        Map<String, String> f = new java.util.LinkedHashMap<>(Map.of("title", title, "kind", "violazione-dati",
                "summary", "Una cartella era raggiungibile da Internet.",
                "body", "Per il rimborso andate su https://rimborsi-mensa.example.net/modulo o chiamate il 06 1234 5678.",
                "publish", "now", "expires_at", "2026-12-20T18:00", "action", "preview", "language", "it"));
        f.putAll(Map.of("breach_nature", "Una cartella del software scolastico era raggiungibile da Internet.",
                "breach_discovered", "Il 1° marzo, su segnalazione del CSIRT Italia.", "data_involved", "dati anagrafici",
                "subjects", "Gli iscritti alla mensa.", "consequences", "Perdita di riservatezza dei dati.",
                "measures_taken", "permessi corretti", "controller", "Comune di Roccaverde", "dpo", "DPO del Comune"));
        AdminClient.Page p = editor.post("/admin/avvisi", f);
        assertEquals(303, p.status(), p.body());
        long id = Long.parseLong(p.location().replaceAll("^/admin/avvisi/([0-9]+).*$", "$1"));
        String version = editor.get("/admin/avvisi/" + id + "/anteprima").doc().selectFirst("input[name=version]").val();
        AdminClient.Page asked = editor.post("/admin/avvisi/" + id + "/approvazione", Map.of("version", version));
        assertEquals(303, asked.status(), asked.body());
        return id;
    }

    private long create(String title, long service) {
        AdminClient.Page p = client.post("/admin/avvisi", Map.of("title", title, "kind", "disservizio",
                "summary", "Il sistema delle prenotazioni non risponde.", "body", "Il sistema è **fermo**.",
                "publish", "now", "expires_at", "2026-11-28T18:00",
                "state_s_" + service, "suspended", "reason_s_" + service, "Sistema non raggiungibile", "action", "preview",
                "language", "it"));
        assertEquals(303, p.status(), p.body());
        return Long.parseLong(p.location().replaceAll("^/admin/avvisi/([0-9]+).*$", "$1"));
    }

    /** Every page of the area a signed-in administrator can open with a GET. */
    List<String> pages() {
        long service = server.app().services().load().service("carta-identita").orElseThrow().id();
        String provider = client.get("/admin/fornitori").doc().select("main a[href^=/admin/fornitori/]").stream()
                .map(a -> a.attr("href")).filter(h -> h.matches("/admin/fornitori/[0-9]+")).findFirst().orElseThrow();
        String user = client.get("/admin/utenti").doc().select("main a[href^=/admin/utenti/]").stream()
                .map(a -> a.attr("href")).filter(h -> h.matches("/admin/utenti/[0-9]+")).findFirst().orElseThrow();
        List<String> pages = new ArrayList<>(List.of("/admin", "/admin/avvisi", "/admin/avvisi/nuovo",
                "/admin/avvisi/" + draft + "/anteprima", "/admin/avvisi/" + draft, "/admin/avvisi/" + draft + "/modifica",
                "/admin/avvisi/" + published, "/admin/avvisi/" + published + "/modifica",
                "/admin/servizi", "/admin/servizi/nuovo", "/admin/servizi/" + service,
                "/admin/fornitori", "/admin/fornitori/nuovo", provider,
                "/admin/utenti", "/admin/utenti/nuovo", user, "/admin/registro", "/admin/password", "/admin/valutazioni",
                "/admin/sicurezza", "/admin/sicurezza/totp", user + "/sicurezza", "/admin/secondo-fattore",
                "/admin/avvisi/" + awaiting + "/anteprima", "/admin/avvisi/" + refused + "/anteprima", "/admin/abilitazioni", "/admin/inviti",
                "/admin/segnalazioni/servizi/" + service + "?periodo=7g"));

        return pages;
    }

    void close() {
        server.close();
    }
}
