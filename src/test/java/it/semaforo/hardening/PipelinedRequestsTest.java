package it.semaforo.hardening;

import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18's race: a request refused with a 4xx (a broken multipart body above all) followed, on
 * the same connection and in the same write, by a request for another address. The second
 * request used to reuse Jetty's per-connection servlet objects while the first one's thread was
 * still unwinding through them: now and then a 500, a 499 or no answer, and at times a thread
 * looping for ever and logging megabytes a second. Here the pairs go out thousands of times
 * from several connections at once: every first answer is its 4xx, every second one its 200
 * with its body, no connection hangs, and afterwards the server's threads are idle and its log
 * has grown by a bounded amount.
 */
class PipelinedRequestsTest {
    static final int CONNECTIONS = 8;
    static final int PAIRS = Integer.getInteger("semaforo.pipelined.pairs", 2400);
    static final String PASSWORD = "una frase lunga per entrare";
    @RegisterExtension
    static final TestServer server = TestServer.demo(new MutableClock(Instant.now()),
            Map.of("admin.password.bcrypt.cost", "4", "base.url", "http://127.0.0.1",
                    "api.write.max.requests.per.minute", "100000"));
    static Clerk clerk;
    static String session;
    static long noticeId;

    @BeforeAll
    static void signIn() throws Exception {
        server.app().admin().users().createFirstAdministrator("ufficio.stampa", PASSWORD);
        clerk = new Clerk(server.url("")).login("ufficio.stampa", PASSWORD);
        session = "semaforo_sessione=" + clerk.cookies.get("semaforo_sessione");
        noticeId = server.app().notices().publicNotices(Instant.now()).get(0).id();
        // the fast path answers hits only: fill the cache for the addresses asked second
        for (Second s : seconds()) {
            if (!s.request().contains("Cookie:")) server.get(s.request().split(" ")[1]);
        }
    }

    /** A refused request, complete on the wire (so the next one on the connection is well framed), and its status. */
    record First(String name, String request, int status, boolean mayClose) {
        First(String name, String request, int status) {
            this(name, request, status, false);
        }
    }

    /** What is asked second, and a piece of its body. */
    record Second(String request, String expected) {
    }

