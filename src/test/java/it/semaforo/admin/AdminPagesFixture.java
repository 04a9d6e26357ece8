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

    AdminPagesFixture() {
        server = TestServer.start(new MutableClock(NOW), true, AdminTesting.settings());
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
    }

    private long create(String title, long service) {
        AdminClient.Page p = client.post("/admin/avvisi", Map.of("title", title, "kind", "disservizio",
                "summary", "Il sistema delle prenotazioni non risponde.", "body", "Il sistema è **fermo**.",
                "publish", "now", "expires_at", "2026-11-28T18:00",
                "state_s_" + service, "suspended", "reason_s_" + service, "Sistema non raggiungibile", "action", "preview"));
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
                "/admin/sicurezza", "/admin/sicurezza/totp", user + "/sicurezza", "/admin/secondo-fattore"));
        return pages;
    }

    void close() {
        server.close();
    }
}
