package it.semaforo.export;

import it.semaforo.audit.Actor;
import it.semaforo.notice.NoticeDetails;
import it.semaforo.notice.NoticeInput;
import it.semaforo.notice.NoticeKind;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.Scratch;
import it.semaforo.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With export.dir set, the static copy is a subscriber of the event log: a clerk's publication
 * reaches it by itself, in the background, and a copy left behind while the server was down
 * catches up after the restart.
 */
class ExportSubscriberTest {
    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    static final Path copy = Scratch.tempDir("semaforo-copy");
    static final MutableClock clock = new MutableClock(NOW);
    @RegisterExtension
    static final TestServer server = TestServer.demo(clock, Map.of("export.dir", copy.toString()));
    static final Actor CLERK = new Actor(null, "test", "Test", "127.0.0.1");

    @AfterAll
    static void removeCopy() {
        server.close(); // the subscriber may still be writing; closing twice is harmless
        Scratch.delete(copy);
    }

    private static long publish(String title) {
        return server.app().domain().noticeDesk().createPublished(CLERK, new NoticeInput(NoticeKind.INFORMATION, title,
                "", "Testo.", "it", null, null, null, null, List.of(), NoticeDetails.NONE));
    }

    private static boolean homeShows(String text) throws Exception {
        Path home = copy.resolve("index.html");
        return Files.exists(home) && Files.readString(home, StandardCharsets.UTF_8).contains(text);
    }

    private static void waitFor(String text) throws Exception {
        for (int i = 0; i < 100 && !homeShows(text); i++) Thread.sleep(100);
        assertTrue(homeShows(text), "the copy's home page shows " + text);
    }

    @Test
    void aPublicationReachesTheCopyByItselfAndAfterARestart() throws Exception {
        publish("Sportello chiuso per inventario");
        waitFor("Sportello chiuso per inventario");
        // after a restart the subscriber goes on from its cursor, kept in the database
        server.restart();
        publish("Biblioteca chiusa per trasloco");
        waitFor("Biblioteca chiusa per trasloco");
    }
}
