package it.semaforo.admin;

import it.semaforo.admin.AdminClient.Page;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import static it.semaforo.admin.AdminTesting.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An avviso's image with its alternative text, over real HTTP: uploaded through the clerks' form
 * (the text is required, a PDF is refused), shown on the page, in the feeds and in the link
 * preview, and removed like any attachment.
 */
class NoticeImageTest {
    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    static final String BASE = "http://127.0.0.1";   // AdminTesting.settings()
    static final String ALT = "Mappa del centro con la zona a traffico limitato evidenziata in rosso";
    static final byte[] PDF = "%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
    @RegisterExtension
    static final TestServer server = TestServer.demo(new MutableClock(NOW), AdminTesting.settings());

    @BeforeAll
    static void users() {
        AdminTesting.user(server, "mario.rossi", Role.EDITOR);
    }

    static byte[] png() {
        BufferedImage image = new BufferedImage(32, 18, BufferedImage.TYPE_INT_RGB);
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void anImageNeedsItsAlternativeTextIsShownEverywhereAndIsRemovedLikeAnAttachment() {
        AdminClient mario = new AdminClient(server);
        mario.login("mario.rossi", PASSWORD);
        Page created = mario.post("/admin/avvisi", Map.of("title", "Nuova zona a traffico limitato", "kind", "informazione",
                "summary", "Dal 1° dicembre il centro è chiuso al traffico.", "body", "", "publish", "now", "action", "draft"));
        long id = Long.parseLong(created.location().replaceAll("\\D+", ""));
        String images = "/admin/avvisi/" + id + "/allegati";

        // the form: a file and the alternative text, which is required
        Document form = mario.get("/admin/avvisi/" + id).doc();
        assertTrue(form.selectFirst("#f-alt").hasAttr("required"));
        Page noAlt = mario.upload(images, Map.of("image", "1", "alt", "  "), "ztl.png", "image/png", png());
        assertEquals(422, noAlt.status());
        assertTrue(noAlt.fieldError("alt").startsWith("Scrivi il testo alternativo"), noAlt.fieldError("alt"));
        Page pdf = mario.upload(images, Map.of("image", "1", "alt", ALT), "ztl.pdf", "application/pdf", PDF);
        assertEquals(415, pdf.status());
        assertTrue(pdf.doc().getElementById("f-image-file-error").text().contains("PNG, JPEG, WebP o GIF"));
        assertEquals(0, server.app().notices().find(id).orElseThrow().attachments().size(), "nothing written when refused");

        Page added = mario.upload(images, Map.of("image", "1", "alt", ALT), "ztl.png", "image/png", png());
        assertEquals(303, added.status(), added.body());
        assertEquals(303, mario.post("/admin/avvisi/" + id + "/pubblica", Map.of()).status());

        var notice = server.app().notices().find(id).orElseThrow();
        String imagePath = notice.image().orElseThrow().path();
        Document page = Jsoup.parse(server.get(notice.path()).body());
        assertEquals(ALT, page.selectFirst(".notice-image img").attr("alt"));
        assertEquals(imagePath, page.selectFirst(".notice-image img").attr("src"));
        assertTrue(page.select(".attachments").isEmpty(), "the image is shown, not listed as a download");
        assertEquals(BASE + imagePath, page.select("meta[property=og:image]").attr("content"));
        assertEquals(ALT, page.select("meta[property=og:image:alt]").attr("content"));
        assertEquals("summary_large_image", page.select("meta[name=twitter:card]").attr("content"));
        HttpResponse<byte[]> file = server.getBytes(imagePath);
        assertEquals(200, file.statusCode());
        assertEquals("image/png", file.headers().firstValue("Content-Type").orElse(""));
        String atom = server.get("/feed.atom").body();
        assertTrue(atom.contains(BASE + imagePath) && atom.contains(ALT), "the feed entry shows it with its text");
        assertTrue(server.get("/feed.rss").body().contains(BASE + imagePath));

        // removed like an attachment: off the page, the feeds and the preview; its address says so
        long attachmentId = notice.image().orElseThrow().id();
        assertEquals(303, mario.post(images + "/" + attachmentId + "/rimuovi", Map.of()).status());
        Document after = Jsoup.parse(server.get(notice.path()).body());
        assertTrue(after.select(".notice-image").isEmpty());
        assertTrue(after.select("meta[property=og:image]").attr("content").startsWith(BASE + "/assets/"), "the emblem again");
        assertFalse(server.get("/feed.atom").body().contains(imagePath));
        assertEquals(410, server.getBytes(imagePath).statusCode());
    }
}
