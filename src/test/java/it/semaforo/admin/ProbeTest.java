package it.semaforo.admin;

import it.semaforo.admin.AdminClient.Page;
import it.semaforo.signal.Signal;
import it.semaforo.testing.HtmlChecker;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import it.semaforo.testing.Upstream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static it.semaforo.admin.AdminTesting.PASSWORD;
import static it.semaforo.admin.AdminTesting.count;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Probes of the comune's own online services against a loopback server that starts failing and
 * recovers: three failures in a row make a signal, three successes a recovery; every
 * measurement is kept (90 days) and drawn for clerks, and for residents only when turned on.
 */
class ProbeTest {
    static final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T08:00:00Z"));
    static final Upstream portal = Upstream.start();
    static final AtomicInteger status = new AtomicInteger(200);
    @RegisterExtension
    static final TestServer server = TestServer.demo(clock, AdminTesting.settings("signals.allow.private", "true", "signals.enabled", "false"));
    static AdminClient admin;

    @BeforeAll
    static void start() {
        AdminTesting.user(server, "giulia.verdi", Role.ADMINISTRATOR);
        admin = new AdminClient(server);
        assertEquals(303, admin.login("giulia.verdi", PASSWORD).status());
        portal.handle("/portale", exchange -> Upstream.send(exchange, status.get(), "text/html",
                status.get() == 200 ? "<h1>Benvenuto nel portale dei servizi</h1>" : "<h1>Errore</h1>"));
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    static boolean measure(long probe) {
        clock.advance(Duration.ofMinutes(1));
        return server.app().poller().poll(probe);
    }

    static List<Signal> open(long source) {
        return server.app().signals().open().stream().filter(s -> s.sourceId() == source).toList();
    }

    @Test
    void threeFailuresMakeASignalAndThreeSuccessesARecovery() {
        var certificates = server.app().services().load().service("certificati-online").orElseThrow();
        Page created = admin.post("/admin/segnalazioni/fonti", Map.of("kind", "probe", "name", "Portale certificati",
                "url", portal.url("/portale"), "target", "s" + certificates.id(), "selector", "Benvenuto", "state", "suspended",
                "interval", "60", "timeout", "3", "threshold", "3", "public", "1"));
        assertEquals(303, created.status(), created.body());
        long probe = server.app().signals().sources().list().stream().filter(s -> s.name().equals("Portale certificati"))
                .findFirst().orElseThrow().id();

        assertTrue(measure(probe));
        assertTrue(measure(probe));
        status.set(503);
        assertFalse(measure(probe));
        assertFalse(measure(probe));
        assertTrue(open(probe).isEmpty(), "two failures are not yet a signal");
        assertFalse(measure(probe));
        List<Signal> down = open(probe);
        assertEquals(1, down.size());
        assertEquals("Portale certificati non risponde come atteso da 3 controlli di seguito", down.get(0).title());
        assertEquals("atteso HTTP 200, ricevuto 503", down.get(0).text());
        assertFalse(measure(probe));
        assertEquals(1, count(server, "SELECT count(*) FROM signal WHERE source_id = ?", probe), "one signal while it stays down");

        // the clerks' chart: every measurement, failures as such
        Page detail = admin.get("/admin/segnalazioni/fonti/" + probe);
        assertTrue(HtmlChecker.errors(detail.body()).isEmpty(), HtmlChecker.errors(detail.body()).toString());
        assertTrue(detail.body().contains("6 misure, 4 fallite"), detail.body());
        assertEquals(4, detail.doc().select("svg.probe-chart rect.probe-failed").size());
        assertEquals(2, detail.doc().select("svg.probe-chart rect.probe-ok").size());

        assertEquals(303, admin.post("/admin/segnalazioni/" + down.get(0).id() + "/pubblica", Map.of()).status());
        Document page = Jsoup.parse(server.get("/servizi/certificati-online").body());
        assertTrue(page.text().contains("Sospeso"), "the declared state, from the avviso the clerk published");
        assertTrue(page.text().contains("Misure automatiche"), "public, as the administrator chose, and labelled");
        assertNotNull(page.selectFirst("[data-element=automatic-measurements]"));
        assertNotNull(page.selectFirst("svg.probe-chart"));

        status.set(200);
        assertTrue(measure(probe));
        assertTrue(measure(probe));
        assertTrue(open(probe).isEmpty());
        assertTrue(measure(probe));
        List<Signal> up = open(probe);
        assertEquals(1, up.size());
        assertTrue(up.get(0).recovery());
        assertEquals(303, admin.post("/admin/segnalazioni/" + up.get(0).id() + "/pubblica", Map.of()).status());
        long notice = down.get(0).id();
        Long published = server.app().signals().find(notice).orElseThrow().noticeId();
        assertNotNull(server.app().notices().find(published).orElseThrow().closedAt(), "the recovery closed the avviso");
        assertFalse(Jsoup.parse(server.get("/servizi/certificati-online").body()).select(".notice-card").text()
                .contains("Portale certificati non risponde"), "no longer in force on the public page");
    }

    @Test
    void measurementsAreKeptNinetyDaysAndPrivateUnlessTurnedOn() {
        var albo = server.app().services().load().service("albo-pretorio").orElseThrow();
        Page created = admin.post("/admin/segnalazioni/fonti", Map.of("kind", "probe", "name", "Albo online",
                "url", portal.url("/portale"), "target", "s" + albo.id(), "state", "limited"));
        assertEquals(303, created.status(), created.body());
        long probe = server.app().signals().sources().list().stream().filter(s -> s.name().equals("Albo online"))
                .findFirst().orElseThrow().id();
        status.set(200);
        assertTrue(measure(probe));
        assertNull(Jsoup.parse(server.get("/servizi/albo-pretorio").body()).selectFirst("[data-element=automatic-measurements]"),
                "measurements are not public unless turned on");
        server.app().database().write(c -> {
            try (var ps = c.prepareStatement("INSERT INTO probe_result(source_id, at, ok, status, latency_ms) VALUES (?, ?, 1, 200, 5)")) {
                ps.setLong(1, probe);
                ps.setLong(2, clock.instant().minus(Duration.ofDays(91)).toEpochMilli());
                ps.executeUpdate();
            }
            return null;
        });
        assertEquals(2, count(server, "SELECT count(*) FROM probe_result WHERE source_id = ?", probe));
        assertTrue(server.app().signals().sources().purge(clock.instant()) >= 1);
        assertEquals(1, count(server, "SELECT count(*) FROM probe_result WHERE source_id = ?", probe));
    }
}
