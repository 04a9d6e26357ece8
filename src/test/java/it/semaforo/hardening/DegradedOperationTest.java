package it.semaforo.hardening;

import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faults made for real on the running server's SQLite file: a full disk for writes (PRAGMA
 * max_page_count), then the file replaced by one that is not a database (and the pool's
 * connections dropped, as after any reconnect). Public pages keep their last good copy marked
 * with its time, /health says 503, clerks get an Italian 503, nothing is half-written, and
 * everything comes back by itself when the file does.
 */
class DegradedOperationTest {
    static final String PASSWORD = "una frase lunga per entrare";
    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    @RegisterExtension
    static final TestServer server = TestServer.demo(new MutableClock(NOW),
            Map.of("admin.password.bcrypt.cost", "4", "base.url", "http://127.0.0.1"));
    static Clerk clerk;

    @BeforeAll
    static void start() throws Exception {
        server.app().admin().users().createFirstAdministrator("ufficio.stampa", PASSWORD);
        clerk = new Clerk(server.url("")).login("ufficio.stampa", PASSWORD);
    }

    static long notices() {
        return server.app().database().read(c -> {
            try (var st = c.createStatement(); var rs = st.executeQuery("SELECT count(*) FROM notice")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    static Map<String, String> avviso(String title, String body) {
        return Map.of("title", title, "kind", "informazione", "summary", "In breve.", "body", body, "publish", "now");
    }

    @Test
    void aFullDiskRefusesTheWriteCleanlyAndTheNextOneWorks() throws Exception {
        long pages = server.app().database().read(c -> {
            try (var st = c.createStatement(); var rs = st.executeQuery("PRAGMA page_count")) {
                rs.next();
                return rs.getLong(1);
            }
        });
        long before = notices();
        server.app().database().write(c -> {
            try (var st = c.createStatement()) {
                st.execute("PRAGMA max_page_count = " + pages);   // no page more: the disk is full
            }
            return null;
        });
        try {
            Clerk.Answer full = clerk.post("/admin/avvisi", avviso("Disco pieno", "x".repeat(45_000)));
            assertEquals(503, full.status(), full.body());
            assertTrue(Jsoup.parse(full.body()).text().contains("Il database non risponde in questo momento: nessuna modifica è stata salvata"),
                    full.body());
            assertEquals(before, notices(), "nothing half-written");
            assertEquals(200, server.get("/").statusCode(), "residents still read the pages");
        } finally {
            server.app().database().write(c -> {
                try (var st = c.createStatement()) {
                    st.execute("PRAGMA max_page_count = 1073741823");
                }
                return null;
            });
        }
        assertEquals(303, clerk.post("/admin/avvisi", avviso("Spazio tornato", "x".repeat(45_000))).status());
        assertEquals(before + 1, notices());
    }

    @Test
    void anUnreadableDatabaseServesTheLastGoodPagesMarkedAndRecoversByItself() throws Exception {
        HttpResponse<String> home = server.get("/");
        HttpResponse<String> status = server.get("/api/v2/status.json");
        HttpResponse<String> english = server.get("/en/avvisi");
        assertEquals(200, home.statusCode());
        assertFalse(home.body().contains("stale-notice"));
        assertEquals(200, server.get("/health").statusCode());

        Path file = server.dataDir().resolve("semaforo.db");
        Path away = server.dataDir().resolve("semaforo.db.away");
        // everything in the main file first: a WAL left beside the stand-in would be read through it
        server.app().database().read(c -> {
            try (var st = c.createStatement(); var rs = st.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                rs.next();
                assertEquals(0, rs.getInt(1), "checkpoint not blocked");
                return null;
            }
        });
        Files.move(file, away);
        Files.write(file, "questo file non è un database\n".repeat(300).getBytes(StandardCharsets.UTF_8));
        server.app().database().dropConnections();
        try {
            HttpResponse<String> health = server.get("/health");
            assertEquals(503, health.statusCode(), health.body());
            assertTrue(health.body().startsWith("{\"status\":\"unavailable\",\"database\":\"error\","), health.body());

            for (int i = 0; i < 2; i++) {   // the first answer after the failure, and one from the fast path's side
                HttpResponse<String> stale = server.get("/");
                assertEquals(200, stale.statusCode());
                var doc = Jsoup.parse(stale.body());
                assertEquals("Informazioni aggiornate al 24 novembre 2026, 11:00: in questo momento il sistema non riesce "
                        + "a leggere i dati più recenti. La pagina si aggiornerà da sola appena possibile.",
                        doc.selectFirst("main .stale-notice").text());
                assertEquals(Jsoup.parse(home.body()).select("main .service-line").text(), doc.select("main .service-line").text(),
                        "the states as they were last known");
                assertEquals("no-cache", stale.headers().firstValue("Cache-Control").orElse(""));
            }
            assertTrue(Jsoup.parse(server.get("/en/avvisi").body()).selectFirst(".stale-notice").text()
                    .startsWith("Information as of 24 November 2026"));
            assertEquals(status.body(), server.get("/api/v2/status.json").body(), "the API's last good answer");

            HttpResponse<String> never = server.get("/avvisi?q=mai-cercato");
            assertEquals(503, never.statusCode(), "a page never rendered has no copy");
            assertEquals("Servizio momentaneamente non disponibile", Jsoup.parse(never.body()).selectFirst("h1").text());

            Clerk.Answer desk = clerk.get("/admin");
            assertEquals(503, desk.status());
            assertTrue(desk.body().contains("Il database non risponde in questo momento"), desk.body());
        } finally {
            Files.delete(file);
            Files.move(away, file, StandardCopyOption.ATOMIC_MOVE);
        }
        // nobody touches the pool: the next connection finds the file
        awaitTrue(() -> server.get("/health").statusCode() == 200, "/health is 200 again");
        awaitTrue(() -> !server.get("/").body().contains("stale-notice"), "the home page is fresh again");
        assertEquals(english.body(), server.get("/en/avvisi").body());
        assertEquals(303, clerk.post("/admin/avvisi", avviso("Di nuovo in linea", "Tutto torna.")).status());
    }

    static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError(what + " within 20 s");
            Thread.sleep(100);
        }
    }
}
