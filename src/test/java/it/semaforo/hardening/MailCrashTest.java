package it.semaforo.hardening;

import com.icegreen.greenmail.util.GreenMail;
import it.semaforo.testing.Smtp;
import it.semaforo.testing.ChildJvm;
import it.semaforo.testing.Scratch;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sender killed mid-batch: the real server in its own JVM mails 20 subscribers through
 * GreenMail (in this JVM, loopback) at 120 a minute; after the first mails it is killed with
 * SIGKILL, started again on the same file, and the mails are counted: every subscriber has
 * the mail, and at most the one in flight at the kill went twice.
 */
class MailCrashTest {
    static final String PASSWORD = "una frase lunga per entrare";
    static final int SUBSCRIBERS = 20;

    @Test
    void aSigkillMidBatchLosesNoMailAndRepeatsAtMostTheOneInFlight() throws Exception {
        GreenMail mail = Smtp.started();
        Path data = Files.createTempDirectory("semaforo-mailcrash");
        try {
            int port = Scratch.freePort();
            Map<String, String> env = Map.ofEntries(Map.entry("SEMAFORO_DATA_DIR", data.toString()),
                    Map.entry("SEMAFORO_PORT", String.valueOf(port)), Map.entry("SEMAFORO_HOST", "127.0.0.1"),
                    Map.entry("SEMAFORO_DEMO_ENABLED", "true"), Map.entry("SEMAFORO_BASE_URL", "http://127.0.0.1"),
                    Map.entry("SEMAFORO_ADMIN_PASSWORD_BCRYPT_COST", "4"), Map.entry("SEMAFORO_ADMIN_SECOND_FACTOR_ROLES", ""),
                    Map.entry("SEMAFORO_SMTP_HOST", "127.0.0.1"), Map.entry("SEMAFORO_SMTP_PORT", String.valueOf(mail.getSmtp().getPort())),
                    Map.entry("SEMAFORO_SMTP_SECURITY", "none"), Map.entry("SEMAFORO_SMTP_FROM", "avvisi@comune.example"),
                    // one mail every half second: the kill falls in the middle of the batch
                    Map.entry("SEMAFORO_NOTIFY_RATE_PER_MINUTE", "120"),
                    Map.entry("SEMAFORO_NOTIFY_MAINTENANCE_REMINDER_HOURS", "0"));
            Process admin = process(env, data.resolve("create-admin.log"), "create-admin", "ufficio.stampa");
            try (OutputStream in = admin.getOutputStream()) {
                in.write((PASSWORD + "\n").getBytes(StandardCharsets.UTF_8));
            }
            assertEquals(0, admin.waitFor(), Files.readString(data.resolve("create-admin.log")));
            String base = "http://127.0.0.1:" + port;

            Process server = process(env, data.resolve("server-1.log"), "serve");
            ChildJvm.awaitReady(base, server, data.resolve("server-1.log"), Duration.ofSeconds(90));
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("semaforo.db"));
                 PreparedStatement ps = c.prepareStatement("INSERT INTO notify_subscriber(email, language, everything, "
                         + "consent_at, confirmed_at) VALUES (?, 'it', 1, 1, 2)")) {
                c.createStatement().execute("PRAGMA busy_timeout = 10000");
                for (int i = 0; i < SUBSCRIBERS; i++) {
                    ps.setString(1, "r" + i + "@example.org");
                    ps.executeUpdate();
                }
            }
            Clerk clerk = new Clerk(base).login("ufficio.stampa", PASSWORD);
            Clerk.Answer update = clerk.post("/admin/avvisi/1/aggiornamenti", Map.of("body", "Aggiornamento da mandare a tutti.",
                    "notify", "on"));
            assertEquals(303, update.status(), update.body());

            await(mail, 3);
            server.destroyForcibly();   // on Linux: SIGKILL, no shutdown hook runs
            assertEquals(137, server.waitFor(), "the server died of SIGKILL (128 + 9)");
            int atKill = mail.getReceivedMessages().length;
            assertTrue(atKill < SUBSCRIBERS, "killed mid-batch: " + atKill + " mails had gone");

            Process again = process(env, data.resolve("server-2.log"), "serve");
            try {
                ChildJvm.awaitReady(base, again, data.resolve("server-2.log"), Duration.ofSeconds(90));
                long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (recipients(mail).size() < SUBSCRIBERS && System.nanoTime() < end) Thread.sleep(200);
                Thread.sleep(1_500);   // anything sent twice would arrive now
                Map<String, Long> perRecipient = recipients(mail);
                assertEquals(SUBSCRIBERS, perRecipient.size(), "every subscriber got the mail: " + perRecipient);
                long twice = perRecipient.values().stream().filter(n -> n > 1).count();
                assertTrue(twice <= 1 && perRecipient.values().stream().allMatch(n -> n <= 2),
                        "at most the one in flight at the kill went twice: " + perRecipient);
                System.out.printf("MailCrashTest: killed after %d of %d mails; after the restart %d mails for %d subscribers%n",
                        atKill, SUBSCRIBERS, mail.getReceivedMessages().length, perRecipient.size());
            } finally {
                again.destroy();
                again.waitFor();
            }
        } finally {
            mail.stop();
            Scratch.delete(data);
        }
    }

    static Map<String, Long> recipients(GreenMail mail) {
        return Arrays.stream(mail.getReceivedMessages()).collect(Collectors.groupingBy(MailCrashTest::to, Collectors.counting()));
    }

    static String to(MimeMessage m) {
        try {
            return m.getAllRecipients()[0].toString();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static void await(GreenMail mail, int count) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (mail.getReceivedMessages().length < count && System.nanoTime() < end) Thread.sleep(20);
        assertTrue(mail.getReceivedMessages().length >= count, "no mail went: " + mail.getReceivedMessages().length);
    }

    private static Process process(Map<String, String> env, Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), "it.semaforo.app.Main"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return pb.start();
    }
}
