package it.semaforo.feed;

import it.semaforo.notice.Impact;
import it.semaforo.notice.NoticeKind;
import it.semaforo.notice.NoticeRepository.NewNotice;
import it.semaforo.notice.NoticeRepository.NewUpdate;
import it.semaforo.notice.NoticeStatus;
import it.semaforo.service.ServiceState;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the W3C Feed Validation Service's own code (github.com/w3c/feedvalidator, Python 3)
 * offline on every feed, as if fetched from its public address, and requires no error and no
 * warning. It needs that code, which is not ours to copy: set FEEDVALIDATOR_SRC to its src/
 * directory (and FEEDVALIDATOR_PYTHON to a python3 with html5lib and rdflib, Debian's
 * python3-html5lib and python3-rdflib); without them it fails. Tagged out of the default run
 * (see README, "Feeds").
 */
@org.junit.jupiter.api.Tag("w3c-validator")
class W3cFeedValidatorTest {
    private static final String BASE = "https://stato.comune.example.it";

    /** Our runner: validateStream per file, the online service's filter (AA: errors and warnings). */
    private static final String RUNNER = """
            import sys
            sys.path.insert(0, sys.argv[1])
            import feedvalidator
            from feedvalidator import compatibility
            from feedvalidator.formatter.text_plain import Formatter
            args = sys.argv[2:]
            for i in range(0, len(args), 3):
                path, ctype, url = args[i], args[i + 1], args[i + 2]
                with open(path, 'rb') as f:
                    events = feedvalidator.validateStream(f, firstOccurrenceOnly=0, contentType=ctype, base=url)['loggedEvents']
                for line in Formatter(compatibility.AA(events)):
                    print(url + ': ' + line)
            print('done')
            """;

    @Test
    void everyFeedPassesTheW3cValidatorWithNoErrorAndNoWarning() throws Exception {
        String src = System.getenv("FEEDVALIDATOR_SRC");
        assertTrue(src != null && Files.isRegularFile(Path.of(src, "feedvalidator", "__init__.py")),
                "FEEDVALIDATOR_SRC does not point to w3c/feedvalidator's src directory");
        String python = System.getenv().getOrDefault("FEEDVALIDATOR_PYTHON", "python3");

        // the validator warns about dates in the future of its own clock: use the real one
        MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.MINUTES));
        Instant now = clock.instant();
        Path dir = Files.createTempDirectory("feedvalidator");
        try (TestServer server = TestServer.start(clock, true, Map.of())) {
            long cards = server.app().services().load().service("carta-identita").orElseThrow().id();
            long ja = server.app().notices().create(new NewNotice(NoticeKind.DATA_BREACH, NoticeStatus.PUBLISHED,
                    "足立区の委託業者へのサイバー攻撃（第三報）", "情報流出の可能性があります。",
                    "| 委託件名 | 所管 |\n| --- | --- |\n| 不燃化特区全戸訪問業務委託 | 密集地域整備課 |\n\n[詳細](/avvisi) [連絡先](#contatti)",
                    "ja", now.minus(Duration.ofHours(5)), now.plus(Duration.ofDays(3)), null, null, "test", List.of()));
            server.app().notices().addUpdate(ja, new NewUpdate("事業者の再発防止策について報告がありました。", List.of(), false,
                    "test", now.minus(Duration.ofHours(4))));
            server.app().notices().create(new NewNotice(NoticeKind.OUTAGE, NoticeStatus.PUBLISHED,
                    "Prenotazioni\u0001 CIE\uFFFE sospese", "Riepilogo\u000B", "Testo \u0002 con [link relativo](../servizi/anagrafe).",
                    "it", now.minus(Duration.ofHours(3)), now.minus(Duration.ofHours(2)), null, null, "test",
                    List.of(Impact.onService(cards, ServiceState.SUSPENDED, "Agenda\u0003 non disponibile"))));

            List<String> args = new ArrayList<>(List.of(python, "-", src));
            List<String> paths = new ArrayList<>(List.of("/feed"));
            for (NoticeKind k : NoticeKind.values()) paths.add("/avvisi/tipo/" + k.key() + "/feed");
            server.app().services().load().services().forEach(s -> paths.add(s.path() + "/feed"));
            int n = 0;
            for (String p : paths) {
                for (String ext : List.of(".atom", ".rss")) {
                    HttpResponse<byte[]> r = FeedDocs.get(server.url(p + ext));
                    assertEquals(200, r.statusCode(), p + ext);
                    Path file = dir.resolve("feed" + (n++) + ext);
                    Files.write(file, r.body());
                    args.addAll(List.of(file.toString(), FeedDocs.header(r, "Content-Type"), BASE + p + ext));
                }
            }
            Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
            process.getOutputStream().write(RUNNER.getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the validator did not finish");
            assertTrue(!output.contains("ModuleNotFoundError"), "the validator's Python modules are missing: " + output);
            assertEquals("done", output.strip(), "the W3C validator's errors and warnings:\n" + output);
        } finally {
            try (var files = Files.list(dir)) {
                files.forEach(f -> f.toFile().delete());
            }
            Files.deleteIfExists(dir);
        }
    }
}
