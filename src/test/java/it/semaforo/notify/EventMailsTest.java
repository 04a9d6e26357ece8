package it.semaforo.notify;

import com.icegreen.greenmail.util.GreenMail;
import it.semaforo.notice.Impact;
import it.semaforo.notice.NoticeDetails;
import it.semaforo.notice.NoticeInput;
import it.semaforo.notice.NoticeKind;
import it.semaforo.service.Service;
import it.semaforo.service.ServiceState;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static it.semaforo.notify.MailTesting.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Who is told of what, against GreenMail, with the clock moved by hand: a scheduled avviso
 * mails no one before its time and then those who follow its service, directly or through its
 * group; a security advisory reaches those who follow that kind whatever the service; a
 * withdrawal, an avviso ended by the clock at its scadenza, a maintenance's window opening and
 * closing are each told; a subscriber in English gets the frame in English and is told the
 * avviso is in Italian only; an unconfirmed address receives nothing but its confirmation (here:
 * nothing at all).
 */
class EventMailsTest {
    static final Instant NOW = Instant.parse("2026-12-07T08:00:00Z");
    static final String ALL = "tutto@example.org", GROUP = "gruppo@example.org", KIND = "sicurezza@example.org",
            OTHER = "altro@example.org", ENGLISH = "english@example.org", WAITING = "attesa@example.org";

