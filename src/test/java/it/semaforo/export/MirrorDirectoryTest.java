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
import it.semaforo.testing.Scratch;
import it.semaforo.testing.TestServer;
import it.semaforo.text.JsonText;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The mirror into a directory (mirror.dir): the whole site, the archive's pages included, with
 * the server's bytes (HTML apart from the dated banner); after a clerk's change only the files
 * whose bytes changed are written again; a file that no longer exists goes; the manifest
 * describes the directory exactly.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MirrorDirectoryTest {
    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    static final Path copy = Scratch.tempDir("semaforo-mirror");
    static final MutableClock clock = new MutableClock(NOW);
    @RegisterExtension
    static final TestServer server = TestServer.demo(clock, Map.of("mirror.dir", copy.toString()));
    static final Actor CLERK = new Actor(null, "test", "Test", "127.0.0.1");

    @AfterAll
    static void removeCopy() {
        server.close(); // the mirror may still be writing; closing twice is harmless
        Scratch.delete(copy);
    }

    static Mirror mirror() {
        return server.app().mirror().orElseThrow();
    }

    /** Waits until the condition holds and the mirror holds everything, manifest included. */
    static void waitSynced(String what, BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            if (condition.getAsBoolean() && mirror().status().stream().allMatch(s -> s.state().equals("ok"))) return;
            Thread.sleep(50);
        }
        throw new AssertionError("the mirror did not get there: " + what + "; status " + mirror().status());
    }

    static String read(String file) {
        try {
            Path p = copy.resolve(file);
            return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Every file of the copy (temporary ones would show here too) with its identity: a rewrite is a new file. */
    static Map<String, Object> files() throws Exception {
        Map<String, Object> all = new HashMap<>();
        try (Stream<Path> walk = Files.walk(copy)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                all.put(copy.relativize(p).toString(), Files.readAttributes(p, BasicFileAttributes.class).fileKey());
            }
        }
        return all;
    }

    @Test
    @Order(1)
    void theCopyHoldsTheServersBytesApartFromItsDatedBanner() throws Exception {
        waitSynced("the first full pass", () -> Files.exists(copy.resolve(Mirror.MANIFEST)));
        List<PublicAddress> addresses = server.app().publicAddresses();
        assertTrue(addresses.stream().anyMatch(a -> a.path().equals("/en/avvisi/tipo/informazione")), "the archive by kind is listed");
        int pages = 0;
        for (PublicAddress a : addresses) {
            HttpResponse<byte[]> live = server.getBytes(a.path());
            assertTrue(live.statusCode() == 200 || live.statusCode() == 410, a.path() + " answers " + live.statusCode());
            String type = live.headers().firstValue("Content-Type").orElse("");
            Path file = copy.resolve(StaticExport.fileFor(a.path(), type.replace("text/html;charset=utf-8", Rendered.HTML),
                    live.statusCode()));
            assertTrue(Files.isRegularFile(file), a.path() + " is in the copy as " + file);
            byte[] mirrored = Files.readAllBytes(file);
            String html = new String(mirrored, StandardCharsets.UTF_8);
            if (type.startsWith("text/html") && html.contains(Rendered.STALE_MARK)) {
                pages++;
                assertEquals(1, html.split(Rendered.STATIC_COPY_START, -1).length - 1, a.path() + " has one banner");
                assertTrue(html.contains("static-copy"), a.path());
                assertEquals(new String(live.body(), StandardCharsets.UTF_8), Mirror.withoutBanner(html), a.path());
            } else {
                assertArrayEquals(live.body(), mirrored, a.path());
            }
        }
        assertTrue(pages > 40, "pages compared: " + pages);
        assertTrue(read("index.html").contains("Copia statica aggiornata al"), "the Italian banner");
        assertTrue(read("en/avvisi/index.html").contains("Static copy updated on"), "the English banner");
        assertManifestDescribesTheCopy();
    }

    /**
     * The archive's pages are numbered from the oldest: a publication rewrites the landing and
     * the newest numbered page of each list it is in (the whole archive, its kind, its year; in
     * five languages), the page before when it opens a new one, and no older page.
     */
    @Test
    @Order(2)
    void aPublicationLeavesTheOlderArchivePagesAlone() throws Exception {
        for (int i = 1; i <= 15; i++) {   // with the demo's, more than two pages of ten
            clock.advance(java.time.Duration.ofMinutes(1));
            server.app().domain().noticeDesk().createPublished(CLERK, new NoticeInput(NoticeKind.INFORMATION,
                    "Comunicazione numero " + i, "", "Testo.", "it", null, null, null, null, List.of(), NoticeDetails.NONE));
        }
        waitSynced("fifteen avvisi", () -> read("avvisi/index.html").contains("Comunicazione numero 15"));
        int newest = newestPage("avvisi");
        assertTrue(newest >= 3, "pages: " + newest);
        byte[] oldest = Files.readAllBytes(copy.resolve("avvisi/pagina/1/index.html"));
        Map<String, Object> before = files();

        clock.advance(java.time.Duration.ofMinutes(1));
        server.app().domain().noticeDesk().createPublished(CLERK, new NoticeInput(NoticeKind.INFORMATION,
                "Comunicazione numero 16", "", "Testo.", "it", null, null, null, null, List.of(), NoticeDetails.NONE));
        waitSynced("the sixteenth", () -> read("avvisi/index.html").contains("Comunicazione numero 16"));
        int after = newestPage("avvisi");
        Set<String> rewritten = new HashSet<>();
        files().forEach((f, key) -> {
            if (!key.equals(before.get(f))) rewritten.add(f);
        });
        Set<String> archive = new HashSet<>();
        for (String f : rewritten) if (f.matches("(it/|en/|de/|ja/)?avvisi/(?![0-9]+-).*index\\.html")) archive.add(f);
        Set<String> allowed = new HashSet<>();
        for (String prefix : List.of("", "it/", "en/", "de/", "ja/")) {
            for (String list : List.of("avvisi", "avvisi/tipo/informazione", "avvisi/anno/2026")) {
                int last = list.equals("avvisi") ? after : newestPage(prefix + list);
                allowed.add(prefix + list + "/index.html");
                allowed.add(prefix + list + "/pagina/" + last + "/index.html");
                allowed.add(prefix + list + "/pagina/" + (last - 1) + "/index.html");   // when a new page opened
                assertTrue(archive.contains(prefix + list + "/index.html"), prefix + list + " landing: " + archive);
                assertTrue(archive.contains(prefix + list + "/pagina/" + last + "/index.html"), prefix + list + ": " + archive);
            }
        }
        assertTrue(allowed.containsAll(archive), "archive files rewritten: " + archive);
        assertFalse(rewritten.contains("avvisi/pagina/1/index.html"));
        assertArrayEquals(oldest, Files.readAllBytes(copy.resolve("avvisi/pagina/1/index.html")), "page 1 unchanged");
        assertEquals(new String(server.getBytes("/avvisi/pagina/1").body(), StandardCharsets.UTF_8),
                Mirror.withoutBanner(new String(oldest, StandardCharsets.UTF_8)), "and still what the server answers");
        assertManifestDescribesTheCopy();
    }

    /** The highest numbered page of a list in the copy. */
    static int newestPage(String list) throws Exception {
        Path dir = copy.resolve(list).resolve("pagina");
        try (Stream<Path> pages = Files.list(dir)) {
            return pages.map(p -> p.getFileName().toString()).filter(n -> n.matches("[0-9]+"))
                    .mapToInt(Integer::parseInt).max().orElse(0);
        }
    }

    @Test
    @Order(3)
    void aPublicationRewritesOnlyWhatChanged() throws Exception {
        Map<String, Object> before = files();
        ManifestReader.Manifest indexBefore = assertManifestDescribesTheCopy();
        long id = server.app().domain().noticeDesk().createPublished(CLERK, new NoticeInput(NoticeKind.INFORMATION,
                "Sportello chiuso per inventario", "", "Testo.", "it", null, null, null, null, List.of(), NoticeDetails.NONE));
        Notice n = server.app().notices().find(id).orElseThrow();
        String page = StaticExport.fileFor(n.path(), Rendered.HTML);
        waitSynced("the new avviso", () -> read("index.html").contains("Sportello chiuso per inventario")
                && Files.exists(copy.resolve(page)) && read("avvisi/index.html").contains("Sportello chiuso per inventario"));
        Map<String, Object> after = files();
        Set<String> rewritten = new HashSet<>();
        after.forEach((f, key) -> {
            if (!key.equals(before.get(f))) rewritten.add(f);
        });
        assertTrue(rewritten.containsAll(List.of("index.html", "en/index.html", page, "feed.atom", "api/v2/summary.json",
                Mirror.MANIFEST)), "rewritten: " + rewritten);
        // nothing about a service the avviso does not name, nor the assets, was touched
        for (String same : List.of("servizi/anagrafe/index.html", "embed/badge/anagrafe.svg", "api/semaforo/v1/services/anagrafe.json")) {
            assertTrue(before.containsKey(same), same);
            assertFalse(rewritten.contains(same), same + " was rewritten");
        }
        assertFalse(after.keySet().stream().anyMatch(f -> f.endsWith(".tmp")), "no temporary file left");
        assertTrue(rewritten.size() < after.size() / 2, rewritten.size() + " of " + after.size() + " files rewritten");
        ManifestReader.Manifest indexAfter = assertManifestDescribesTheCopy();
        // the manifest's parts the publication reached are new files; the others are the same files as before
        Set<String> partsRewritten = new HashSet<>();
        indexAfter.parts().forEach((part, file) -> {
            if (!file.equals(indexBefore.parts().get(part))) partsRewritten.add(part);
        });
        assertTrue(partsRewritten.contains("pagine"), "rewritten: " + partsRewritten);
        assertTrue(partsRewritten.stream().anyMatch(p -> p.startsWith("avvisi-")), "rewritten: " + partsRewritten);
        assertTrue(indexAfter.parts().containsKey("archivio-servizio-anagrafe-1"), "parts: " + indexAfter.parts().keySet());
        assertTrue(partsRewritten.size() < indexAfter.parts().size() / 2, partsRewritten + " of " + indexAfter.parts().keySet());
        indexAfter.parts().forEach((part, file) -> {
            if (!partsRewritten.contains(part)) assertFalse(rewritten.contains(file), file + " was rewritten");
        });
        // a reader that read the index just before still finds the parts it names (deleted one index later)
        if (indexAfter.index().get("generation").asLong() == indexBefore.index().get("generation").asLong() + 1) {
            for (String file : indexBefore.parts().values()) {
                assertTrue(Files.exists(copy.resolve(file)), file + " of the index before is still there");
            }
        }
    }

    @Test
    @Order(4)
    void aRemovedAttachmentLeavesTheCopyAndAWithdrawnAvvisoKeepsItsTrace() throws Exception {
        Notice withFile = server.app().notices().publicNotices(clock.instant()).stream()
                .filter(n -> !n.attachments().isEmpty()).findFirst().orElseThrow();
        Attachment a = withFile.attachments().get(0);
        String file = a.path().substring(1);
        waitSynced("the attachment", () -> Files.exists(copy.resolve(file)));
        server.app().domain().noticeDesk().removeAttachment(CLERK, withFile.id(), a.id());
        waitSynced("the attachment's removal", () -> !Files.exists(copy.resolve(file)));

        String page = StaticExport.fileFor(withFile.path(), Rendered.HTML);
        String trace = StaticExport.fileFor(withFile.path(), Rendered.HTML, 410);
        assertTrue(trace.startsWith(StaticExport.GONE), trace);
        Map<String, Object> before = files();
        server.app().domain().noticeDesk().withdraw(CLERK, withFile.id(), "Pubblicato per errore");
        waitSynced("the withdrawal", () -> !Files.exists(copy.resolve(page)) && Files.exists(copy.resolve(trace))
                && !read("index.html").contains(withFile.title()));
        // it keeps its place in the archive: of each list, the landing (its count) and its own page alone change
        Map<String, Set<String>> numbered = new HashMap<>();
        files().forEach((f, key) -> {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(.*avvisi.*)/pagina/([0-9]+)/index\\.html").matcher(f);
            if (!key.equals(before.get(f)) && m.matches()) numbered.computeIfAbsent(m.group(1), k -> new HashSet<>()).add(m.group(2));
        });
        assertFalse(numbered.isEmpty());
        numbered.forEach((list, pages) -> assertEquals(1, pages.size(), list + ": pages rewritten " + pages));
        assertEquals(410, server.get(withFile.path()).statusCode());
        assertEquals(new String(server.getBytes(withFile.path()).body(), StandardCharsets.UTF_8), Mirror.withoutBanner(read(trace)),
                "the copy keeps the 410 trace page, apart from the pages that answer 200");
        for (String tag : List.of("en", "de", "ja", "it")) {
            assertTrue(Files.exists(copy.resolve(StaticExport.fileFor("/" + tag + withFile.path(), Rendered.HTML, 410))), tag);
        }
        assertManifestDescribesTheCopy();
    }

    /**
     * A reader following the index finds every part it names with its size and hash, and in them
     * every file of the copy with its size and hash, and nothing else (the part files aside, of
     * which those of the index before may still be there).
     */
    static ManifestReader.Manifest assertManifestDescribesTheCopy() throws Exception {
        ManifestReader.Manifest manifest = ManifestReader.read(MirrorDirectoryTest::bytes);
        Set<String> listed = new HashSet<>();
        for (JsonNode f : manifest.files()) {
            String name = f.get("path").asText();
            assertTrue(listed.add(name), name + " listed twice");
            byte[] bytes = bytes(name);
            assertEquals(f.get("size").asLong(), bytes.length, name);
            assertEquals(f.get("sha256").asText(), Mirror.sha256(bytes), name);
            assertFalse(f.get("contentType").asText().isEmpty(), name);
        }
        Set<String> onDisk = new HashSet<>(files().keySet());
        onDisk.remove(Mirror.MANIFEST);
        onDisk.removeIf(f -> f.startsWith(Mirror.PARTS));
        assertEquals(onDisk, listed);
        JsonNode home = null;
        for (JsonNode f : manifest.files()) if (f.get("path").asText().equals("en/index.html")) home = f;
        assertEquals("en", home.get("language").asText());
        return manifest;
    }

    static byte[] bytes(String name) throws Exception {
        Path file = copy.resolve(name);
        if (!Files.exists(file)) throw new AssertionError(name + " is named but missing");
        return Files.readAllBytes(file);
    }
}
