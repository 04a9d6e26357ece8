package it.semaforo.web;

import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import it.semaforo.render.Assets;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bootstrap Italia and our files, served by the app at addresses that change with their content. */
class AssetsTest {
    @RegisterExtension
    static final TestServer server = TestServer.demo(new MutableClock(Instant.parse("2026-11-24T10:00:00Z")));
    static Document home;

    @BeforeAll
    static void start() {
        home = Jsoup.parse(server.get("/").body());
    }

    @Test
    void pagesReferenceBootstrapItaliaAndOurCssByFingerprint() {
        List<String> css = home.select("link[rel=stylesheet]").eachAttr("href");
        assertEquals(2, css.size(), css.toString());
        assertTrue(css.get(0).matches("/assets/[0-9a-f]{16}/bootstrap-italia/css/bootstrap-italia\\.min\\.css"), css.get(0));
        assertTrue(css.get(1).matches("/assets/[0-9a-f]{16}/semaforo\\.css"), css.get(1));
        for (String href : css) {
            HttpResponse<byte[]> r = server.getBytes(href);
            assertEquals(200, r.statusCode(), href);
            assertEquals("public, max-age=31536000, immutable", r.headers().firstValue("Cache-Control").orElse(""));
            assertEquals("text/css; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
        }
        String bootstrap = new String(server.getBytes(css.get(0)).body(), StandardCharsets.UTF_8);
        assertTrue(bootstrap.contains("--bootstrap-italia-version: \"2.17"), "AgID's validator reads this variable");
    }

    @Test
    void ourCssPointsAtTheFingerprintedTitilliumFonts() {
        String css = new String(server.getBytes(home.selectFirst("link[href$=semaforo.css]").attr("href")).body(), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("url\\(\"([^\"]+)\"\\)").matcher(css);
        List<String> fonts = new ArrayList<>();
        while (m.find()) fonts.add(m.group(1));
        assertEquals(5, fonts.size(), fonts.toString());
        for (String font : fonts) {
            assertTrue(font.matches("/assets/[0-9a-f]{16}/bootstrap-italia/fonts/Titillium_Web/titillium-web-v10-latin-ext_latin-\\w+\\.woff2"), font);
            HttpResponse<byte[]> r = server.getBytes(font);
            assertEquals(200, r.statusCode(), font);
            assertEquals("font/woff2", r.headers().firstValue("Content-Type").orElse(""));
            assertEquals("wOF2", new String(r.body(), 0, 4, StandardCharsets.US_ASCII));
        }
    }

    @Test
    void theAddressChangesWithTheContentAndOnlyTheCurrentOneAnswers() {
        String css = home.selectFirst("link[href$=semaforo.css]").attr("href");
        String other = css.replaceFirst("/assets/[0-9a-f]{16}/", "/assets/0000000000000000/");
        assertEquals(404, server.getBytes(other).statusCode());
        assertEquals(404, server.getBytes("/assets/" + css.split("/")[2] + "/../semaforo.css").statusCode());
        assertEquals(404, server.getBytes(css.replace("semaforo.css", "missing.css")).statusCode());
        // the hash is of the bytes served
        HttpResponse<byte[]> r = server.getBytes(css);
        assertEquals('"' + css.split("/")[2] + '"', r.headers().firstValue("ETag").orElse(""));
        assertEquals(304, server.get(css, "If-None-Match", r.headers().firstValue("ETag").orElseThrow()).statusCode());
    }

    @Test
    void textAssetsArePrecompressed() throws IOException, InterruptedException {
        String href = home.selectFirst("link[href*=bootstrap-italia.min.css]").attr("href");
        HttpResponse<byte[]> plain = server.getBytes(href);
        HttpResponse<byte[]> zipped = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url(href)))
                .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals("gzip", zipped.headers().firstValue("Content-Encoding").orElse(""));
        assertTrue(zipped.body().length < plain.body().length / 4, "the 600 kB stylesheet travels compressed");
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped.body()))) {
            assertArrayEquals(plain.body(), in.readAllBytes());
        }
    }

    @Test
    void logoSpritesAndFaviconAreServedToo() {
        String logo = home.selectFirst("img.comune-logo").attr("src");
        assertTrue(logo.matches("/assets/[0-9a-f]{16}/logo\\.svg"), logo);
        assertEquals("image/svg+xml", server.getBytes(logo).headers().firstValue("Content-Type").orElse(""));
        assertEquals(200, server.getBytes(home.selectFirst("link[rel=icon]").attr("href")).statusCode());
        // the avviso with the PDF attachment shows Bootstrap Italia's file icon from its sprite sheet
        String notice = home.select(".notice-title a").stream().filter(a -> a.text().startsWith("Servizi online sospesi"))
                .findFirst().orElseThrow().attr("href");
        String sprites = Jsoup.parse(server.get(notice).body()).selectFirst(".attachments use").attr("href");
        assertTrue(sprites.matches("/assets/[0-9a-f]{16}/bootstrap-italia/svg/sprites\\.svg#it-[a-z-]+"), sprites);
        assertEquals(200, server.getBytes(sprites.replaceFirst("#.*", "")).statusCode());
    }

    @Test
    void theOldUnversionedAddressesStillAnswerBriefly() {
        HttpResponse<String> r = server.get("/static/semaforo.css");
        assertEquals(200, r.statusCode());
        assertEquals("public, max-age=300", r.headers().firstValue("Cache-Control").orElse(""));
        assertTrue(r.body().contains("/assets/"), "its font addresses are the fingerprinted ones");
        assertEquals(404, server.get("/static/bootstrap-italia/css/bootstrap-italia.min.css").statusCode(), "only our own files");
    }

    @Test
    void nothingComesFromAnotherHost() {
        for (String path : List.of("/", "/servizi/anagrafe", "/avvisi")) {
            Document doc = Jsoup.parse(server.get(path).body());
            List<String> refs = new ArrayList<>();
            refs.addAll(doc.select("link[rel=stylesheet], link[rel=icon]").eachAttr("href"));
            refs.addAll(doc.select("script[src], img[src]").eachAttr("src"));
            refs.addAll(doc.select("use").eachAttr("href"));
            assertFalse(refs.isEmpty());
            for (String ref : refs) assertTrue(ref.startsWith("/assets/"), path + " loads " + ref);
        }
    }

    @Test
    void aConfiguredLogoIsServedAndAnUnknownCssReferenceStopsTheStart() throws IOException {
        Path png = Files.createTempFile("stemma", ".png");
        Files.write(png, new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        try {
            Assets assets = Assets.load(Optional.of(png), Optional.empty());
            assertTrue(assets.logo().matches("/assets/[0-9a-f]{16}/logo\\.png"), assets.logo());
            assertNotEquals(Assets.load(Optional.empty(), Optional.empty()).logo(), assets.logo());
            // a PNG emblem is its own preview picture; a share image, when configured, comes first
            assertEquals(assets.logo(), assets.shareImage());
            Assets shared = Assets.load(Optional.of(png), Optional.of(png));
            assertTrue(shared.shareImage().matches("/assets/[0-9a-f]{16}/share\\.png"), shared.shareImage());
            assertTrue(Assets.load(Optional.empty(), Optional.empty()).shareImage().endsWith("/share.png"));
            assertTrue(assets.sharesAPicture() && shared.sharesAPicture() && Assets.load(Optional.empty(), Optional.empty()).sharesAPicture());
            Path svg = Files.createTempFile("stemma", ".svg");
            try {
                Files.writeString(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
                assertFalse(Assets.load(Optional.of(svg), Optional.empty()).sharesAPicture(), "an SVG emblem alone previews without a picture");
                assertTrue(Assets.load(Optional.of(svg), Optional.of(png)).sharesAPicture());
            } finally {
                Files.delete(svg);
            }
        } finally {
            Files.delete(png);
        }
        assertThrows(IllegalArgumentException.class, () -> Assets.load(Optional.empty(), Optional.empty()).url("nonexistent.css"));
    }
}
