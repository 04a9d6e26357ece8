package it.semaforo.notify;

import com.icegreen.greenmail.util.GreenMail;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static it.semaforo.notify.MailTesting.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Against GreenMail, with the clock moved by hand: one confirmation mail per address per hour,
 * a new one replacing the old link; a confirmation token that works for 48 hours and not after;
 * unconfirmed addresses, their tokens and their outbox rows erased by the sender's housekeeping
 * after 48 hours while a confirmed address stays; the token not kept in the outbox once its mail
 * is sent; an internationalised domain signed up and mailed as its A-label.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SubscriptionRetentionTest {
    static final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T08:00:00Z"));
    static final GreenMail mail = MailTesting.smtp();
    @RegisterExtension
    static final TestServer server = TestServer.demo(clock, MailTesting.settings(mail,
            "notify.signups.per.hour.per.address", "1000", "notify.rate.per.minute", "0"));

    @AfterAll
    static void stopSmtp() {
        mail.stop();
    }

    @Test
    @Order(1)
    void oneConfirmationPerAddressPerHourAndTheNewLinkReplacesTheOld() {
        assertEquals(200, signUp(server, "anna@example.org").statusCode());
        String first = token(mailTo("anna@example.org", 1));
        clock.advance(Duration.ofMinutes(59));
        assertEquals(200, signUp(server, "anna@example.org").statusCode());
        sleep(1_500);
        assertEquals(1, mailsTo("anna@example.org"), "no second mail within the hour");
        clock.advance(Duration.ofMinutes(2));
        assertEquals(200, signUp(server, "anna@example.org").statusCode());
        String second = token(mailTo("anna@example.org", 2));
        assertNotEquals(first, second);
        assertEquals(404, confirm(first), "the older link died with the new one");
        assertEquals(200, confirm(second));
        assertEquals(404, confirm(second), "used once");
        assertTrue(subscriptions().byEmail("anna@example.org").orElseThrow().confirmed());
    }

    @Test
    @Order(2)
    void unconfirmedAddressesAndTheirTokensAreErasedAfter48Hours() {
        assertEquals(200, signUp(server, "bruno@example.org").statusCode());
        String bruno = token(mailTo("bruno@example.org", 1));
        assertEquals(200, signUp(server, "carlo@example.org").statusCode());
        String carlo = token(mailTo("carlo@example.org", 1));
        long brunoId = subscriptions().byEmail("bruno@example.org").orElseThrow().id();
        assertEquals(0, count("SELECT COUNT(*) FROM notify_outbox WHERE payload LIKE '%" + bruno + "%'"),
                "the token in clear leaves the outbox row once its mail is sent");

        clock.advance(Duration.ofHours(48).minusMinutes(1));
        assertEquals(200, confirm(carlo), "still valid a minute before 48 hours");
        clock.advance(Duration.ofMinutes(2));
        assertEquals(404, confirm(bruno), "not after 48 hours");
        assertFalse(subscriptions().byEmail("bruno@example.org").orElseThrow().confirmed());

        // the sender's housekeeping (every 10 minutes of its clock) erases the address, its token, its rows
        clock.advance(Duration.ofMinutes(11));
        long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (subscriptions().byEmail("bruno@example.org").isPresent() && System.nanoTime() < end) sleep(100);
        assertTrue(subscriptions().byEmail("bruno@example.org").isEmpty(), "the unconfirmed address is erased");
        assertEquals(0, count("SELECT COUNT(*) FROM notify_token WHERE subscriber_id = " + brunoId));
        assertEquals(0, count("SELECT COUNT(*) FROM notify_outbox WHERE subscriber_id = " + brunoId));
        assertEquals(0, count("SELECT COUNT(*) FROM notify_subscriber WHERE confirmed_at IS NULL"), "no unconfirmed address left");
        assertTrue(subscriptions().byEmail("carlo@example.org").orElseThrow().confirmed(), "a confirmed address stays");
        assertTrue(subscriptions().byEmail("anna@example.org").orElseThrow().confirmed());
    }

    @Test
    @Order(3)
    void anInternationalisedDomainIsMailedAsItsALabel() {
        // (the demo's own avvisi, moved on by two days, mail the confirmed subscribers meanwhile: count by recipient)
        assertEquals(200, signUp(server, "anna@bücher.example").statusCode());
        mailTo("anna@xn--bcher-kva.example", 1);
        assertEquals(1, mailsTo("anna@xn--bcher-kva.example"), "the confirmation, to the A-label");
        assertTrue(subscriptions().byEmail("anna@xn--bcher-kva.example").isPresent());
        // a non-ASCII local part is refused with a message, and nothing is sent
        var refused = signUp(server, "müller@example.org");
        assertEquals(400, refused.statusCode());
        assertTrue(refused.body().contains("alert-danger"));
        sleep(1_000);
        assertEquals(0, mailsTo("müller@example.org"));
        assertTrue(subscriptions().byEmail("müller@example.org").isEmpty());
    }

    /** The n-th mail to an address (1 = the first), waiting up to 15 s for it. */
    static MimeMessage mailTo(String address, int n) {
        long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (mailsTo(address) < n && System.nanoTime() < end) sleep(50);
        List<MimeMessage> to = java.util.Arrays.stream(mail.getReceivedMessages()).filter(m -> to(m).equals(address)).toList();
        assertTrue(to.size() >= n, "expected " + n + " mails to " + address + ", got " + to.size());
        return to.get(n - 1);
    }

    static long mailsTo(String address) {
        return java.util.Arrays.stream(mail.getReceivedMessages()).filter(m -> to(m).equals(address)).count();
    }

    static Subscriptions subscriptions() {
        return server.app().notifications().subscriptions();
    }

    static String token(MimeMessage confirmation) {
        String url = link(part(confirmation, "text/plain"), "/iscrizione/conferma");
        return url.substring(url.indexOf("t=") + 2);
    }

    static int confirm(String token) {
        return post(server, "/iscrizione/conferma", Map.of("t", token)).statusCode();
    }

    static int count(String sql) {
        return server.app().database().read(c -> {
            try (var st = c.createStatement(); var rs = st.executeQuery(sql)) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }
}
