package it.semaforo.notify;

import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.util.GreenMail;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static it.semaforo.notify.MailTesting.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * notify.rate.per.minute is honoured: at 60 a minute, the six mails of one avviso reach the SMTP
 * server (GreenMail, whose own clock stamps each message received) about a second apart, not
 * all within a fraction of a second as they do without a limit; every one of them goes.
 */
class SendingRateTest {
    static final int RATE = 60, MAILS = 6;

    @Test
    void mailsGoNoFasterThanTheConfiguredRate() {
        GreenMail mail = MailTesting.smtp();
        MutableClock clock = new MutableClock(OutboxDeliveryTest.NOW);
        try (TestServer server = TestServer.start(clock, true, MailTesting.settings(mail,
                "notify.rate.per.minute", String.valueOf(RATE), "notify.batch.window.seconds", "0",
                "notify.maintenance.reminder.hours", "0"))) {
            String[] emails = new String[MAILS];
            for (int i = 0; i < MAILS; i++) emails[i] = "ritmo" + i + "@example.org";
            OutboxDeliveryTest.confirmed(server, emails);
            OutboxDeliveryTest.publish(server, "Guasto al ritmo del fornitore");
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (received(mail).size() < MAILS && System.nanoTime() < end) sleep(100);
            sleep(1_500);   // none beyond the six
            List<Long> at = received(mail);
            assertEquals(MAILS, at.size(), "every subscriber's mail went: " + at);
            long interval = 60_000 / RATE;
            // the sender starts each mail an interval after the one before; the first also opens the
            // connection, so it may arrive late, close to the second: counted from the second, and
            // never three within one interval
            long span = at.get(at.size() - 1) - at.get(1);
            assertTrue(span >= (MAILS - 2) * interval - 300, "from the second to the sixth at " + RATE + " a minute: at least "
                    + ((MAILS - 2) * interval) + " ms, took " + span + " ms; gaps " + gaps(at));
            for (int i = 2; i < at.size(); i++) {
                assertTrue(at.get(i) - at.get(i - 2) >= interval, "no three mails within " + interval + " ms: gaps " + gaps(at));
            }
        } finally {
            mail.stop();
        }
    }

    /** When GreenMail received each message (its own timestamp), in order. */
    private static List<Long> received(GreenMail mail) {
        List<Long> at = new ArrayList<>();
        for (StoredMessage m : mail.getManagers().getImapHostManager().getAllMessages()) at.add(m.getReceivedDate().getTime());
        at.sort(null);
        return at;
    }

    private static List<Long> gaps(List<Long> at) {
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < at.size(); i++) gaps.add(at.get(i) - at.get(i - 1));
        return gaps;
    }
}
