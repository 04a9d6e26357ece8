package it.semaforo.cache;

import it.semaforo.notice.NoticeRepository.NewNotice;
import it.semaforo.notice.NoticeKind;
import it.semaforo.notice.NoticeStatus;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.Scratch;
import it.semaforo.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The example nginx configuration of config/, as shipped (only its addresses and paths
 * changed), in front of the real server: it carries the reads, keeps the clerks' area out of
 * its cache, and goes on serving the last copy after the server died and the copy's max-age
 * passed (stale-if-error). Needs nginx (Debian package nginx; .ci/run installs it).
 */
@Execution(ExecutionMode.CONCURRENT)   // each test has its own server, nginx, ports and directory: the 31 s wait overlaps the other
class ReverseProxyTest {
    private static final Path NGINX = Path.of("/usr/sbin/nginx");
    /** Semaforo's max-age (ResponseCache.CACHE_CONTROL), and a second more. */
    private static final Duration PAST_MAX_AGE = Duration.ofSeconds(31);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void nginxCarriesTheReadsAndServesTheLastCopyWhenTheServerIsGone() throws Exception {
        assumeTrue(Files.isExecutable(NGINX), "needs nginx (apt package nginx)");
        assertTrue(ResponseCache.CACHE_CONTROL.contains("max-age=30,"), "the wait below follows the max-age");
        Path dir = Files.createTempDirectory("semaforo-nginx");
        // nginx's workers run as nobody when the tests run as root: they must reach their cache
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        int port = Scratch.freePort();
        Process nginx = null;
        try (TestServer server = TestServer.start(new MutableClock(Instant.now()), true, Map.of())) {
            nginx = startNginx(dir, port, server.app().port());
            String base = "http://127.0.0.1:" + port;
            String direct = server.get("/servizi/anagrafe").body();

            HttpResponse<String> first = get(base + "/servizi/anagrafe");
            assertEquals(200, first.statusCode());
            assertEquals("MISS", first.headers().firstValue("X-Cache-Status").orElse(""));
            HttpResponse<String> second = get(base + "/servizi/anagrafe");
            assertEquals("HIT", second.headers().firstValue("X-Cache-Status").orElse(""), "the second reader never reaches Semaforo");
            assertEquals(direct, second.body());
            assertTrue(second.headers().firstValue("ETag").isPresent());

            HttpResponse<String> login = get(base + "/admin/login");
            assertEquals(200, login.statusCode());
            assertFalse(login.headers().firstValue("X-Cache-Status").filter(s -> s.equals("HIT")).isPresent());
            assertFalse(get(base + "/admin/login").headers().firstValue("X-Cache-Status").filter(s -> s.equals("HIT")).isPresent(),
                    "the clerks' area is never served from nginx's cache");

            server.close();   // the server dies
            assertEquals(404, get(base + "/").statusCode(), "what was never cached, with no mirror here, cannot be served");
            Thread.sleep(PAST_MAX_AGE.toMillis());
            HttpResponse<String> stale = get(base + "/servizi/anagrafe");
            assertEquals(200, stale.statusCode(), "past its max-age, with the server gone, the last copy is still served");
            assertEquals("STALE", stale.headers().firstValue("X-Cache-Status").orElse(""));
            assertEquals(direct, stale.body());
        } finally {
            if (nginx != null) {
                nginx.destroy();
                nginx.waitFor();
            }
            Scratch.delete(dir);
        }
    }

