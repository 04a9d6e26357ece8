package it.semaforo.notify;

import com.icegreen.greenmail.util.GreenMail;
import it.semaforo.audit.Actor;
import it.semaforo.notice.Impact;
import it.semaforo.notice.NoticeDetails;
import it.semaforo.notice.NoticeInput;
import it.semaforo.notice.NoticeKind;
import it.semaforo.notice.UpdateInput;
import it.semaforo.service.ServiceState;
import it.semaforo.testing.HtmlChecker;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import jakarta.mail.internet.MimeMessage;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static it.semaforo.notify.MailTesting.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A resident's whole journey against a real SMTP server (GreenMail on loopback): the form,
 * the confirmation mail and its link, the mails of an avviso's life (headers, both parts, the
 * thread, the batching window), the manage page and the RFC 8058 one-click unsubscribe, which
 * erases the address. Every mail is parsed back; every HTML part goes through the Nu checker.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SubscriptionMailTest {
    static final Instant NOW = Instant.parse("2026-12-07T08:00:00Z");
    static final MutableClock clock = new MutableClock(NOW);
    static final GreenMail mail = MailTesting.smtp();
    @RegisterExtension
    static final TestServer server = TestServer.demo(clock, MailTesting.settings(mail, "notify.rate.per.minute", "0"));
    static final Actor CLERK = new Actor(null, "test", "Test", "127.0.0.1");

    @AfterAll
    static void stopSmtp() {
        mail.stop();
    }

    static long serviceId(String slug) {
        return server.app().services().load().service(slug).orElseThrow().id();
    }

    static void assertValidHtml(String html) {
        List<HtmlChecker.Problem> errors = HtmlChecker.errors(html);
        assertTrue(errors.isEmpty(), errors + "\n" + html);
    }

    @Test
    @Order(1)
    void theFormIsValidHtmlAndPresetsTheServiceOfThePage() {
        assertTrue(Jsoup.parse(server.get("/").body()).select("a[href=/iscrizione]").size() == 1, "a link on the home page");
        HttpResponse<String> servicePage = server.get("/en/servizi/albo-pretorio");
        assertValidHtml(servicePage.body());
        assertEquals(1, Jsoup.parse(servicePage.body()).select("a[href=/en/iscrizione?servizio=albo-pretorio]").size(),
                "a link on the service page, keeping its language and presetting the service");
        HttpResponse<String> r = server.get("/en/iscrizione?servizio=albo-pretorio");
        assertEquals(200, r.statusCode());
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""));
        assertValidHtml(r.body());
        var d = Jsoup.parse(r.body());
        assertEquals("en", d.selectFirst("html").attr("lang"));
        assertTrue(d.selectFirst("#service-" + serviceId("albo-pretorio")).hasAttr("checked"));
        assertFalse(d.selectFirst("#everything").hasAttr("checked"));
        assertTrue(d.selectFirst("#language option[value=en]").hasAttr("selected"));
        assertTrue(d.text().contains("Titolare del trattamento"), "the Italian privacy notice is the default");
        assertTrue(d.select("script").isEmpty(), "no JavaScript needed");
        assertTrue(d.select("meta[name=description]").attr("content").startsWith("We write to you when"),
                "the form's own description (for search engines and shared links), not the site's");
    }

    @Test
    @Order(2)
    void signingUpSendsOneConfirmationAndSaysTheSameWhateverTheAddress() throws Exception {
        HttpResponse<String> first = signUp(server, "maria@example.org", "service", String.valueOf(serviceId("albo-pretorio")),
                "language", "it");
        assertEquals(200, first.statusCode(), first.body());
        MimeMessage confirmation = await(mail, 1).get(0);
        assertEquals("maria@example.org", to(confirmation));
        assertTrue(subject(confirmation).startsWith("Conferma l'iscrizione"), subject(confirmation));
        assertNull(header(confirmation, "List-Unsubscribe"), "not subscribed yet: nothing to unsubscribe from");
        String text = part(confirmation, "text/plain");
        String html = part(confirmation, "text/html");
        assertValidHtml(html);
        assertFalse(html.contains("<img") || html.contains("<script"), html);
        String url = link(text, "/iscrizione/conferma");
        assertTrue(url.substring(url.indexOf("t=") + 2).length() >= 43, "at least 256 bits, base64url");
        assertTrue(html.contains(url), "the HTML part has the same link");
        // only its hash is stored
        String token = url.substring(url.indexOf("t=") + 2);
        int stored = server.app().database().read(c -> {
            try (var ps = c.prepareStatement("SELECT COUNT(*) FROM notify_token WHERE hash = ?")) {
                ps.setString(1, Tokens.sha256(token));
                var rs = ps.executeQuery();
                rs.next();
                return rs.getInt(1);
            }
        });
        assertEquals(1, stored);
        // again within the hour: the same answer, no second mail (no inbox bombing, no enumeration)
        HttpResponse<String> again = signUp(server, "maria@example.org");
        assertEquals(200, again.statusCode());
        HttpResponse<String> other = signUp(server, "nobody@example.org");
        assertEquals(Jsoup.parse(first.body()).selectFirst("main").text(), Jsoup.parse(again.body()).selectFirst("main").text());
        assertTrue(Jsoup.parse(first.body()).select("meta[name=description]").attr("content").startsWith("Se l'indirizzo può ricevere"),
                "the answer's description is its own text");
        assertEquals(Jsoup.parse(first.body()).selectFirst("main").text(), Jsoup.parse(other.body()).selectFirst("main").text());
        await(mail, 2);
        sleep(500);
        assertEquals(2, mail.getReceivedMessages().length, "one to maria, one to nobody: maria's second sign-up sent nothing");
        // confirming: the link's page changes nothing, its button does, once
        HttpResponse<String> page = server.get(local(url));
        assertEquals(200, page.statusCode());
        assertValidHtml(page.body());
        assertFalse(server.app().notifications().subscriptions().byEmail("maria@example.org").orElseThrow().confirmed());
        String action = Jsoup.parse(page.body()).selectFirst("main form").attr("action");
        assertEquals(200, post(server, action, Map.of("t", token)).statusCode());
        assertTrue(server.app().notifications().subscriptions().byEmail("maria@example.org").orElseThrow().confirmed());
        assertEquals(404, post(server, action, Map.of("t", token)).statusCode(), "single use");
        assertEquals(404, post(server, action, Map.of("t", Tokens.random())).statusCode(), "a guessed token");
    }

    @Test
    @Order(3)
    void anAvvisoLifeArrivesThreadedInBothPartsAndBatchedWithinTheWindow() throws Exception {
        mail.purgeEmailFromAllMailboxes();
        long albo = serviceId("albo-pretorio");
        long id = server.app().domain().noticeDesk().createPublished(CLERK, new NoticeInput(NoticeKind.OUTAGE,
                "Albo pretorio non raggiungibile", "La consultazione dell'albo è sospesa.", "Testo.", "it", null, null, null,
                null, List.of(Impact.onService(albo, ServiceState.SUSPENDED, "guasto")), NoticeDetails.NONE));
        MimeMessage published = await(mail, 1).get(0);
        assertEquals("maria@example.org", to(published));
        assertEquals("Albo pretorio online: Sospeso — nuovo avviso", subject(published));
        String text = part(published, "text/plain");
        String html = part(published, "text/html");
        assertValidHtml(html);
        assertFalse(html.contains("<img") || html.contains("<script"));
        assertTrue(text.contains("Albo pretorio non raggiungibile") && text.contains("Sospeso (prima: Attivo)"), text);
        String notice = server.app().notices().find(id).orElseThrow().path();
        assertTrue(text.contains(BASE + "/it" + notice), text);
        assertEquals(200, server.get("/it" + notice).statusCode(), "the public link works");
        String thread = "<semaforo.avviso." + id + "@stato.comune.example.it>";
        assertEquals(thread, header(published, "References"));
        assertEquals(thread, header(published, "In-Reply-To"));
        assertNotNull(header(published, "Message-ID"));
        assertEquals("List-Unsubscribe=One-Click", header(published, "List-Unsubscribe-Post"));
        assertTrue(header(published, "List-Unsubscribe").startsWith("<" + BASE + "/iscrizione/disiscrivi?t="));
        assertEquals("urp@comune.roccaverde.example", published.getReplyTo()[0].toString());

        // two updates within two minutes of that mail: one mail with both, when the window closes
        server.app().domain().noticeDesk().addUpdate(CLERK, id, new UpdateInput("Stiamo lavorando.", List.of(), false));
        server.app().domain().noticeDesk().addUpdate(CLERK, id, new UpdateInput("Quasi.", List.of(), false));
        sleep(2500);
        assertEquals(1, mail.getReceivedMessages().length, "held until the window closes");
        clock.advance(Duration.ofSeconds(121));
        MimeMessage updates = await(mail, 2).get(1);
        assertEquals("Albo pretorio online: Sospeso — aggiornamento n. 2", subject(updates));
        assertTrue(part(updates, "text/plain").contains("aggiornamento n. 1 · aggiornamento n. 2"), part(updates, "text/plain"));
        assertEquals(thread, header(updates, "References"), "same thread");
        assertNotEquals(header(published, "Message-ID"), header(updates, "Message-ID"));

        // a correction sends nothing; the end does
        clock.advance(Duration.ofMinutes(5));
        server.app().domain().noticeDesk().addUpdate(CLERK, id, new UpdateInput("Risolto.", List.of(
                Impact.onService(albo, ServiceState.OPERATIONAL, null)), true));
        MimeMessage resolved = await(mail, 3).get(2);
        assertTrue(subject(resolved).startsWith("Albo pretorio online: Attivo — risolto"), subject(resolved));
    }

    @Test
    @Order(4)
    void theManagePageChangesTheLanguageAndOneClickUnsubscribeErases() throws Exception {
        MimeMessage last = mail.getReceivedMessages()[mail.getReceivedMessages().length - 1];
        String manage = link(part(last, "text/plain"), "/iscrizione/gestisci");
        HttpResponse<String> page = server.get(local(manage));
        assertEquals(200, page.statusCode(), page.body());
        assertValidHtml(page.body());
        assertTrue(page.body().contains("maria@example.org"));
        String token = manage.substring(manage.indexOf("t=") + 2);
        HttpResponse<String> saved = post(server, "/it/iscrizione/gestisci", Map.of("t", token, "language", "en", "everything", "1"));
        assertEquals(200, saved.statusCode());
        assertEquals("en", server.app().notifications().subscriptions().byEmail("maria@example.org").orElseThrow().language());
        // a tampered token is refused
        assertEquals(404, server.get("/iscrizione/gestisci?t=" + token.substring(0, token.length() - 2) + "xx").statusCode());

        String unsubscribe = header(last, "List-Unsubscribe");
        String url = unsubscribe.substring(1, unsubscribe.length() - 1);
        HttpResponse<String> gone = post(server, local(url), "List-Unsubscribe=One-Click");
        assertEquals(200, gone.statusCode(), gone.body());
        assertTrue(server.app().notifications().subscriptions().byEmail("maria@example.org").isEmpty(), "erased");
        int rows = server.app().database().read(c -> {
            try (var st = c.createStatement(); var rs = st.executeQuery("SELECT COUNT(*) FROM notify_outbox WHERE subscriber_id IS NOT NULL "
                    + "AND subscriber_id NOT IN (SELECT id FROM notify_subscriber)")) {
                rs.next();
                return rs.getInt(1);
            }
        });
        assertEquals(0, rows, "nothing of hers is left in the outbox");
        assertEquals(404, post(server, local(url), "List-Unsubscribe=One-Click").statusCode());
    }
}
