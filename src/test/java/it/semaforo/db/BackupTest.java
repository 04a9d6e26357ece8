package it.semaforo.db;

import it.semaforo.app.Domain;
import it.semaforo.notice.Notice;
import it.semaforo.notice.NoticeKind;
import it.semaforo.notice.NoticeRepository;
import it.semaforo.notice.NoticeRepository.NewNotice;
import it.semaforo.notice.NoticeRepository.NewUpdate;
import it.semaforo.notice.NoticeStatus;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A backup taken while clerks write is one consistent instant of the data, and restores. */
class BackupTest {
    @TempDir
    Path dir;

    @Test
    void aBackupTakenUnderWriteLoadRestoresToAConsistentCopy() throws Exception {
        try (TestServer server = TestServer.start(new MutableClock(Instant.parse("2026-11-24T10:00:00Z")), true, Map.of())) {
            NoticeRepository live = server.app().notices();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger written = new AtomicInteger();
            Thread writer = new Thread(() -> {
                while (!stop.get()) {
                    long id = live.create(new NewNotice(NoticeKind.INFORMATION, NoticeStatus.PUBLISHED,
                            "Avviso di carico " + written.get(), "", "testo", "it", Instant.parse("2026-11-24T09:00:00Z"),
                            null, null, null, "test", List.of()));
                    live.addUpdate(id, new NewUpdate("primo", List.of(), false, "test", null));
                    live.addUpdate(id, new NewUpdate("secondo", List.of(), false, "test", null));
                    written.incrementAndGet();
                }
            });
            writer.start();
            while (written.get() < 20) Thread.sleep(5);
            Backup.Result result = Backup.take(server.dataDir(), dir.resolve("backup"));
            int atBackup = written.get();
            while (written.get() < atBackup + 20) Thread.sleep(5);
            stop.set(true);
            writer.join();

            assertEquals("ok", Backup.integrity(result.dir().resolve("semaforo.db")));
            assertTrue(result.attachments() >= 1, "the demo's PDF is copied");
            Path restored = dir.resolve("restored");
            Backup.restore(result.dir(), restored);
            try (Domain copy = Domain.open(restored.resolve("semaforo.db"), Clock.systemUTC(), java.time.ZoneOffset.UTC,
                    it.semaforo.testing.Wordings.PLAIN)) {
                NoticeRepository backup = copy.notices();
                int seen = 0;
                for (long id = 1; ; id++) {
                    var fromBackup = backup.find(id);
                    if (fromBackup.isEmpty()) break;
                    Notice b = fromBackup.get();
                    Notice l = live.find(id).orElseThrow();
                    assertEquals(l.title(), b.title());
                    // one instant: an avviso is copied with every update written before it, in order
                    assertTrue(b.updates().size() <= l.updates().size());
                    assertEquals(l.updates().subList(0, b.updates().size()), b.updates());
                    for (var a : b.attachments()) {
                        assertTrue(Files.isRegularFile(restored.resolve("allegati").resolve(a.storedName())), a.storedName());
                    }
                    seen++;
                }
                assertTrue(seen >= 7 + 20, "the backup holds what was written before it: " + seen);
                assertTrue(seen < 7 + written.get(), "and not what was written after it");
            }
            assertThrows(IllegalStateException.class, () -> Backup.restore(result.dir(), restored), "never over live data");
            assertThrows(IllegalStateException.class, () -> Backup.take(server.dataDir(), result.dir()), "never over a backup");
        }
    }
}
