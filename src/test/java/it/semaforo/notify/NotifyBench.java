package it.semaforo.notify;

import com.icegreen.greenmail.util.GreenMail;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The benchmark of bench/notify.sh (tagged "bench": not part of ./test): N confirmed
 * subscribers (-Dnotify.bench.subscribers, default 10,000), half of them following the service
 * an avviso suspends; one publish; the publish's latency and the time until the local SMTP
 * server (GreenMail, loopback) has accepted the last mail, with no rate limit.
 */
@Tag("bench")
class NotifyBench {
    @Test
    void tenThousandSubscribersOneAvviso() throws Exception {
        int n = Integer.getInteger("notify.bench.subscribers", 10_000);
        GreenMail mail = MailTesting.smtp();
        MutableClock clock = new MutableClock(Instant.now());
        try (TestServer server = TestServer.start(clock, true, MailTesting.settings(mail, "notify.rate.per.minute", "0",
                "notify.batch.window.seconds", "0"))) {
            long albo = server.app().services().load().service("albo-pretorio").orElseThrow().id();
            long other = server.app().services().load().service("anagrafe").orElseThrow().id();
            server.app().database().write(c -> {
                try (var ps = c.prepareStatement("INSERT INTO notify_subscriber(email, language, everything, services, "
                        + "consent_at, confirmed_at) VALUES (?, ?, 0, ?, 1, 2)")) {
                    for (int i = 0; i < n; i++) {
                        ps.setString(1, "r" + i + "@example.org");
                        ps.setString(2, new String[]{"it", "en", "de", "ja"}[i % 4]);
                        ps.setString(3, "," + (i % 2 == 0 ? albo : other) + ",");
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                return null;
            });
            // publish latency without and with the subscribers' mail to prepare (median of 5 each)
            long[] before = new long[5];
            for (int i = 0; i < 5; i++) {
                long t = System.nanoTime();
                server.app().domain().noticeDesk().createDraft(OutboxDeliveryTest.CLERK, new it.semaforo.notice.NoticeInput(
                        it.semaforo.notice.NoticeKind.INFORMATION, "Bozza " + i, "r", "t", "it", null, null, null, null,
                        java.util.List.of(), it.semaforo.notice.NoticeDetails.NONE));
                before[i] = System.nanoTime() - t;
            }
            long t0 = System.nanoTime();
            OutboxDeliveryTest.publish(server, "Albo pretorio sospeso");
            long publish = System.nanoTime() - t0;
            int expected = (n + 1) / 2;
            while (mail.getReceivedMessages().length < expected && System.nanoTime() - t0 < TimeUnit.MINUTES.toNanos(5)) {
                Thread.sleep(200);   // counting GreenMail's messages walks every mailbox: not too often
            }
            long last = System.nanoTime() - t0;
            Arrays.sort(before);
            System.out.printf("notify bench: %d subscribers, %d following; publish %d ms (a draft: %d ms median); "
                            + "last of %d mails accepted by the SMTP server after %.1f s (%.0f mails/s)%n", n, expected,
                    publish / 1_000_000, before[2] / 1_000_000, mail.getReceivedMessages().length, last / 1e9,
                    mail.getReceivedMessages().length / (last / 1e9));
            assertEquals(expected, mail.getReceivedMessages().length);
        } finally {
            mail.stop();
        }
    }
}