    static String multipart(String path, String cookie, String body) {
        return "POST " + path + " HTTP/1.1\r\nHost: x\r\n" + (cookie == null ? "" : "Cookie: " + cookie + "\r\n")
                + "Content-Type: multipart/form-data; boundary=x\r\nContent-Length: " + body.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1).length
                + "\r\n\r\n" + body;
    }

    static List<First> firsts() {
        String truncated = "--x\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nx";
        StringBuilder parts = new StringBuilder();
        for (int i = 0; i < 5000; i++) parts.append("--x\r\nContent-Disposition: form-data; name=\"f").append(i).append("\"\r\n\r\nx\r\n");
        parts.append("--x--\r\n");
        String nul = "--x\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + clerk.csrf + "\r\n--x\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"a\u0000b.pdf\"\r\nContent-Type: application/pdf\r\n\r\n"
                + "%PDF-1.4 x\r\n--x--\r\n";
        return List.of(
                // the issue's own pair, byte for byte
                new First("truncated multipart login", multipart("/admin/login", null, truncated), 400),
                new First("truncated multipart avviso, signed in", multipart("/admin/avvisi", session, truncated), 400),
                new First("5,000 parts", multipart("/admin/login", null, parts.toString()), 400, true),
                new First("filename with NUL", multipart("/admin/avvisi/" + noticeId + "/allegati", session, nul), 400),
                new First("boundary never closed", multipart("/admin/login", null, "--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n"), 400),
                new First("no boundary", "POST /admin/login HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data\r\nContent-Length: 3\r\n\r\nabc", 400),
                new First("write API, not JSON", "POST /api/semaforo/v1/notices.json HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer x\r\n"
                        + "Content-Type: application/json\r\nContent-Length: 3\r\n\r\n{{{", 401),
                new First("not found", "GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n", 404),
                new First("bad archive year", "GET /avvisi?anno=abc HTTP/1.1\r\nHost: x\r\n\r\n", 400));
    }

    static List<Second> seconds() {
        return List.of(
                new Second("GET /health HTTP/1.1\r\nHost: x\r\n\r\n", "\"database\":\"ok\""),
                new Second("GET / HTTP/1.1\r\nHost: x\r\n\r\n", "</html>"),
                new Second("GET /feed.atom HTTP/1.1\r\nHost: x\r\n\r\n", "</feed>"),
                new Second("GET /api/v2/summary.json HTTP/1.1\r\nHost: x\r\n\r\n", "\"components\""),
                new Second("GET /servizi/anagrafe HTTP/1.1\r\nHost: x\r\n\r\n", "</html>"),
                new Second("GET /admin/avvisi HTTP/1.1\r\nHost: x\r\nCookie: " + session + "\r\n\r\n", "</html>"));
    }

    @Test
    void everyPipelinedPairIsAnsweredInFullAndNothingRunsOn() throws Exception {
        List<First> firsts = firsts();
        List<Second> seconds = seconds();
        Map<String, Integer> failures = new ConcurrentHashMap<>();
        List<String> examples = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger done = new AtomicInteger();
        long t0 = System.nanoTime();
        try (LogCapture log = LogCapture.start()) {
            ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS);
            List<Future<?>> runs = new ArrayList<>();
            for (int c = 0; c < CONNECTIONS; c++) {
                int connection = c;
                runs.add(pool.submit(() -> {
                    for (int i = connection; i < PAIRS; i += CONNECTIONS) {
                        First first = firsts.get(i % firsts.size());
                        Second second = seconds.get((i / firsts.size()) % seconds.size());
                        String outcome = pair(first, second);
                        if (outcome != null) {
                            failures.merge(outcome, 1, Integer::sum);
                            if (examples.size() < 10) examples.add(first.name() + " then " + second.request().split("\r\n")[0] + ": " + outcome);
                        }
                        done.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> run : runs) run.get();
            pool.shutdown();
            long idleCpu = LogCapture.awaitIdle(5000);
            System.out.printf("PipelinedRequestsTest: %d pipelined pairs over %d connections at once in %d ms; "
                            + "server threads' CPU in the second after: %d ms; log grew %d bytes%n", done.get(), CONNECTIONS,
                    (System.nanoTime() - t0) / 1_000_000, idleCpu, log.bytes());
            assertEquals(Map.of(), failures, "failed pairs, e.g. " + examples);
            assertTrue(idleCpu < 50, "the server's threads still burn " + idleCpu + " ms of CPU a second with no client");
            assertTrue(log.bytes() < 16 * 1024, "the log grew " + log.bytes() + " bytes:\n" + tail(log.text()));
            assertEquals(0, log.stackTraceLines(), tail(log.text()));
        }
        // and the server still answers as usual
        assertEquals(200, server.get("/health").statusCode());
    }

    /** null when both answers are right; else what went wrong. */
    static String pair(First first, Second second) {
        try (RawHttp http = new RawHttp(server.app().port(), 10_000)) {
            http.send(first.request() + second.request());
            RawHttp.Answer a = http.read();
            if (a.status() != first.status()) return "first answered " + a.status();
            if (a.closes()) {
                // a body refused before its end (5,000 parts): its rest cannot be told from the next
                // request, so the server closes the connection, and says so; a client sends again
                if (!first.mayClose()) return "first closed the connection";
                return http.closedByServer() ? null : "said it closes, and left the connection open";
            }
            RawHttp.Answer b = http.read();
            if (b.status() != 200) return "second answered " + b.status();
            if (!b.body().contains(second.expected())) return "second's body lacks " + second.expected();
            return null;
        } catch (RawHttp.Hanging e) {
            return "hanging: " + e.getMessage();
        } catch (Exception e) {
            return e.toString();
        }
    }

    static String tail(String text) {
        return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
    }
}
