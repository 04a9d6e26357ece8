package it.semaforo.notify;

import com.icegreen.greenmail.util.GreenMail;
import it.semaforo.notice.Impact;
import it.semaforo.notice.NoticeDetails;
import it.semaforo.notice.NoticeInput;
import it.semaforo.notice.NoticeKind;
import it.semaforo.service.ServiceState;
import it.semaforo.testing.HtmlChecker;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static it.semaforo.notify.MailTesting.*;
import static org.junit.jupiter.api.Assertions.*;

/** A planned maintenance: announced when published, reminded once 24 hours before its window, in the same thread. */
class MaintenanceReminderTest {
    static final Instant NOW = Instant.parse("2026-12-07T08:00:00Z");

    @Test
    void aMaintenanceIsRemindedOnceADayBefore() throws Exception {
        GreenMail mail = MailTesting.smtp();
        MutableClock clock = new MutableClock(NOW);
        try (TestServer server = TestServer.start(clock, true, MailTesting.settings(mail, "notify.rate.per.minute", "0",
                "notify.batch.window.seconds", "0"))) {
            OutboxDeliveryTest.confirmed(server, "lucia@example.org");
            long albo = server.app().services().load().service("albo-pretorio").orElseThrow().id();
            Instant start = NOW.plus(Duration.ofHours(30));
            long id = server.app().domain().noticeDesk().createPublished(OutboxDeliveryTest.CLERK, new NoticeInput(
                    NoticeKind.MAINTENANCE, "Aggiornamento dell'albo", "L'albo non sarà consultabile.", "Testo.", "it", null,
                    null, start, start.plus(Duration.ofHours(2)),
                    List.of(Impact.onService(albo, ServiceState.MAINTENANCE, "aggiornamento")), NoticeDetails.NONE));
            MimeMessage announced = await(mail, 1).get(0);
            assertTrue(subject(announced).endsWith("manutenzione programmata"), subject(announced));
            sleep(1500);
            assertEquals(1, mail.getReceivedMessages().length, "30 hours before: no reminder yet");
            clock.advance(Duration.ofHours(7));   // 23 hours before the window
            MimeMessage reminder = await(mail, 2).get(1);
            assertTrue(subject(reminder).startsWith("Albo pretorio online: In manutenzione — promemoria: inizia il"), subject(reminder));
            assertEquals(header(announced, "References"), header(reminder, "References"), "same thread");
            assertTrue(part(reminder, "text/plain").contains(BASE + "/it/avvisi/" + id + "-"));
            assertTrue(HtmlChecker.errors(part(reminder, "text/html")).isEmpty(), HtmlChecker.errors(part(reminder, "text/html")).toString());
            assertNotNull(header(reminder, "List-Unsubscribe"));
            clock.advance(Duration.ofHours(1));
            sleep(2500);
            assertEquals(2, mail.getReceivedMessages().length, "once only");
        } finally {
            mail.stop();
        }
    }
}