    @Test
    void eachPublicEventReachesWhoFollowsItAndNoOneElse() {
        GreenMail mail = MailTesting.smtp();
        MutableClock clock = new MutableClock(NOW);
        try (TestServer server = TestServer.start(clock, true, MailTesting.settings(mail, "notify.rate.per.minute", "0",
                "notify.batch.window.seconds", "0", "notify.maintenance.reminder.hours", "0"))) {
            var catalog = server.app().services().load();
            Service albo = catalog.service("albo-pretorio").orElseThrow();
            Service other = catalog.services().stream().filter(s -> s.groupId() != albo.groupId()).findFirst().orElseThrow();
            subscriber(server, ALL, "it", true, "", "", "", true);
            subscriber(server, GROUP, "it", false, "", "," + albo.groupId() + ",", "", true);
            subscriber(server, KIND, "it", false, "", "", ",sicurezza,violazione-dati,", true);
            subscriber(server, OTHER, "it", false, "," + other.id() + ",", "", "", true);
            subscriber(server, ENGLISH, "en", true, "", "", "", true);
            subscriber(server, WAITING, "it", true, "", "", "", false);
            var desk = server.app().domain().noticeDesk();

            // scheduled an hour ahead: nothing before its time, then those who follow the albo
            long scheduled = desk.createPublished(OutboxDeliveryTest.CLERK, new NoticeInput(NoticeKind.OUTAGE,
                    "Albo pretorio sospeso stanotte", "La consultazione sarà sospesa.", "Testo.", "it", NOW.plus(Duration.ofHours(1)),
                    null, null, null, List.of(Impact.onService(albo.id(), ServiceState.SUSPENDED, "lavori")), NoticeDetails.NONE));
            sleep(2_000);
            assertEquals(0, mail.getReceivedMessages().length, "a scheduled avviso is told at its time, not before");
            // (from here the clock moves: the demo's own avvisi mail those who follow everything too)
            clock.advance(Duration.ofMinutes(61));
            Map<String, MimeMessage> became = next(mail, scheduled, 3);
            assertEquals(Set.of(ALL, GROUP, ENGLISH), became.keySet(), "the service's followers, its group's included");
            assertTrue(subject(became.get(ALL)).endsWith("nuovo avviso"), subject(became.get(ALL)));
            assertFalse(part(became.get(ALL), "text/plain").contains("published in"));
            MimeMessage english = became.get(ENGLISH);
            assertTrue(subject(english).endsWith("new notice"), subject(english));
            assertTrue(part(english, "text/plain").contains("This notice is published in Italian only."), part(english, "text/plain"));
            assertTrue(part(english, "text/html").contains("This notice is published in Italian only."));
            assertTrue(part(english, "text/plain").contains(BASE + "/en/avvisi/" + scheduled + "-"), "the public link in English");

            // a security advisory on a service of another group: those who follow the kind, or that service
            long security = desk.createPublished(OutboxDeliveryTest.CLERK, new NoticeInput(NoticeKind.SECURITY,
                    "Messaggi falsi a nome del Comune", "Non aprite i collegamenti.", "Testo.", "it", null, null, null, null,
                    List.of(Impact.onService(other.id(), ServiceState.OPERATIONAL, null)), NoticeDetails.NONE));
            Map<String, MimeMessage> advisory = next(mail, security, 4);
            assertEquals(Set.of(ALL, KIND, OTHER, ENGLISH), advisory.keySet(), "not the albo's group");

            // the first avviso withdrawn: told to the same three as its publication
            desk.withdraw(OutboxDeliveryTest.CLERK, scheduled, "Pubblicato per errore.");
            Map<String, MimeMessage> withdrawn = next(mail, scheduled, 3);
            assertEquals(Set.of(ALL, GROUP, ENGLISH), withdrawn.keySet());
            assertTrue(subject(withdrawn.get(ALL)).endsWith("ritirato"), subject(withdrawn.get(ALL)));
            assertEquals(header(became.get(ALL), "References"), header(withdrawn.get(ALL), "References"), "one thread");

            // an outage of the albo with a scadenza: published, then ended by the clock at its scadenza
            Instant expiry = clock.instant().plus(Duration.ofMinutes(30));
            long expiring = desk.createPublished(OutboxDeliveryTest.CLERK, new NoticeInput(NoticeKind.OUTAGE,
                    "Albo pretorio rallentato", "La consultazione è lenta.", "Testo.", "it", null, expiry, null, null,
                    List.of(Impact.onService(albo.id(), ServiceState.DEGRADED, "lentezza")), NoticeDetails.NONE));
            Map<String, MimeMessage> published = next(mail, expiring, 3);
            assertEquals(Set.of(ALL, GROUP, ENGLISH), published.keySet());
            assertTrue(part(published.get(ALL), "text/plain").contains("Scadenza: "), part(published.get(ALL), "text/plain"));
            clock.advance(Duration.ofMinutes(31));
            Map<String, MimeMessage> expired = next(mail, expiring, 3);
            assertEquals(Set.of(ALL, GROUP, ENGLISH), expired.keySet(), "its end is told to those told of its start");
            assertTrue(subject(expired.get(GROUP)).endsWith("concluso alla scadenza"), subject(expired.get(GROUP)));
            assertTrue(subject(expired.get(ENGLISH)).endsWith("ended at its expiry"), subject(expired.get(ENGLISH)));
            assertEquals(header(published.get(GROUP), "References"), header(expired.get(GROUP), "References"), "one thread");

            // a maintenance of the albo: announced, its window opening and closing
            Instant start = clock.instant().plus(Duration.ofHours(2));
            long maintenance = desk.createPublished(OutboxDeliveryTest.CLERK, new NoticeInput(NoticeKind.MAINTENANCE, "Aggiornamento dell'albo",
                    "L'albo non sarà consultabile.", "Testo.", "it", null, null, start, start.plus(Duration.ofHours(1)),
                    List.of(Impact.onService(albo.id(), ServiceState.MAINTENANCE, "aggiornamento")), NoticeDetails.NONE));
            Map<String, MimeMessage> announced = next(mail, maintenance, 3);
            assertEquals(Set.of(ALL, GROUP, ENGLISH), announced.keySet());
            assertTrue(subject(announced.get(GROUP)).endsWith("manutenzione programmata"), subject(announced.get(GROUP)));
            clock.advance(Duration.ofHours(2).plusMinutes(1));
            Map<String, MimeMessage> started = next(mail, maintenance, 3);
            assertTrue(subject(started.get(GROUP)).endsWith("manutenzione iniziata"), subject(started.get(GROUP)));
            assertTrue(subject(started.get(ENGLISH)).endsWith("maintenance started"), subject(started.get(ENGLISH)));
            clock.advance(Duration.ofHours(1));
            Map<String, MimeMessage> ended = next(mail, maintenance, 3);
            assertEquals(Set.of(ALL, GROUP, ENGLISH), ended.keySet());
            assertTrue(subject(ended.get(GROUP)).endsWith("manutenzione conclusa"), subject(ended.get(GROUP)));

            // a security advisory to 1,234 more who follow that kind: their rows are written
            // EventMails.CHUNK at a time (three transactions), each subscriber's exactly once
            server.app().database().write(c -> {
                try (var ps = c.prepareStatement("INSERT INTO notify_subscriber(email, language, everything, kinds, consent_at, "
                        + "confirmed_at) VALUES (?, 'it', 0, ',sicurezza,', 1, 2)")) {
                    for (int i = 0; i < 1234; i++) {
                        ps.setString(1, "molti" + i + "@example.org");
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                return null;
            });
            desk.createPublished(OutboxDeliveryTest.CLERK, new NoticeInput(NoticeKind.SECURITY,
                    "Aggiornate la password", "Un servizio esterno è stato violato.", "Testo.", "it", null,
                    null, null, null, List.of(Impact.onService(other.id(), ServiceState.OPERATIONAL, null)), NoticeDetails.NONE));
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            String rows = "SELECT COUNT(*), COUNT(DISTINCT o.subscriber_id) FROM notify_outbox o JOIN notify_subscriber s "
                    + "ON s.id = o.subscriber_id WHERE o.purpose = 'events' AND s.email LIKE 'molti%'";   // they follow only this
            while (countPair(server, rows)[0] < 1234 && System.nanoTime() < end) sleep(100);
            sleep(500);
            assertArrayEquals(new int[]{1234, 1234}, countPair(server, rows), "one row for each, none twice; "
                    + server.app().domain().subscribers().status() + " " + countPair(server,
                    "SELECT COUNT(*), SUM(confirmed_at IS NOT NULL) FROM notify_subscriber WHERE email LIKE 'molti%'")[0]);
            assertTrue(Arrays.stream(mail.getReceivedMessages()).noneMatch(m -> to(m).equals(WAITING)),
                    "nothing ever went to the unconfirmed address");
        } finally {
            mail.stop();
        }
    }

    private final Set<String> seen = new java.util.HashSet<>();

    /**
     * The next count mails of one avviso's thread, by recipient, checking that no more follow
     * within a second (the demo's own avvisi, moved on by the clock, mail those who follow
     * everything too: only this thread is counted).
     */
    private Map<String, MimeMessage> next(GreenMail mail, long notice, int count) {
        String thread = "<semaforo.avviso." + notice + "@stato.comune.example.it>";
        long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (fresh(mail, thread).size() < count && System.nanoTime() < end) sleep(50);
        sleep(1_000);
        List<MimeMessage> fresh = fresh(mail, thread);
        assertEquals(count, fresh.size(), "mails of " + thread + " to " + fresh.stream().map(MailTesting::to).toList());
        fresh.forEach(m -> seen.add(header(m, "Message-ID")));
        Map<String, MimeMessage> byRecipient = fresh.stream().collect(Collectors.toMap(MailTesting::to, m -> m, (a, b) -> {
            throw new AssertionError("two mails to " + to(a) + ": " + subject(a) + " / " + subject(b));
        }));
        return byRecipient;
    }

    private List<MimeMessage> fresh(GreenMail mail, String thread) {
        return Arrays.stream(mail.getReceivedMessages())
                .filter(m -> thread.equals(header(m, "References")) && !seen.contains(header(m, "Message-ID"))).toList();
    }

    static int[] countPair(TestServer server, String sql) {
        return server.app().database().read(c -> {
            try (var st = c.createStatement(); var rs = st.executeQuery(sql)) {
                rs.next();
                return new int[]{rs.getInt(1), rs.getInt(2)};
            }
        });
    }

    static void subscriber(TestServer server, String email, String language, boolean everything, String services,
                           String groups, String kinds, boolean confirmed) {
        server.app().database().write(c -> {
            try (var ps = c.prepareStatement("INSERT INTO notify_subscriber(email, language, everything, services, groups, "
                    + "kinds, consent_at, confirmed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, email);
                ps.setString(2, language);
                ps.setInt(3, everything ? 1 : 0);
                ps.setString(4, services);
                ps.setString(5, groups);
                ps.setString(6, kinds);
                ps.setLong(7, NOW.toEpochMilli());
                if (confirmed) ps.setLong(8, NOW.toEpochMilli());
                else ps.setNull(8, java.sql.Types.INTEGER);
                ps.executeUpdate();
            }
            return null;
        });
    }
}
