package it.semaforo.embed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.Scratch;
import it.semaforo.testing.TestServer;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The banner script in a real browser (Debian's headless Chromium), on a host page served from
 * another origin, as on a comune's website: it shows the avvisi through a cross-origin fetch,
 * and it shows nothing, without an error, when Semaforo does not answer.
 */
class EmbedBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    @RegisterExtension
    static final TestServer semaforo = TestServer.demo(new MutableClock(NOW));
    static HttpServer host;
    static Path profile;

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(Files.isExecutable(CHROMIUM), "needs Chromium (apt package chromium)");
        host = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        host.createContext("/", EmbedBrowserTest::hostPage);
        host.start();
        profile = Files.createTempDirectory("semaforo-chromium");
    }

    @AfterAll
    static void stop() throws IOException {
        if (host != null) host.stop(0);
        Scratch.delete(profile);
    }

    /**
     * The comune's page: the README's snippet between two paragraphs, then a harness that waits
     * for the banner and writes what it found (and any script error) where --dump-dom shows it.
     */
    private static void hostPage(HttpExchange ex) throws IOException {
        String query = ex.getRequestURI().getQuery();
        Map<String, String> q = query == null ? Map.of() : Stream.of(query.split("&"))
                .map(p -> p.split("=", 2)).collect(java.util.stream.Collectors.toMap(p -> p[0], p -> p.length > 1 ? p[1] : ""));
        String html = """
                <!DOCTYPE html><html lang="it"><head><meta charset="utf-8"><title>Comune</title>
                <style>body, p, a { color: #c00; font-family: serif; } section { border: 0; }</style>
                <script>window.errs = [];
                window.addEventListener('error', function (e) { errs.push(String(e.message)); });
                window.addEventListener('unhandledrejection', function (e) { errs.push(String(e.reason)); });</script>
                </head><body>
                <p id="before">Sito del Comune</p>
                <div id="semaforo-banner"></div>
                <script async src="%s" data-servizi="%s"></script>
                <p id="after">Il resto della pagina</p>
                <pre id="out"></pre>
                <script>
                var tries = 0;
                (function poll() {
                  var h = document.getElementById('semaforo-banner');
                  if (h.shadowRoot || ++tries > 60) {
                    var root = h.shadowRoot;
                    document.getElementById('out').textContent = JSON.stringify({
                      banner: root ? root.innerHTML : null,
                      textColour: root ? getComputedStyle(root.querySelector('.sf-summary')).color : null,
                      font: root ? getComputedStyle(root.querySelector('.sf-summary')).fontFamily : null,
                      errors: errs,
                      after: !!document.getElementById('after')
                    });
                    return;
                  }
                  setTimeout(poll, 50);
                })();
                </script></body></html>""".formatted(q.getOrDefault("script", ""), q.getOrDefault("servizi", ""));
        byte[] body = html.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    /** Loads the host page in headless Chromium and returns what the harness wrote. */
    private static JsonNode visit(String script, String servizi) throws Exception {
        String url = "http://127.0.0.1:" + host.getAddress().getPort() + "/?script="
                + java.net.URLEncoder.encode(script, StandardCharsets.UTF_8) + "&servizi=" + servizi;
        Process chromium = new ProcessBuilder(CHROMIUM.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=" + profile,
                "--virtual-time-budget=10000", "--dump-dom", url)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] dom = chromium.getInputStream().readAllBytes();
        assertTrue(chromium.waitFor(90, TimeUnit.SECONDS), "Chromium finished");
        Document doc = Jsoup.parse(new String(dom, StandardCharsets.UTF_8));
        String out = doc.getElementById("out") == null ? "" : doc.getElementById("out").text();
        assertTrue(out.startsWith("{"), "the harness reported: " + doc.body());
        return new ObjectMapper().readTree(out);
    }

    @Test
    void theBannerAppearsOnAnotherSiteWithTheAvvisiInForce() throws Exception {
        JsonNode seen = visit(semaforo.url("/embed/banner.js"), "");
        assertEquals("[]", seen.get("errors").toString());
        assertTrue(seen.get("after").asBoolean());
        Document banner = Jsoup.parse(seen.get("banner").asText());
        assertEquals("Avvisi del Comune di Roccaverde", banner.selectFirst("section").attr("aria-label"));
        assertEquals("it", banner.selectFirst("section").attr("lang"));
        assertEquals(List.of("Telefonate ed email false a nome del Comune: non comunicate le vostre credenziali",
                "Servizi online sospesi per l'attacco informatico al fornitore cloud",
                "Comunicazione agli interessati: violazione dei dati dei servizi scolastici"), banner.select(".sf-title").eachText());
        banner.select("a").forEach(a -> assertTrue(a.attr("href").startsWith("https://stato.comune.example.it/"), a.attr("href")));
        assertTrue(banner.selectFirst("section").hasClass("edge-suspended"), "its edge has the worst state's colour");
        assertEquals("rgb(26, 26, 26)", seen.get("textColour").asText(), "its text keeps its own colour on a red host page");
        assertTrue(seen.get("font").asText().startsWith("\"Titillium Web\""), "and its own font: " + seen.get("font"));
    }

    @Test
    void theBannerForOneServiceShowsOnlyItsAvvisiAndNothingWhenThereIsNone() throws Exception {
        JsonNode registry = visit(semaforo.url("/embed/banner.js"), "anagrafe");
        assertEquals(List.of("Servizi online sospesi per l'attacco informatico al fornitore cloud"),
                Jsoup.parse(registry.get("banner").asText()).select(".sf-title").eachText());
        JsonNode quiet = visit(semaforo.url("/embed/banner.js"), "carta-identita");
        assertTrue(quiet.get("banner").isNull(), "no avviso: the banner takes no space");
        assertEquals("[]", quiet.get("errors").toString());
    }

    @Test
    void whenSemaforoFailsOrDoesNotAnswerThePageStaysAsItIs() throws Exception {
        byte[] script = semaforo.getBytes("/embed/banner.js").body();
        // the script arrives, but its API answers 503
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        HttpServer failing = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        failing.createContext("/embed/banner.js", ex -> send(ex, 200, script));
        failing.createContext("/api/", ex -> {
            asked.incrementAndGet();
            send(ex, 503, "{}".getBytes(StandardCharsets.UTF_8));
        });
        failing.start();
        try {
            JsonNode seen = visit("http://127.0.0.1:" + failing.getAddress().getPort() + "/embed/banner.js", "");
            assertEquals(1, asked.get(), "the script ran and asked once");
            assertTrue(seen.get("banner").isNull(), "nothing shown");
            assertEquals("[]", seen.get("errors").toString(), "and no error thrown at the host page");
            assertTrue(seen.get("after").asBoolean());
        } finally {
            failing.stop(0);
        }

        // the script arrives (from a cache, say), then its origin stops answering at all
        java.util.concurrent.atomic.AtomicBoolean served = new java.util.concurrent.atomic.AtomicBoolean();
        HttpServer dying = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        dying.createContext("/embed/banner.js", ex -> {
            ex.getResponseHeaders().set("Connection", "close");
            send(ex, 200, script);
            served.set(true);
            new Thread(() -> dying.stop(0)).start();
        });
        dying.start();
        JsonNode refused = visit("http://127.0.0.1:" + dying.getAddress().getPort() + "/embed/banner.js", "");
        assertTrue(served.get());
        assertTrue(refused.get("banner").isNull());
        assertEquals("[]", refused.get("errors").toString());

        // the script itself cannot be loaded
        JsonNode unreachable = visit("http://127.0.0.1:9/embed/banner.js", "");
        assertTrue(unreachable.get("banner").isNull());
        assertTrue(unreachable.get("after").asBoolean(), "the rest of the page is there");
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", status == 200 ? "text/javascript" : "application/json");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }
}
