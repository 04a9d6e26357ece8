package it.semaforo.hardening;

import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HTTP itself, hostile, over raw sockets (HostileInputTest's twin for what comes before the
 * routes): request smuggling shapes, HTTP/0.9 and unknown versions, oversized request lines and
 * headers, many small headers, bytes Jetty refuses in a header, ids no route reads, slow headers
 * and slow bodies. Each case asserts its status and the shape of its answer (the API's problem
 * form under /api/, the site's page elsewhere), then pipelines a health check behind it: the
 * check is answered, or the server said it closes and does close; no connection hangs. The
 * slow clients are dropped while others are served as usual, and the whole class leaves a
 * bounded log with no stack trace.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileHttpTest {
    static final String PASSWORD = "una frase lunga per entrare";
    static final String API = "/api/semaforo/v1";
    @RegisterExtension
    static final TestServer server = TestServer.demo(new MutableClock(Instant.now()),
            Map.of("admin.password.bcrypt.cost", "4", "base.url", "http://127.0.0.1",
                    "api.write.max.requests.per.minute", "100000", "http.header.timeout.seconds", "2"));
    static String token;
    static LogCapture log;

    @BeforeAll
    static void start() throws Exception {
        server.app().admin().users().createFirstAdministrator("ufficio.stampa", PASSWORD);
        Clerk clerk = new Clerk(server.url("")).login("ufficio.stampa", PASSWORD);
        Clerk.Answer a = clerk.post("/admin/token", Map.of("name", "Ostile", "scope_create", "on", "scope_update", "on", "scope_close", "on"));
        assertEquals(201, a.status(), a.body());
        token = Jsoup.parse(a.body()).getElementById("new-token").text();
        server.get("/");   // the home page in the cache: the fast path answers it
        log = LogCapture.start();
    }

    @AfterAll
    static void stop() {
        if (log != null) log.close();
    }

    /** What the answer must look like: the API's problem form, the site's page, or either (a surface Jetty cannot tell). */
    enum Shape { PROBLEM, PAGE }

    record Case(String name, String request, int status, Shape shape) {
        @Override
        public String toString() {
            return name;
        }
    }

    static String get(String target, String... headers) {
        return "GET " + target + " HTTP/1.1\r\nHost: x\r\n" + String.join("", headers) + "\r\n";
    }

    static String post(String target, String body, String... headers) {
        return "POST " + target + " HTTP/1.1\r\nHost: x\r\n" + String.join("", headers)
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    static List<Case> cases() {
        String bearer = "Authorization: Bearer " + token + "\r\n";
        String json = "Content-Type: application/json\r\n";
        StringBuilder manyHeaders = new StringBuilder();
        for (int i = 0; i < 2000; i++) manyHeaders.append("X-H").append(i).append(": a\r\n");
        String updates = API + "/notices/1/updates.json";
        List<Case> cases = new ArrayList<>(List.of(
                // answered by Javalin's routes
                new Case("404 page", get("/nowhere"), 404, Shape.PAGE),
                new Case("404 API", get(API + "/nowhere.json"), 404, Shape.PROBLEM),
                new Case("400 archive year", get("/avvisi?anno=abc"), 400, Shape.PAGE),
                new Case("400 API selection", get(API + "/notices.json?servizi=%3Cx%3E"), 400, Shape.PROBLEM),
                new Case("401 write API without token", post(API + "/notices.json", "{}", json), 401, Shape.PROBLEM),
                new Case("415 write API wrong type", post(API + "/notices.json", "x", bearer, "Content-Type: text/plain\r\n"), 415, Shape.PROBLEM),
                new Case("400 write API broken JSON", post(API + "/notices.json", "{{", bearer, json), 400, Shape.PROBLEM),
                new Case("413 write API 600 KB", post(API + "/notices.json", "x".repeat(600 * 1024), bearer, json), 413, Shape.PROBLEM),
                new Case("404 write API full-width id, encoded", post(API + "/notices/%EF%BC%91/updates.json", "{}", bearer, json), 404, Shape.PROBLEM),
                new Case("404 write API id overflow", post(API + "/notices/99999999999999999999/updates.json", "{}", bearer, json), 404, Shape.PROBLEM),
                new Case("413 clerks' form declaring 10 GB", "POST /admin/login HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=x\r\n"
                        + "Content-Length: 10000000000\r\n\r\n", 413, Shape.PAGE),
                // refused by Jetty before any route: the same shapes
                new Case("400 NUL in a header, API", post(updates, "{}", bearer, json, "X-A: a\u0000b\r\n"), 400, Shape.PROBLEM),
                new Case("400 NUL in a header, page", get("/", "X-A: a\u0000b\r\n"), 400, Shape.PAGE),
                new Case("431 10,000-character token", post(updates, "{}", "Authorization: Bearer " + "a".repeat(10_000) + "\r\n", json), 431, Shape.PROBLEM),
                new Case("431 huge header, page", get("/", "X-Big: " + "a".repeat(10_000) + "\r\n"), 431, Shape.PAGE),
                new Case("431 2,000 small headers", get("/", manyHeaders.toString()), 431, Shape.PAGE),
                new Case("400 %00 as avviso id, API", post(API + "/notices/%00/updates.json", "{}", bearer, json), 400, Shape.PROBLEM),
                new Case("400 raw full-width digit as id, API", post(API + "/notices/\u00ef\u00bc\u0091/updates.json", "{}", bearer, json), 400, Shape.PROBLEM),
                new Case("400 %00 in a page path", get("/avvisi/%00"), 400, Shape.PAGE),
                new Case("400 bad percent-encoding, API", get("/api/v2/%zz.json"), 400, Shape.PROBLEM),
                new Case("414 request line, page", get("/" + "a".repeat(70_000)), 414, Shape.PAGE),
                new Case("414 request line, API", get("/api/v2/" + "a".repeat(70_000)), 414, Shape.PROBLEM),
                new Case("400 no Host", "GET / HTTP/1.1\r\n\r\n", 400, Shape.PAGE),
                new Case("400 bad method", "G@T / HTTP/1.1\r\nHost: x\r\n\r\n", 400, Shape.PAGE),
                // request smuggling shapes: refused, and the connection closed
                new Case("400 Content-Length and Transfer-Encoding, API", "POST " + API + "/notices.json HTTP/1.1\r\nHost: x\r\n" + bearer + json
                        + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400, Shape.PROBLEM),
                new Case("400 Content-Length and Transfer-Encoding, page", "POST /admin/login HTTP/1.1\r\nHost: x\r\n"
                        + "Transfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n0\r\n\r\n", 400, Shape.PAGE),
                new Case("400 conflicting Content-Length", "POST /admin/login HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcd", 400, Shape.PAGE),
                new Case("400 duplicated Content-Length", "POST /admin/login HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nContent-Length: 4\r\n\r\nabcd", 400, Shape.PAGE),
                new Case("400 Content-Length list", "POST /admin/login HTTP/1.1\r\nHost: x\r\nContent-Length: 4, 4\r\n\r\nabcd", 400, Shape.PAGE),
                new Case("400 obsolete line folding", get("/", "X-A: a\r\n b\r\n"), 400, Shape.PAGE),
                new Case("400 folded Transfer-Encoding", "POST /admin/login HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding:\r\n chunked\r\n\r\nabcd", 400, Shape.PAGE),
                new Case("400 chunked not the last coding", "POST /admin/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n", 400, Shape.PAGE),
                // versions
                new Case("505 HTTP/0.9", "GET /\r\n\r\n", 505, Shape.PAGE),
                new Case("505 HTTP/2.5", "GET / HTTP/2.5\r\nHost: x\r\n\r\n", 505, Shape.PAGE),
                new Case("505 HTTP/1.7, API", "GET /api/v2/status.json HTTP/1.7\r\nHost: x\r\n\r\n", 505, Shape.PROBLEM)));
        return cases;
    }

    @Order(1)
    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("cases")
    void answeredInItsShapeAndTheConnectionGoesOnOrCloses(Case c) throws Exception {
        try (RawHttp http = new RawHttp(server.app().port(), 10_000)) {
            http.send(c.request() + get("/health"));
            RawHttp.Answer a = http.read();
            assertEquals(c.status(), a.status(), c + ": " + a);
            if (c.shape() == Shape.PROBLEM) {
                assertEquals("application/problem+json", a.contentType(), c + ": " + a);
                var body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(a.body());
                assertEquals(c.status(), body.get("status").asInt(), c + ": " + a);
                assertFalse(body.get("detail").asText().isBlank(), c + ": " + a);
            } else {
                assertTrue(a.contentType().startsWith("text/html"), c + ": " + a);
                assertTrue(a.body().contains("<html lang=") && !a.body().contains("Powered by Jetty") && !a.body().contains("HTTP ERROR"),
                        c + " answered Jetty's own page: " + a);
            }
            if (a.closes()) {
                assertTrue(http.closedByServer(), c + ": said it closes, and left the connection open");
            } else {
                RawHttp.Answer next = http.read();
                assertEquals(200, next.status(), c + ": the pipelined health check answered " + next);
                assertTrue(next.body().contains("\"database\":\"ok\""), next.body());
            }
        }
    }

    /**
     * Slowloris: headers a byte at a time, never finished, and bodies a byte at a time. Each is
     * dropped (header deadline 2 s here, a body below 1 KiB/s after 5 s), while a resident's
     * requests, home page and health check, keep their usual latency.
     */
    @Order(2)
    @Test
    void slowClientsAreDroppedAndOthersServedMeanwhile() throws Exception {
        int slowHeaders = 6;
        int slowBodies = 3;
        ExecutorService pool = Executors.newFixedThreadPool(slowHeaders + slowBodies);
        List<Future<Long>> dropped = new ArrayList<>();
        for (int i = 0; i < slowHeaders; i++) {
            dropped.add(pool.submit(() -> trickle("", "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: " + "a".repeat(1000), 200)));
        }
        for (int i = 0; i < slowBodies; i++) {
            // the headers at once, then the body a byte at a time
            dropped.add(pool.submit(() -> trickle("POST /admin/login HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=x\r\n"
                    + "Content-Length: 100000\r\n\r\n", "--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n" + "a".repeat(100_000), 200)));
        }
        List<Long> latencies = new ArrayList<>();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
        while (System.nanoTime() < end) {
            for (String path : List.of("/", "/health")) {
                long t0 = System.nanoTime();
                assertEquals(200, server.get(path).statusCode());
                latencies.add((System.nanoTime() - t0) / 1_000_000);
            }
            Thread.sleep(50);
        }
        List<Long> drops = new ArrayList<>();
        for (Future<Long> f : dropped) drops.add(f.get(30, TimeUnit.SECONDS));
        pool.shutdown();
        latencies.sort(null);
        long p99 = latencies.get((int) Math.ceil(latencies.size() * 0.99) - 1);
        System.out.printf("HostileHttpTest: %d slow-header and %d slow-body clients dropped after %s ms; meanwhile %d resident "
                + "requests, p50 %d ms, p99 %d ms, max %d ms%n", slowHeaders, slowBodies, drops, latencies.size(),
                latencies.get(latencies.size() / 2), p99, latencies.get(latencies.size() - 1));
        for (int i = 0; i < drops.size(); i++) {
            long limit = i < slowHeaders ? 5_000 : 10_000;
            assertTrue(drops.get(i) < limit, "slow client " + i + " kept its connection " + drops.get(i) + " ms");
        }
        // not a performance figure (bench/hostile-load.sh measures that): residents queued behind the
        // slow clients would wait their 2 s header timeout; a loaded 2-core machine answers in < 1 s
        assertTrue(p99 < 1_500, "residents waited: p99 " + p99 + " ms, as if behind the slow clients");
    }

    /**
     * Sends prefix at once, then text a byte every interval until the server closes the
     * connection (or 30 s pass); returns after how many milliseconds the server dropped it.
     */
    static long trickle(String prefix, String text, long intervalMillis) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        try (Socket s = new Socket("127.0.0.1", server.app().port())) {
            s.setSoTimeout(100);
            OutputStream out = s.getOutputStream();
            out.write(prefix.getBytes(StandardCharsets.ISO_8859_1));
            byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
            for (byte b : bytes) {
                if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(30)) break;
                try {
                    out.write(b);
                    out.flush();
                } catch (IOException closed) {
                    return (System.nanoTime() - t0) / 1_000_000;
                }
                try {
                    if (s.getInputStream().read() < 0) return (System.nanoTime() - t0) / 1_000_000;
                    // an answer (a 408, say) before the close: keep reading until the close
                } catch (java.net.SocketTimeoutException stillOpen) {
                    // nothing from the server yet
                } catch (IOException reset) {
                    return (System.nanoTime() - t0) / 1_000_000;
                }
                Thread.sleep(intervalMillis);
            }
        }
        return Long.MAX_VALUE;
    }

    /** After everything above: a bounded log, no stack trace, and the server idle. */
    @Order(3)
    @Test
    void theLogStaysBoundedAndTheServerIdle() throws Exception {
        long idle = LogCapture.awaitIdle(5000);
        System.out.printf("HostileHttpTest: the log grew %d bytes over the hostile cases; server threads' CPU after: %d ms a second%n",
                log.bytes(), idle);
        assertEquals(0, log.stackTraceLines(), log.text());
        assertTrue(log.bytes() < 16 * 1024, "the log grew " + log.bytes() + " bytes:\n" + log.text());
        assertTrue(idle < 50, "the server's threads burn " + idle + " ms a second with no client");
    }
}
