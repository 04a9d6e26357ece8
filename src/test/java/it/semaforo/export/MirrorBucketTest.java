package it.semaforo.export;

import com.fasterxml.jackson.databind.JsonNode;
import it.semaforo.audit.Actor;
import it.semaforo.notice.Attachment;
import it.semaforo.notice.Notice;
import it.semaforo.notice.NoticeDetails;
import it.semaforo.notice.NoticeInput;
import it.semaforo.notice.NoticeKind;
import it.semaforo.render.PublicAddress;
import it.semaforo.render.Rendered;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.S3Store;
import it.semaforo.testing.TestServer;
import it.semaforo.text.JsonText;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;

import java.util.Set;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The mirror into an S3-compatible bucket, against a real S3 server (S3Proxy): every file
 * arrives with the headers the server answers with (Content-Type, Cache-Control,
 * Content-Language, gzip where it saves), holding the server's bytes; a change arrives, a
 * deleted file disappears, and a bucket that goes away for a while gets everything once back.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MirrorBucketTest {
    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    static final MutableClock clock = new MutableClock(NOW);
    static final S3Store s3 = S3Store.start();
    @RegisterExtension
    static final TestServer server = TestServer.demo(clock, s3.settings());
    static final Actor CLERK = new Actor(null, "test", "Test", "127.0.0.1");

    @AfterAll
    static void stopS3() {
        s3.close();
    }

    static Mirror mirror() {
        return server.app().mirror().orElseThrow();
    }

    static void waitSynced(String what, BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 1200; i++) {
            if (condition.getAsBoolean() && mirror().status().stream().allMatch(s -> s.state().equals("ok"))) return;
            Thread.sleep(50);
        }
        throw new AssertionError("the mirror did not get there: " + what + "; status " + mirror().status());
    }

    static String text(String key) {
        return s3.get(key).map(o -> new String(S3Store.decoded(o), StandardCharsets.UTF_8)).orElse("");
    }

    @Test
    @Order(1)
    void everyFileArrivesWithItsHeadersAndTheServersBytes() throws Exception {
        waitSynced("the first full pass", () -> s3.get(Mirror.MANIFEST).isPresent());
        int gzipped = 0;
        int pages = 0;
        for (PublicAddress a : server.app().publicAddresses()) {
            HttpResponse<byte[]> live = server.getBytes(a.path());
            String type = live.headers().firstValue("Content-Type").orElse("");
            String key = StaticExport.fileFor(a.path(), type, live.statusCode());
            ResponseBytes<GetObjectResponse> o = s3.get(key).orElseThrow(() -> new AssertionError(a.path() + " is not in the bucket as " + key));
            GetObjectResponse h = o.response();
            assertEquals(type.replace(" ", ""), h.contentType().replace(" ", ""), a.path());
            assertEquals(a.path().startsWith("/assets/") ? Mirror.IMMUTABLE : Mirror.SHORT, h.cacheControl(), a.path());
            if (type.startsWith("text/html")) {
                assertEquals(a.path().startsWith("/en/") ? "en" : a.path().startsWith("/de/") ? "de"
                        : a.path().startsWith("/ja/") ? "ja" : "it", h.contentLanguage(), a.path());
            }
            if ("gzip".equals(h.contentEncoding())) gzipped++;
            byte[] body = S3Store.decoded(o);
            String html = new String(body, StandardCharsets.UTF_8);
            if (type.startsWith("text/html") && html.contains(Rendered.STALE_MARK)) {
                pages++;
                assertTrue(html.contains(Rendered.STATIC_COPY_START), a.path() + " has its banner");
                assertEquals(new String(live.body(), StandardCharsets.UTF_8), Mirror.withoutBanner(html), a.path());
            } else {
                assertArrayEquals(live.body(), body, a.path());
            }
        }
        assertTrue(pages > 40, "pages: " + pages);
        assertTrue(gzipped > pages, "pages, feeds and JSON are stored gzipped: " + gzipped);
        assertBucketMatchesItsManifest();
    }

    @Test
    @Order(2)
    void aChangeArrivesAndADeletedFileDisappears() throws Exception {
        long id = server.app().domain().noticeDesk().createPublished(CLERK, new NoticeInput(NoticeKind.INFORMATION,
                "Biblioteca chiusa per trasloco", "", "Testo.", "it", null, null, null, null, List.of(), NoticeDetails.NONE));
        Notice n = server.app().notices().find(id).orElseThrow();
        String page = StaticExport.fileFor("/en" + n.path(), Rendered.HTML);
        waitSynced("the new avviso", () -> text(page).contains("Biblioteca chiusa per trasloco")
                && text("index.html").contains("Biblioteca chiusa per trasloco")
                && text("feed.atom").contains("Biblioteca chiusa per trasloco"));
        GetObjectResponse h = s3.get(page).orElseThrow().response();
        assertEquals("en", h.contentLanguage());
        assertEquals("gzip", h.contentEncoding());

        Notice withFile = server.app().notices().publicNotices(clock.instant()).stream()
                .filter(x -> !x.attachments().isEmpty()).findFirst().orElseThrow();
        Attachment a = withFile.attachments().get(0);
        String key = a.path().substring(1);
        assertTrue(s3.get(key).isPresent(), "the attachment is in the bucket");
        assertEquals(a.contentType(), s3.get(key).orElseThrow().response().contentType());
        server.app().domain().noticeDesk().removeAttachment(CLERK, withFile.id(), a.id());
        waitSynced("the attachment's removal", () -> s3.get(key).isEmpty());
        assertBucketMatchesItsManifest();
    }

    @Test
    @Order(3)
    void aBucketAwayForAWhileGetsEverythingOnceBack() throws Exception {
        s3.stop();
        long id = server.app().domain().noticeDesk().createPublished(CLERK, new NoticeInput(NoticeKind.INFORMATION,
                "Piscina comunale chiusa per guasto", "", "Testo.", "it", null, null, null, null, List.of(), NoticeDetails.NONE));
        Notice added = server.app().notices().find(id).orElseThrow();
        Notice gone = server.app().notices().publicNotices(clock.instant()).stream()
                .filter(x -> x.id() != id && x.status() == it.semaforo.notice.NoticeStatus.PUBLISHED).findFirst().orElseThrow();
        server.app().domain().noticeDesk().withdraw(CLERK, gone.id(), "Pubblicato per errore");
        // the clerk was never held up; the failure shows in /health
        JsonNode failing = null;
        for (int i = 0; i < 600 && failing == null; i++) {
            JsonNode health = JsonText.MAPPER.readTree(server.get("/health").body());
            JsonNode m = health.get("mirror").get(0);
            if (m.get("state").asText().equals("failing")) failing = m;
            else Thread.sleep(50);
        }
        assertNotNull(failing, "the mirror says it is failing");
        assertFalse(failing.get("lastError").asText().isBlank());
        assertTrue(failing.get("pending").asLong() > 0);
        assertEquals("ok", JsonText.MAPPER.readTree(server.get("/health").body()).get("status").asText(),
                "a copy that cannot be written does not make the server unwell");

        s3.startAgain();
        String page = StaticExport.fileFor(added.path(), Rendered.HTML);
        String withdrawn = StaticExport.fileFor(gone.path(), Rendered.HTML, 410);
        waitSynced("the changes made while the bucket was away", () -> text(page).contains("Piscina comunale chiusa per guasto")
                && !text(withdrawn).contains(gone.title()) && !text(withdrawn).isEmpty());
        assertEquals(new String(server.getBytes(gone.path()).body(), StandardCharsets.UTF_8), Mirror.withoutBanner(text(withdrawn)),
                "the withdrawn avviso's 410 trace");
        assertBucketMatchesItsManifest();
    }

    /**
     * A reader following the index finds each part it names with its size and hash, and the
     * bucket holds exactly what the parts list (the part objects aside), each object with the
     * listed size and hash of its content.
     */
    static void assertBucketMatchesItsManifest() throws Exception {
        ManifestReader.Manifest manifest = ManifestReader.read(MirrorBucketTest::object);
        Set<String> listed = new HashSet<>();
        for (JsonNode f : manifest.files()) {
            String key = f.get("path").asText();
            listed.add(key);
            byte[] body = S3Store.decoded(s3.get(key).orElseThrow(() -> new AssertionError(key + " listed but missing")));
            assertEquals(f.get("size").asLong(), body.length, key);
            assertEquals(f.get("sha256").asText(), Mirror.sha256(body), key);
        }
        Set<String> keys = new HashSet<>(s3.keys());
        keys.remove(Mirror.MANIFEST);
        keys.removeIf(k -> k.startsWith(Mirror.PARTS));
        assertEquals(keys, listed);
    }

    static byte[] object(String key) throws Exception {
        return S3Store.decoded(s3.get(key).orElseThrow(() -> new AssertionError(key + " is named but missing")));
    }

}
