package it.semaforo.notify;

import com.icegreen.greenmail.util.GreenMail;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static it.semaforo.notify.MailTesting.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Hostile input at the sign-up and in mail headers: malformed, oversized and unicode addresses,
 * CR/LF anywhere, forms from elsewhere, a flood from one client address, guessed tokens.
 */
class SubscriptionHostileTest {
    static final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T08:00:00Z"));
    static final GreenMail mail = MailTesting.smtp();
    @RegisterExtension
    static final TestServer server = TestServer.demo(clock, MailTesting.settings(mail,
            "notify.signups.per.hour.per.address", "6", "notify.rate.per.minute", "0"));

    @AfterAll
    static void stopSmtp() {
        mail.stop();
    }

    @Test
    void addressesAreCheckedAndNormalised() {
        assertEquals(Optional.of("maria.rossi+avvisi@example.org"), SubscriptionRoutes.normalise("maria.rossi+avvisi@Example.ORG"));
        assertEquals(Optional.of("anna@xn--bcher-kva.example"), SubscriptionRoutes.normalise("anna@bücher.example"),
                "an internationalised domain becomes its A-label");
        for (String bad : new String[]{"", "a", "a@b", "@example.org", "a@", "a@@example.org", "müller@example.org",
                "a b@example.org", "Maria <m@example.org>", "<m@example.org>", "m@example.org, n@example.org",
                "m@example.org\r\nBcc: x@evil.example", "m\n@example.org", "m@exa\u2028mple.org",
                "a".repeat(65) + "@example.org", "a@" + "b".repeat(250) + ".org", "m@-example.org", "m@example.o"}) {
            assertEquals(Optional.empty(), SubscriptionRoutes.normalise(bad), bad);
        }
    }

    @Test
    void badAddressesAndForeignFormsAreRefusedWithoutMail() {
        int before = mail.getReceivedMessages().length;
        HttpResponse<String> crlf = signUp(server, "m@example.org\r\nBcc: x@evil.example");
        assertEquals(400, crlf.statusCode());
        assertTrue(crlf.body().contains("alert-danger"));
        assertFalse(crlf.body().contains("\r\nBcc"), "the refused value is not echoed with its line break");
        assertEquals(400, signUp(server, "x".repeat(100_000) + "@example.org").statusCode());
        // no form token, a forged one, and a form posted from another site
        assertEquals(403, post(server, "/iscrizione", Map.of("email", "m@example.org", "consent", "1")).statusCode());
        assertEquals(403, post(server, "/iscrizione", Map.of("email", "m@example.org", "consent", "1",
                "form", Instant.now().getEpochSecond() + ".AAAA")).statusCode());
        assertEquals(403, post(server, "/iscrizione", Map.of("email", "m@example.org", "consent", "1",
                "form", formToken(server)), "Origin", "https://evil.example").statusCode());
        // without consent, nothing
        assertEquals(400, post(server, "/iscrizione", Map.of("email", "m@example.org", "form", formToken(server))).statusCode());
        sleep(300);
        assertEquals(before, mail.getReceivedMessages().length);
    }

    @Test
    void oneClientAddressCannotFloodInboxes() {
        int accepted = 0;
        int throttled = 0;
        for (int i = 0; i < 10; i++) {
            // a forged X-Forwarded-For changes nothing: no proxy of ours is configured (proxy.trusted)
            int status = post(server, "/iscrizione", Map.of("form", formToken(server), "email", "flood" + i + "@example.org",
                    "consent", "1"), "X-Forwarded-For", "203.0.113." + i).statusCode();
            if (status == 200) accepted++;
            if (status == 429) throttled++;
        }
        assertTrue(accepted <= 6 && throttled >= 4, accepted + " accepted, " + throttled + " throttled");
    }

    @Test
    void guessedOrMalformedTokensFindNothing() {
        for (String t : new String[]{"", "1", "1.", "1.AAAA", "999999999999999999999.x", Tokens.random(), "../../etc", "x".repeat(5000)}) {
            assertEquals(404, post(server, "/iscrizione/disiscrivi?t=" + java.net.URLEncoder.encode(t, java.nio.charset.StandardCharsets.UTF_8),
                    "List-Unsubscribe=One-Click").statusCode(), t);
            assertEquals(404, post(server, "/iscrizione/conferma", Map.of("t", t)).statusCode(), t);
            assertEquals(404, server.get("/iscrizione/gestisci?t=" + java.net.URLEncoder.encode(t, java.nio.charset.StandardCharsets.UTF_8)).statusCode());
        }
    }

    @Test
    void noHeaderCarriesALineBreak() throws Exception {
        mail.purgeEmailFromAllMailboxes();
        NotifySettings.Smtp smtp = new NotifySettings.Smtp("127.0.0.1", mail.getSmtp().getPort(), NotifySettings.Security.NONE,
                "", "", "avvisi@example.org", "");
        try (Mailer mailer = new Mailer(smtp)) {
            mailer.send(new Mailer.Mail("victim@example.org", "Avviso\r\nBcc: evil@evil.example\r\n\r\nciao", "testo", "<p>html</p>",
                    "<x.1@example.org>", "<t@example.org>", "https://stato.example/iscrizione/disiscrivi?t=1\r\nBcc: evil@evil.example",
                    Instant.now()));
        }
        await(mail, 1);
        sleep(300);
        assertEquals(0, mail.getReceivedMessagesForDomain("evil.example").length, "no injected recipient");
        MimeMessage m = java.util.Arrays.stream(mail.getReceivedMessages()).filter(x -> to(x).equals("victim@example.org"))
                .findFirst().orElseThrow();
        assertNull(m.getHeader("Bcc"));
        assertEquals("Avviso Bcc: evil@evil.example ciao", m.getSubject());
        assertFalse(header(m, "List-Unsubscribe").contains("\n"));
    }
}
