package it.semaforo.export;

import it.semaforo.notice.NoticeRepository.NewNotice;
import it.semaforo.notice.NoticeKind;
import it.semaforo.notice.NoticeStatus;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import it.semaforo.render.PublicAddress;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The export, served by a plain static file server, is the whole site: every link resolves
 * (so the addresses the outputs list are complete), and every file holds the bytes the
 * server answers at its address.
 */
class StaticExportTest {
    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    @RegisterExtension
    static final TestServer app = TestServer.demo(new MutableClock(NOW));
    static Server files;
    static StaticExport.Result result;
    static List<PublicAddress> addresses;
    @TempDir
    static Path dir;

    @BeforeAll
    static void exportAndServe() throws Exception {
        // a withdrawn avviso keeps its address, answering 410 with a short trace: the copy keeps it too
        long withdrawn = app.app().notices().create(new NewNotice(NoticeKind.INFORMATION, NoticeStatus.PUBLISHED,
                "Pubblicato per errore", "", "", "it", NOW.minus(Duration.ofHours(1)), null, null, null, "test", List.of()));
        app.app().notices().withdraw(withdrawn);
        addresses = app.app().publicAddresses();
        result = new StaticExport().export(dir.resolve("site"), addresses);
        files = new Server();
        ServerConnector connector = new ServerConnector(files);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        files.addConnector(connector);
        ResourceHandler handler = new ResourceHandler();
        handler.setBaseResource(ResourceFactory.of(files).newResource(dir.resolve("site")));
        handler.setWelcomeFiles(List.of("index.html"));
        handler.setDirAllowed(false);
        files.setHandler(handler);
        files.start();
    }

    @AfterAll
    static void stop() throws Exception {
        files.stop();
    }

    private String staticUrl(String path) {
        return "http://127.0.0.1:" + ((ServerConnector) files.getConnectors()[0]).getLocalPort() + path;
    }

    @Test
    void everyAddressAnswered() {
        assertTrue(result.missing().isEmpty(), "missing: " + result.missing());
        assertTrue(result.files() > 20, "files: " + result.files());
        assertTrue(Files.isRegularFile(dir.resolve("site/index.html")));
        assertTrue(Files.isRegularFile(dir.resolve("site/servizi/anagrafe/index.html")));
        for (String file : List.of("feed.atom", "feed.rss", "servizi/anagrafe/feed.atom", "avvisi/tipo/sicurezza/feed.rss", "api/v2/summary.json",
                "api/v2/scheduled-maintenances/upcoming.json", "api/openapi.json", "embed/badge.svg",
                "embed/badge/anagrafe.svg", "embed/banner.js", "embed/banner/index.html")) {
            assertTrue(Files.isRegularFile(dir.resolve("site").resolve(file)), file);
        }
    }

    /**
     * Follows every same-site link of every page, stylesheet, feed and SVG of the copy (href,
     * src and CSS url(), relative or starting with the public address): none may be missing.
     */
    @Test
    void everyLinkOfTheStaticCopyResolvesOnAPlainFileServer() throws Exception {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        Deque<String> todo = new ArrayDeque<>(List.of("/"));
        Set<String> seen = new HashSet<>(todo);
        int pages = 0;
        while (!todo.isEmpty()) {
            String path = todo.pop();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(staticUrl(path))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), "static copy of " + path);
            String type = r.headers().firstValue("Content-Type").orElse("");
            if (type.startsWith("text/html")) pages++;
            if (!type.startsWith("text/html") && !type.startsWith("text/css") && !type.contains("xml")) continue;
            for (Pattern p : new Pattern[]{LINK, CSS_URL}) {
                Matcher m = p.matcher(r.body());
                while (m.find()) {
                    String link = m.group(1).replace("&amp;", "&");
                    if (link.startsWith(BASE_URL + "/")) link = link.substring(BASE_URL.length());
                    if (!link.startsWith("/") || link.startsWith("//") || link.contains("?")) continue;   // other hosts; a query addresses the same file
                    if (seen.add(link)) todo.add(link);
                }
            }
        }
        assertTrue(pages >= 20, "pages crawled: " + pages);
        assertTrue(seen.contains("/en/avvisi") && seen.contains("/manutenzioni.ics"), "crawled: " + seen);
    }

    private static final String BASE_URL = "https://stato.comune.example.it";
    private static final Pattern LINK = Pattern.compile("(?:href|src)=\"([^\"#]*)[\"#]");
    private static final Pattern CSS_URL = Pattern.compile("url\\(\"?'?([^)\"']+)\"?'?\\)");

    /** Every exported file against what the running server answers at its address, byte for byte. */
    @Test
    void theStaticCopyHasTheVeryBytesOfTheServer() throws Exception {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        int withdrawn = 0;
        for (PublicAddress a : addresses) {
            HttpResponse<byte[]> live = app.getBytes(a.path());
            assertTrue(live.statusCode() == 200 || live.statusCode() == 410, a.path() + " answers " + live.statusCode());
            if (live.statusCode() == 410) withdrawn++;
            // a 410 is kept apart (StaticExport.GONE): a static host answers its address as missing, nginx with 410
            String at = live.statusCode() == 410 ? "/" + StaticExport.GONE.replace("/", "") + a.path() : a.path();
            HttpResponse<byte[]> served = http.send(HttpRequest.newBuilder(URI.create(staticUrl(at))).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            byte[] copy = served.body();
            if (live.statusCode() == 410) {
                assertEquals(404, http.send(HttpRequest.newBuilder(URI.create(staticUrl(a.path()))).build(),
                        HttpResponse.BodyHandlers.ofByteArray()).statusCode(), a.path() + " is no page of the copy");
            }
            assertArrayEquals(live.body(), copy, a.path());
        }
        assertEquals(result.files(), addresses.size());
        assertTrue(withdrawn > 0, "the demo has a withdrawn avviso, exported with its 410 page");
        String css = Jsoup.parse(app.get("/").body()).selectFirst("link[rel=stylesheet][href*=semaforo.css]").attr("href");
        assertTrue(addresses.stream().anyMatch(a -> a.path().equals(css)), css);
    }
}