    /**
     * With the mirror configured (mirror.dir), nginx answers from the static copy when Semaforo
     * fails (a 503: its database unreadable, for a page it never rendered) and when it is down,
     * in the copy's content types, with its dated banner; a page nginx has cached is still
     * served from its cache first; a withdrawn avviso answers 410 with its trace page from the copy too.
     */
    @Test
    void nginxFallsBackToTheMirrorWhenTheServerFailsOrIsDown() throws Exception {
        assumeTrue(Files.isExecutable(NGINX), "needs nginx (apt package nginx)");
        Path dir = Files.createTempDirectory("semaforo-nginx");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path mirror = dir.resolve("mirror");
        int port = Scratch.freePort();
        Process nginx = null;
        Instant now = Instant.parse("2026-11-24T10:00:00Z");
        try (TestServer server = TestServer.start(new MutableClock(now), true, Map.of("mirror.dir", mirror.toString()))) {
            // a withdrawn avviso: the server answers its address with the 410 trace page, and so must the copy
            long id = server.app().notices().create(new NewNotice(NoticeKind.INFORMATION, NoticeStatus.PUBLISHED,
                    "Pubblicato per errore", "", "", "it", now.minus(Duration.ofHours(1)), null, null, null, "test", List.of()));
            server.app().notices().withdraw(id);
            String withdrawn = server.app().notices().find(id).orElseThrow().path();
            for (int i = 0; i < 1200 && !(Files.exists(mirror.resolve("manifest.json"))
                    && server.app().mirror().orElseThrow().status().stream().allMatch(s -> s.state().equals("ok"))); i++) {
                Thread.sleep(50);
            }
            assertTrue(Files.exists(mirror.resolve("manifest.json")), "the mirror is written");
            nginx = startNginx(dir, port, server.app().port());
            String base = "http://127.0.0.1:" + port;
            HttpResponse<String> live = get(base + "/servizi/anagrafe");
            assertEquals(200, live.statusCode());
            assertFalse(live.body().contains("Copia statica"), "live, Semaforo answers");
            assertFalse(live.headers().firstValue("X-Semaforo-Copy").isPresent());

            // Semaforo answers 503: its database unreadable, a search it never answered has no last good copy
            Path file = server.dataDir().resolve("semaforo.db");
            Path away = server.dataDir().resolve("semaforo.db.away");
            server.app().database().read(c -> {
                try (var st = c.createStatement(); var rs = st.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                    return rs.next();
                }
            });
            Files.move(file, away);
            Files.write(file, "questo file non è un database\n".repeat(300).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            server.app().database().dropConnections();
            try {
                assertEquals(503, server.get("/avvisi?q=mai-cercato").statusCode());
                HttpResponse<String> copy = get(base + "/avvisi?q=mai-cercato");
                assertEquals(200, copy.statusCode(), copy.body());
                assertEquals("static", copy.headers().firstValue("X-Semaforo-Copy").orElse(""));
                assertTrue(copy.body().contains("Copia statica aggiornata al"), "the copy's dated banner");
                assertTrue(copy.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
            } finally {
                Files.delete(file);
                Files.move(away, file);
            }

            server.close();   // the server dies
            HttpResponse<String> home = get(base + "/en/");
            assertEquals(200, home.statusCode());
            assertTrue(home.body().contains("Static copy updated on"), "the English page of the copy");
            HttpResponse<String> feed = get(base + "/feed.atom");
            assertEquals(200, feed.statusCode());
            assertTrue(feed.headers().firstValue("Content-Type").orElse("").startsWith("application/atom+xml"));
            assertEquals(Files.readString(mirror.resolve("feed.atom")), feed.body());
            assertEquals(200, get(base + "/avvisi/tipo/sicurezza").statusCode(), "the archive's path addresses are in the copy");
            assertEquals(404, get(base + "/non/esiste").statusCode());
            assertEquals(200, get(base + "/servizi/anagrafe").statusCode(), "cached by nginx, or else in the copy");
            for (String path : List.of(withdrawn, "/en" + withdrawn)) {
                HttpResponse<String> gone = get(base + path);
                assertEquals(410, gone.statusCode(), path + " answers from the copy as the server did");
                assertEquals("static", gone.headers().firstValue("X-Semaforo-Copy").orElse(""), path);
                assertTrue(gone.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), path);
                assertEquals(Files.readString(mirror.resolve("_gone" + path + "/index.html")), gone.body(), path + " is the copy's trace page");
            }
            HttpResponse<String> json = get(base + "/api/semaforo/v1/notices/" + id + ".json");
            assertEquals(410, json.statusCode(), "the avviso's JSON answers 410 too");
            assertTrue(json.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
            assertEquals(404, get(base + "/_gone" + withdrawn).statusCode(), "the copy's 410 files are no address of their own");
        } finally {
            if (nginx != null) {
                nginx.destroy();
                nginx.waitFor();
            }
            Scratch.delete(dir);
        }
    }

    /** config/nginx-semaforo.conf inside a minimal nginx.conf: loopback ports and temporary paths instead of the real ones. */
    private static Process startNginx(Path dir, int port, int upstream) throws IOException, InterruptedException {
        String example = Files.readString(Path.of("config/nginx-semaforo.conf"));
        String site = replaceOnce(example, "/var/cache/nginx/semaforo", dir.resolve("cache").toString());
        site = replaceOnce(site, "server 127.0.0.1:7070;", "server 127.0.0.1:" + upstream + ";");
        site = replaceOnce(site, "listen 443 ssl http2;", "listen 127.0.0.1:" + port + ";");
        site = replaceOnce(site, "root /var/lib/semaforo/mirror;", "root " + dir.resolve("mirror") + ";");
        String conf = "daemon off; worker_processes 1; pid " + dir.resolve("nginx.pid") + "; error_log " + dir.resolve("error.log") + ";\n"
                + "events { worker_connections 64; }\n"
                + "http {\n access_log off;\n"
                + List.of("client_body", "proxy", "fastcgi", "uwsgi", "scgi").stream()
                        .map(t -> " " + t + "_temp_path " + dir.resolve(t) + ";\n").reduce("", String::concat)
                + site + "\n}\n";
        Files.writeString(dir.resolve("nginx.conf"), conf);
        Process p = new ProcessBuilder(NGINX.toString(), "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
        for (int i = 0; i < 100; i++) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return p;
            } catch (IOException notYet) {
                if (!p.isAlive()) throw new IllegalStateException("nginx did not start: " + Files.readString(dir.resolve("nginx.out")));
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("nginx did not listen on " + port);
    }

    /** The example must still contain what the test replaces, or the test would check something else. */
    private static String replaceOnce(String text, String from, String to) {
        assertTrue(text.contains(from), "config/nginx-semaforo.conf no longer has " + from);
        return text.replace(from, to);
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
