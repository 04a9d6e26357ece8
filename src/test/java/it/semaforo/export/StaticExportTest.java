package it.semaforo.export;

import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The export, served by a plain static file server, is the whole site: every link resolves. */
class StaticExportTest {
    static TestServer app;
    static Server files;
    static StaticExport.Result result;
    @TempDir
    static Path dir;

    @BeforeAll
    static void exportAndServe() throws Exception {
        app = TestServer.start(new MutableClock(Instant.parse("2026-11-24T10:00:00Z")), true, Map.of());
        result = new StaticExport(app.url(""), "https://stato.comune.example.it").export(dir.resolve("site"), app.app.publicAddresses());
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
        app.close();
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
        for (String file : List.of("feed.atom", "feed.rss", "servizi/anagrafe/feed.atom", "api/v2/summary.json",
                "api/v2/scheduled-maintenances/upcoming.json", "api/openapi.json", "embed/badge.svg",
                "embed/badge/anagrafe.svg", "embed/banner.js", "embed/banner/index.html")) {
            assertTrue(Files.isRegularFile(dir.resolve("site").resolve(file)), file);
        }
    }

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
            if (!r.headers().firstValue("Content-Type").orElse("").startsWith("text/html")) continue;
            pages++;
            Document doc = Jsoup.parse(r.body(), staticUrl(path));
            for (var el : doc.select("[href^=/], [src^=/]")) {
                String link = el.hasAttr("href") ? el.attr("href") : el.attr("src");
                if (link.startsWith("//")) continue;
                link = link.replaceAll("#.*", "");
                if (link.contains("?")) continue;   // a query addresses the same file
                if (seen.add(link)) todo.add(link);
            }
        }
        assertTrue(pages >= 20, "pages crawled: " + pages);
    }

    @Test
    void theStaticCopyHasTheVeryBytesOfTheServer() throws Exception {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        String css = Jsoup.parse(app.get("/").body()).selectFirst("link[rel=stylesheet][href*=semaforo.css]").attr("href");
        for (String path : List.of("/", "/servizi/stato-civile", "/avvisi", css, "/feed.atom", "/api/v2/summary.json")) {
            byte[] live = app.getBytes(path).body();
            byte[] copy = http.send(HttpRequest.newBuilder(URI.create(staticUrl(path))).build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body();
            assertArrayEquals(live, copy, path);
        }
    }
}
