package it.semaforo.hardening;

import it.semaforo.testing.ChildJvm;
import it.semaforo.testing.Scratch;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real server as a separate JVM, written to by concurrent clerks over HTTP, killed with
 * SIGKILL at a random moment, many times over. After every kill: every write that got its
 * success answer (303) is in the file, update numbers have no gaps, and PRAGMA
 * integrity_check says ok; then the server starts again on the same file.
 */
class CrashSafetyTest {
    static final int KILLS = Integer.getInteger("semaforo.crash.kills", 20);
    static final int CLERKS = 4;
    static final String PASSWORD = "una frase lunga per entrare";

    /** What the server acknowledged: drafts (id → title), publications, updates (id → bodies). */
    final Map<Long, String> drafts = new ConcurrentHashMap<>();
    final java.util.Set<Long> published = ConcurrentHashMap.newKeySet();
    final Map<Long, java.util.Set<String>> updates = new ConcurrentHashMap<>();
    final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();

    @Test
    void everyAcknowledgedWriteSurvivesSigkill() throws Exception {
        Path data = Files.createTempDirectory("semaforo-crash");
        jvm = ChildJvm.prepare(Files.createDirectories(data.resolve("jvm")));
        int port = Scratch.freePort();
        Map<String, String> env = Map.of("SEMAFORO_DATA_DIR", data.toString(), "SEMAFORO_PORT", String.valueOf(port),
                "SEMAFORO_HOST", "127.0.0.1", "SEMAFORO_DEMO_ENABLED", "true", "SEMAFORO_BASE_URL", "http://127.0.0.1",
                "SEMAFORO_ADMIN_PASSWORD_BCRYPT_COST", "4", "SEMAFORO_ADMIN_SECOND_FACTOR_ROLES", "");
        Process admin = process(env, data.resolve("create-admin.log"), "create-admin", "ufficio.stampa");
        try (OutputStream in = admin.getOutputStream()) {
            in.write((PASSWORD + "\n").getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(0, admin.waitFor(), Files.readString(data.resolve("create-admin.log")));

        String base = "http://127.0.0.1:" + port;
        List<Clerk> clerks = new ArrayList<>();
        Random random = new Random(Long.getLong("semaforo.crash.seed", System.nanoTime()));
        long started = System.nanoTime();
        int kills = 0;
        int acknowledgedBefore = 0;
        for (int round = 0; round < KILLS; round++) {
            Process server = process(env, data.resolve("server-" + round + ".log"), "serve");
            ChildJvm.awaitReady(base, server, data.resolve("server-" + round + ".log"));
            if (clerks.isEmpty()) {
                for (int i = 0; i < CLERKS; i++) clerks.add(new Clerk(base).login("ufficio.stampa", PASSWORD));
            }
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> writers = new ArrayList<>();
            for (int i = 0; i < CLERKS; i++) {
                Writer w = new Writer(clerks.get(i), i, round, stop);
                Thread t = new Thread(w, "clerk-" + i);
                t.start();
                writers.add(t);
            }
            Thread.sleep(250 + random.nextInt(1000));   // a random moment, while writes are in flight
            server.destroyForcibly();   // on Linux: SIGKILL, no shutdown hook runs
            int exit = server.waitFor();
            assertEquals(137, exit, "the server died of SIGKILL (128 + 9)");
            kills++;
            stop.set(true);
            for (Thread t : writers) t.join();
            int acknowledged = verify(data.resolve("semaforo.db"));
            assertTrue(acknowledged >= acknowledgedBefore);
            acknowledgedBefore = acknowledged;
        }
        long seconds = (System.nanoTime() - started) / 1_000_000_000;
        System.out.printf("CrashSafetyTest: %d SIGKILLs in %d s; %d acknowledged writes (%d drafts, %d publications, "
                        + "%d updates) all present, integrity_check ok after every kill%n", kills, seconds, acknowledgedBefore,
                drafts.size(), published.size(), updates.values().stream().mapToInt(java.util.Set::size).sum());
        assertTrue(unexpected.isEmpty(), "answers other than success or a known refusal: " + unexpected);
        assertEquals(KILLS, kills);
        assertTrue(acknowledgedBefore >= KILLS, "the clerks got writes through: " + acknowledgedBefore);
        Scratch.delete(data);
    }

    /** One clerk: creates an avviso, publishes it, adds numbered updates, then starts another. */
    final class Writer implements Runnable {
        final Clerk clerk;
        final int number;
        final int round;
        final AtomicBoolean stop;

        Writer(Clerk clerk, int number, int round, AtomicBoolean stop) {
            this.clerk = clerk;
            this.number = number;
            this.round = round;
            this.stop = stop;
        }

        @Override
        public void run() {
            int seq = 0;
            while (!stop.get()) {
                seq++;
                try {
                    Long current = current();
                    if (current == null) {
                        String title = "Crash " + round + "-" + number + "-" + seq;
                        Clerk.Answer a = clerk.post("/admin/avvisi", Map.of("title", title, "kind", "informazione",
                                "summary", "Scritto prima di un SIGKILL.", "body", "Corpo di " + title,
                                "publish", "now", "action", "preview"));
                        if (a.status() == 303) {
                            long id = Long.parseLong(a.location().replaceAll("^/admin/avvisi/([0-9]+).*$", "$1"));
                            drafts.put(id, title);
                            mine.put(number, id);
                        } else unexpected.add("create " + a.status());
                    } else if (!published.contains(current)) {
                        Clerk.Answer a = clerk.post("/admin/avvisi/" + current + "/pubblica", Map.of());
                        // 409: a publication whose answer was lost to the previous kill
                        if (a.status() == 303 || a.status() == 409) published.add(current);
                        else unexpected.add("publish " + a.status());
                    } else {
                        String body = "Aggiornamento " + round + "-" + number + "-" + seq;
                        Clerk.Answer a = clerk.post("/admin/avvisi/" + current + "/aggiornamenti", Map.of("body", body));
                        if (a.status() == 303) {
                            var mineUpdates = updates.computeIfAbsent(current, k -> ConcurrentHashMap.newKeySet());
                            mineUpdates.add(body);
                            if (mineUpdates.size() >= 5) mine.remove(number);
                        } else unexpected.add("update " + a.status());
                    }
                } catch (IOException e) {
                    // the server is dead: nothing acknowledged; wait for the stop
                    sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private Long current() {
            return mine.get(number);
        }
    }

    /** Each clerk's avviso in progress, kept across restarts. */
    final Map<Integer, Long> mine = new ConcurrentHashMap<>();

    /** Opens the file left by the killed server; returns the count of acknowledged writes checked. */
    int verify(Path file) throws SQLException {
        int checked = 0;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath())) {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
                rs.next();
                assertEquals("ok", rs.getString(1), "integrity_check");
            }
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA foreign_key_check")) {
                assertTrue(!rs.next(), "foreign_key_check finds nothing");
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT title, status FROM notice WHERE id = ?")) {
                for (var d : drafts.entrySet()) {
                    ps.setLong(1, d.getKey());
                    try (ResultSet rs = ps.executeQuery()) {
                        assertTrue(rs.next(), "acknowledged avviso " + d.getKey() + " is there");
                        assertEquals(d.getValue(), rs.getString(1));
                        checked++;
                        if (published.contains(d.getKey())) {
                            assertEquals("published", rs.getString(2), "acknowledged publication of " + d.getKey());
                            checked++;
                        }
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT number, body FROM notice_update WHERE notice_id = ? ORDER BY number")) {
                for (var u : updates.entrySet()) {
                    ps.setLong(1, u.getKey());
                    List<String> bodies = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        int expected = 1;
                        while (rs.next()) {
                            assertEquals(expected++, rs.getInt(1), "update numbers of " + u.getKey() + " have no gap");
                            bodies.add(rs.getString(2));
                        }
                    }
                    for (String body : u.getValue()) {
                        assertTrue(bodies.contains(body), "acknowledged update '" + body + "' is there");
                        checked++;
                    }
                }
            }
        }
        return checked;
    }

    /** The server's JVM, started from a class-data archive (testing.ChildJvm): most of a round is its start. */
    ChildJvm jvm;

    private Process process(Map<String, String> env, Path log, String... args) throws IOException {
        return jvm.start(env, log, args);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
