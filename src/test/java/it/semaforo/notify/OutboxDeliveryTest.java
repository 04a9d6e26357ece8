package it.semaforo.notify;

import com.icegreen.greenmail.util.GreenMail;
import it.semaforo.audit.Actor;
import it.semaforo.notice.Impact;
import it.semaforo.notice.NoticeDetails;
import it.semaforo.notice.NoticeInput;
import it.semaforo.notice.NoticeKind;
import it.semaforo.service.ServiceState;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static it.semaforo.notify.MailTesting.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The outbox's promises: a restart in the middle of sending loses nothing and sends again at
 * most the message in flight; temporary refusals are tried again later with backoff (and given
 * up only after the retry period); permanent ones count bounces and the third suspends.
 */
class OutboxDeliveryTest {
    static final Instant NOW = Instant.parse("2026-12-07T08:00:00Z");
    static final Actor CLERK = new Actor(null, "test", "Test", "127.0.0.1");

    /** Confirmed subscribers written straight into the database (the sign-up has its own test). */
    static void confirmed(TestServer server, String... emails) {
        server.app().database().write(c -> {
            try (var ps = c.prepareStatement("INSERT INTO notify_subscriber(email, language, everything, consent_at, "
                    + "confirmed_at) VALUES (?, 'it', 1, ?, ?)")) {
                for (String e : emails) {
                    ps.setString(1, e);
                    ps.setLong(2, NOW.toEpochMilli());
                    ps.setLong(3, NOW.toEpochMilli());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    static long publish(TestServer server, String title) {
        long service = server.app().services().load().service("albo-pretorio").orElseThrow().id();
        return server.app().domain().noticeDesk().createPublished(CLERK, new NoticeInput(NoticeKind.OUTAGE, title,
                "Riassunto.", "Testo.", "it", null, null, null, null,
                List.of(Impact.onService(service, ServiceState.SUSPENDED, "guasto")), NoticeDetails.NONE));
    }

    static Map<String, Integer> states(TestServer server) {
        return server.app().notifications().outbox().countByState();
    }

    @Test
    void aRestartMidBatchLosesNoMailAndRepeatsAtMostTheOneInFlight() throws Exception {
        GreenMail mail = MailTesting.smtp();
        MutableClock clock = new MutableClock(NOW);
        // 120 a minute: one every half second, so that the restart falls in the middle of the batch
        try (TestServer server = TestServer.start(clock, true, MailTesting.settings(mail, "notify.rate.per.minute", "120"))) {
            String[] emails = new String[12];
            for (int i = 0; i < emails.length; i++) emails[i] = "r" + i + "@example.org";
            confirmed(server, emails);
            publish(server, "Guasto di prova");
            await(mail, 3);
            server.restart();   // the sender stops mid-batch: claimed rows are left 'sending'
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (states(server).getOrDefault("sent", 0) < emails.length && System.nanoTime() < end) sleep(100);
            assertEquals(emails.length, states(server).getOrDefault("sent", 0), states(server).toString());
            sleep(500);
            Map<String, Long> perRecipient = java.util.Arrays.stream(mail.getReceivedMessages())
                    .collect(Collectors.groupingBy(MailTesting::to, Collectors.counting()));
            assertEquals(emails.length, perRecipient.size(), "every subscriber got the mail: " + perRecipient);
            long twice = perRecipient.values().stream().filter(n -> n > 1).count();
            assertTrue(twice <= 1 && perRecipient.values().stream().allMatch(n -> n <= 2),
                    "at most the one in flight went twice: " + perRecipient);
            // the publish itself never waited for mail
        } finally {
            mail.stop();
        }
    }

    @Test
    void temporaryFailuresAreRetriedWithBackoffAndPermanentOnesSuspendAfterThree() throws Exception {
        MutableClock clock = new MutableClock(NOW);
        try (FakeSmtp smtp = new FakeSmtp();
             TestServer server = TestServer.start(clock, true, Map.of("smtp.host", "127.0.0.1",
                     "smtp.port", String.valueOf(smtp.port()), "smtp.security", "none", "smtp.from", "avvisi@example.org",
                     "notify.rate.per.minute", "0", "notify.batch.window.seconds", "0",
                     // the demo's planned maintenance would be reminded while the clock runs for days here
                     "notify.maintenance.reminder.hours", "0"))) {
            confirmed(server, "ok@example.org", "later@example.org", "bounce@example.org");
            publish(server, "Primo");
            long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while ((states(server).getOrDefault("failed", 0) < 1 || attemptsOf(server, "later@example.org") < 1
                    || smtp.accepted.isEmpty()) && System.nanoTime() < end) sleep(50);
            assertEquals(List.of("ok@example.org"), smtp.accepted);
            Subscriptions subs = server.app().notifications().subscriptions();
            assertEquals(1, subs.byEmail("bounce@example.org").orElseThrow().bounces());
            // the temporary one waits: between 15 and 45 seconds (30 s with jitter)
            long due = dueOf(server, "later@example.org");
            assertTrue(due >= NOW.plusSeconds(15).toEpochMilli() && due <= NOW.plusSeconds(45).toEpochMilli(), "due " + due);
            // still refused for more than a day: tried again and again, given up after notify.retry.hours (48)
            for (int i = 0; i < 60 && states(server).getOrDefault("pending", 0) > 0; i++) {
                clock.advance(Duration.ofHours(1).plusMinutes(31));
                server.app().notifications().sender().orElseThrow().wake();
                long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                int attempts = attemptsOf(server, "later@example.org");
                while (attemptsOf(server, "later@example.org") == attempts && System.nanoTime() < until) sleep(20);
            }
            assertEquals(0, states(server).getOrDefault("pending", 0));
            assertTrue(clock.instant().isAfter(NOW.plus(Duration.ofHours(48))), "kept trying for 48 hours");
            assertTrue(attemptsOf(server, "later@example.org") > 24, "tried about every hour");
            // two more permanent refusals suspend the address: the fourth avviso is not even queued for it
            publish(server, "Secondo");
            end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (subs.byEmail("bounce@example.org").orElseThrow().bounces() < 2 && System.nanoTime() < end) sleep(50);
            publish(server, "Terzo");
            end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (subs.byEmail("bounce@example.org").orElseThrow().suspendedAt() == null && System.nanoTime() < end) sleep(50);
            assertNotNull(subs.byEmail("bounce@example.org").orElseThrow().suspendedAt());
            assertEquals(3, subs.byEmail("bounce@example.org").orElseThrow().bounces());
        }
    }

    private static long dueOf(TestServer server, String email) {
        return server.app().database().read(c -> {
            try (var ps = c.prepareStatement("SELECT o.due_at FROM notify_outbox o JOIN notify_subscriber s ON s.id = o.subscriber_id "
                    + "WHERE s.email = ? ORDER BY o.id DESC LIMIT 1")) {
                ps.setString(1, email);
                var rs = ps.executeQuery();
                return rs.next() ? rs.getLong(1) : -1L;
            }
        });
    }

    private static int attemptsOf(TestServer server, String email) {
        return server.app().database().read(c -> {
            try (var ps = c.prepareStatement("SELECT o.attempts FROM notify_outbox o JOIN notify_subscriber s ON s.id = o.subscriber_id "
                    + "WHERE s.email = ? ORDER BY o.id DESC LIMIT 1")) {
                ps.setString(1, email);
                var rs = ps.executeQuery();
                return rs.next() ? rs.getInt(1) : -1;
            }
        });
    }
}
