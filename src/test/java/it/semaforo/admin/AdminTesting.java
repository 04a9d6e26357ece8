package it.semaforo.admin;

import com.icegreen.greenmail.util.GreenMail;
import it.semaforo.audit.Actor;
import it.semaforo.testing.TestServer;
import jakarta.mail.internet.MimeMessage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/** Accounts and counts the tests set up and check directly in the database; the clerks' mails and midnights they wait for. */
final class AdminTesting {
    /** bcrypt at its minimum cost: the tests log in often, and the cost is not what they test. */
    static final Map<String, String> SETTINGS = Map.of("admin.password.bcrypt.cost", "4", "base.url", "http://127.0.0.1");
    static final String PASSWORD = "una frase lunga per entrare";

    private AdminTesting() {
    }

    static Map<String, String> settings(String... more) {
        Map<String, String> all = new LinkedHashMap<>(SETTINGS);
        for (int i = 0; i + 1 < more.length; i += 2) all.put(more[i], more[i + 1]);
        return all;
    }

    static long user(TestServer server, String username, Role role) {
        return server.app().admin().users().create(Actor.commandLine(),
                new UserDesk.NewUser(username, username.replace('.', ' '), role, PASSWORD));
    }

    static long count(TestServer server, String sql, Object... args) {
        return server.app().database().read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** The mails received so far whose subject contains subjectPart. */
    static List<MimeMessage> matching(GreenMail mail, String subjectPart) {
        return Arrays.stream(mail.getReceivedMessages()).filter(m -> {
            try {
                return m.getSubject().contains(subjectPart);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    /** Waits up to 15 s for count such mails, and checks that there are exactly that many. */
    static List<MimeMessage> await(GreenMail mail, String subjectPart, int count) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (matching(mail, subjectPart).size() < count && System.nanoTime() < end) Thread.sleep(50);
        List<MimeMessage> found = matching(mail, subjectPart);
        org.junit.jupiter.api.Assertions.assertEquals(count, found.size(), "mails about " + subjectPart);
        return found;
    }

    /** Waits until the clock thread has announced the midnight of clock's day and the access review has handled it. */
    static void midnightHandled(TestServer server, Clock clock) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (true) {
            long began = count(server, "SELECT coalesce(max(seq), 0) FROM event_log WHERE type = 'DayBegan' AND payload LIKE ?",
                    "%" + clock.instant().atZone(ZoneId.of("Europe/Rome")).toLocalDate() + "%");
            long handled = count(server, "SELECT coalesce(max(seq), 0) FROM event_cursor WHERE subscriber = 'access-review'");
            if (began > 0 && handled >= began) return;
            if (System.nanoTime() > deadline) throw new AssertionError("the day's event was not handled within 15 s");
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** The settings of a demo server that mails through the test's SMTP server (GreenMail), more after them. */
    static Map<String, String> mailSettings(GreenMail mail, String... more) {
        Map<String, String> all = settings("smtp.host", "127.0.0.1", "smtp.port", String.valueOf(mail.getSmtp().getPort()),
                "smtp.security", "none", "smtp.from", "avvisi@example.org", "notify.rate.per.minute", "0");
        for (int i = 0; i + 1 < more.length; i += 2) all.put(more[i], more[i + 1]);
        return all;
    }

    static boolean active(TestServer server, String username) {
        return server.app().admin().accounts().findByUsername(username).orElseThrow().active();
    }
}
