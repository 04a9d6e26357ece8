package it.semaforo.admin;

import it.semaforo.admin.AdminClient.Page;
import it.semaforo.audit.Actor;
import it.semaforo.notice.Impact;
import it.semaforo.notice.NoticeDetails;
import it.semaforo.notice.NoticeInput;
import it.semaforo.notice.NoticeKind;
import it.semaforo.notice.UpdateInput;
import it.semaforo.service.ServiceCatalog.NewService;
import it.semaforo.service.ServiceState;
import it.semaforo.signal.Signal;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static it.semaforo.admin.AdminTesting.PASSWORD;
import static it.semaforo.admin.AdminTesting.count;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The federation case: a second Semaforo, started in the test as the regional in-house company's,
 * followed through its public change log. Its avviso on the service we depend on becomes a
 * signal on our dashboard, quoted and linked to its page; its end is a proposed recovery.
 */
class SignalFederationTest {
    static final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T08:00:00Z"));
    @RegisterExtension
    static final TestServer server = TestServer.demo(clock, AdminTesting.settings("signals.allow.private", "true", "signals.enabled", "false"));
    static AdminClient admin;

    @BeforeAll
    static void start() {
        AdminTesting.user(server, "giulia.verdi", Role.ADMINISTRATOR);
        admin = new AdminClient(server);
        assertEquals(303, admin.login("giulia.verdi", PASSWORD).status());
    }

    @Test
    void anUpstreamSemaforosAvvisoIsProposedHereAndItsEndToo() {
        MutableClock upstreamClock = new MutableClock(Instant.parse("2026-12-07T08:00:00Z"));
        try (TestServer upstream = TestServer.start(upstreamClock, false, Map.of("base.url", "http://127.0.0.1"))) {
            var up = upstream.app();
            long group = up.services().createGroup("Piattaforme regionali", 1);
            long hub = up.services().createService(new NewService("hub-pagamenti", "Hub dei pagamenti", "", group, 1, List.of(), Set.of()));
            up.services().createService(new NewService("conservazione", "Conservazione digitale", "", group, 2, List.of(), Set.of()));
            long anpr = server.app().services().load().providers().stream().filter(p -> p.slug().equals("pagopa")).findFirst()
                    .orElseThrow().id();

            Page created = admin.post("/admin/segnalazioni/fonti", Map.of("kind", "semaforo", "name", "Semaforo della Regione",
                    "url", upstream.url(""), "target", "p" + anpr, "selector", "hub-pagamenti", "state", "degraded"));
            assertEquals(303, created.status(), created.body());
            long source = server.app().signals().sources().list().stream().filter(s -> s.name().equals("Semaforo della Regione"))
                    .findFirst().orElseThrow().id();
            assertTrue(server.app().poller().poll(source));
            assertTrue(open(source).isEmpty(), "operational upstream: nothing to say");

            long upstreamNotice = up.domain().noticeDesk().createPublished(Actor.commandLine(), new NoticeInput(NoticeKind.OUTAGE,
                    "Hub dei pagamenti fermo", "I pagamenti verso gli enti non passano.", "Stiamo intervenendo.", "it", null, null,
                    null, null, List.of(Impact.onService(hub, ServiceState.SUSPENDED, "guasto")), NoticeDetails.NONE));
            String path = up.notices().find(upstreamNotice).orElseThrow().path();
            assertTrue(server.app().poller().poll(source));
            List<Signal> signals = open(source);
            assertEquals(1, signals.size());
            assertEquals(ServiceState.SUSPENDED, signals.get(0).state());
            assertEquals("Hub dei pagamenti fermo", signals.get(0).title());
            assertEquals("I pagamenti verso gli enti non passano.", signals.get(0).text());
            assertEquals(upstream.url(path), signals.get(0).link(), "the upstream's own page of the avviso");
            Page dashboard = admin.get("/admin");
            var card = dashboard.doc().getElementById("segnalazione-" + signals.get(0).id());
            assertTrue(card.text().contains("Da Semaforo della Regione (altro Semaforo)"), card.text());
            assertTrue(card.text().contains("Pagamenti online (pagoPA)"), "reached through the provider: " + card.text());

            // nothing new upstream: the same page answers 304, and nothing is proposed twice
            assertTrue(server.app().poller().poll(source));
            assertEquals(1, count(server, "SELECT count(*) FROM signal WHERE source_id = ?", source),
                    () -> server.app().signals().recent(source, 5) + " / " + server.app().signals().sources().find(source));

            assertEquals(303, admin.post("/admin/segnalazioni/" + signals.get(0).id() + "/pubblica", Map.of()).status());
            up.domain().noticeDesk().addUpdate(Actor.commandLine(), upstreamNotice, new UpdateInput("Risolto.", List.of(), true));
            assertTrue(server.app().poller().poll(source));
            List<Signal> recovery = open(source);
            assertEquals(1, recovery.size());
            assertTrue(recovery.get(0).recovery());
            assertEquals(303, admin.post("/admin/segnalazioni/" + recovery.get(0).id() + "/pubblica", Map.of()).status());
            assertEquals(0, count(server, "SELECT count(*) FROM signal WHERE source_id = ? AND outcome = 'open'", source));
            assertEquals(1, count(server, "SELECT count(DISTINCT n.id) FROM notice n JOIN signal s ON s.notice_id = n.id "
                    + "WHERE s.source_id = ? AND n.closed_at IS NOT NULL", source));
        }
    }

    static List<Signal> open(long source) {
        return server.app().signals().open().stream().filter(s -> s.sourceId() == source).toList();
    }
}
