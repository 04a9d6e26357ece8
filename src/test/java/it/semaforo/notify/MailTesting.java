package it.semaforo.notify;

import com.icegreen.greenmail.util.GreenMail;
import it.semaforo.testing.Smtp;
import it.semaforo.testing.TestServer;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real SMTP server (GreenMail) on loopback, and the few things the mail tests do with it and the server. */
public final class MailTesting {
    static final String BASE = "https://stato.comune.example.it";

    private MailTesting() {
    }

    /** GreenMail on a free loopback port, started now (before the TestServer that needs its port). */
    static GreenMail smtp() {
        return Smtp.started();
    }

    static Map<String, String> settings(GreenMail mail, String... more) {
        Map<String, String> s = new HashMap<>(Map.of("smtp.host", "127.0.0.1",
                "smtp.port", String.valueOf(mail.getSmtp().getPort()), "smtp.security", "none",
                "smtp.from", "Comune di Roccaverde <avvisi@comune.roccaverde.example>",
                "smtp.reply.to", "urp@comune.roccaverde.example"));
        for (int i = 0; i + 1 < more.length; i += 2) s.put(more[i], more[i + 1]);
        return s;
    }

    /** The messages received so far, waiting up to 30 s for at least count (a loaded machine runs the event pipeline slowly). */
    static List<MimeMessage> await(GreenMail mail, int count) {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (mail.getReceivedMessages().length < count && System.nanoTime() < end) sleep(50);
        List<MimeMessage> all = Arrays.asList(mail.getReceivedMessages());
        assertTrue(all.size() >= count, "expected at least " + count + " mails, got " + all.size());
        return all;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static String part(MimeMessage m, String type) {
        try {
            Multipart mp = (Multipart) m.getContent();
            for (int i = 0; i < mp.getCount(); i++) {
                BodyPart p = mp.getBodyPart(i);
                if (p.isMimeType(type)) return (String) p.getContent();
            }
            throw new AssertionError("no " + type + " part");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static String header(MimeMessage m, String name) {
        try {
            String[] h = m.getHeader(name);
            return h == null ? null : h[0];
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    public static String to(MimeMessage m) {
        try {
            return m.getAllRecipients()[0].toString();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The first link of the text part starting with the public address and path. */
    static String link(String text, String path) {
        Matcher m = Pattern.compile(Pattern.quote(BASE) + "(/[a-z]{2})?" + Pattern.quote(path) + "\\?t=[A-Za-z0-9._-]+").matcher(text);
        assertTrue(m.find(), "no link to " + path + " in:\n" + text);
        return m.group();
    }

    /** An absolute link of a mail as a path of the test server. */
    static String local(String url) {
        assertTrue(url.startsWith(BASE), url);
        return url.substring(BASE.length());
    }

    static HttpResponse<String> post(TestServer server, String path, Map<String, String> form, String... headers) {
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return post(server, path, body.toString(), headers);
    }

    static HttpResponse<String> post(TestServer server, String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url(path))).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) b.headers(headers);
        return server.send(b.build());
    }

    /** The sign-up form's token, from the page as a browser gets it. */
    static String formToken(TestServer server) {
        HttpResponse<String> r = server.get("/iscrizione");
        assertEquals(200, r.statusCode(), r.body());
        Document d = Jsoup.parse(r.body());
        return d.selectFirst("input[name=form]").attr("value");
    }

    /** Signs up as the form does; returns the answer. */
    static HttpResponse<String> signUp(TestServer server, String email, String... fields) {
        StringBuilder body = new StringBuilder("form=" + URLEncoder.encode(formToken(server), StandardCharsets.UTF_8)
                + "&email=" + URLEncoder.encode(email, StandardCharsets.UTF_8) + "&consent=1");
        for (int i = 0; i + 1 < fields.length; i += 2) {
            body.append('&').append(fields[i]).append('=').append(URLEncoder.encode(fields[i + 1], StandardCharsets.UTF_8));
        }
        return post(server, "/iscrizione", body.toString());
    }

    /** Signs up, follows the confirmation mail's link and presses its button. */
    static void subscribeAndConfirm(TestServer server, GreenMail mail, String email, String... fields) {
        int before = mail.getReceivedMessages().length;
        assertEquals(200, signUp(server, email, fields).statusCode());
        MimeMessage confirmation = await(mail, before + 1).get(before);
        String url = link(part(confirmation, "text/plain"), "/iscrizione/conferma");
        HttpResponse<String> page = server.get(local(url));
        assertEquals(200, page.statusCode(), page.body());
        String token = Jsoup.parse(page.body()).selectFirst("form input[name=t]").attr("value");
        String action = Jsoup.parse(page.body()).selectFirst("form").attr("action");
        HttpResponse<String> done = post(server, action, Map.of("t", token));
        assertEquals(200, done.statusCode(), done.body());
    }
}
