package it.semaforo.admin;

import it.semaforo.testing.TestServer;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A browser for the tests: real HTTP to the running server, cookies kept from Set-Cookie as a
 * browser would (whatever the Secure flag, since the tests speak plain HTTP on loopback), the
 * CSRF token read from the last page like a form would carry it.
 */
final class AdminClient {
    final TestServer server;
    final Map<String, String> cookies = new LinkedHashMap<>();
    final List<String> setCookies = new ArrayList<>();
    /** Sent as X-Forwarded-For when set: a different client address behind a trusted proxy. */
    String forwardedFor;
    /** Extra headers on every request (X-Forwarded-Proto, say). */
    final Map<String, String> headers = new LinkedHashMap<>();
    String csrf;

    AdminClient(TestServer server) {
        this.server = server;
    }

    record Page(int status, String body, HttpResponse<String> response) {
        Document doc() {
            return Jsoup.parse(body);
        }

        String location() {
            return response.headers().firstValue("Location").orElse("");
        }

        /** The Italian error shown next to a field. */
        String fieldError(String field) {
            Element e = doc().getElementById("f-" + field + "-error");
            if (e == null) return null;
            e.select(".visually-hidden").remove();   // "Errore:" for screen readers
            return e.text().strip();
        }

        /** What an input shows as its value (what the clerk typed is kept). */
        String value(String field) {
            Element e = doc().getElementById("f-" + field);
            if (e == null) return null;
            return e.tagName().equals("textarea") ? e.wholeText() : e.attr("value");
        }
    }

    Page get(String path) {
        HttpRequest.Builder b = request(path).GET();
        return send(b.build());
    }

    /** Follows one redirect, as a browser does after a form. */
    Page follow(Page redirect) {
        assertEquals(303, redirect.status(), "expected a redirect, got " + redirect.status() + ": " + redirect.body());
        return get(redirect.location());
    }

    /** A form post with exactly these fields (no CSRF token added). */
    Page postRaw(String path, Map<String, String> fields) {
        String body = fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** A form post as the page's form sends it: with the session's CSRF token. */
    Page post(String path, Map<String, String> fields) {
        Map<String, String> all = new LinkedHashMap<>(fields);
        all.put("csrf", csrf);
        return postRaw(path, all);
    }

    /** A multipart form with one file, with the CSRF token. */
    Page upload(String path, Map<String, String> fields, String filename, String contentType, byte[] content) {
        String boundary = "----semaforo" + System.nanoTime();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Map<String, String> all = new LinkedHashMap<>(fields);
        all.put("csrf", csrf);
        for (var e : all.entrySet()) {
            out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + e.getKey() + "\"\r\n\r\n"
                    + e.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\nContent-Type: " + contentType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(content);
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return send(request(path).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray())).build());
    }

    /** Signs in through the login form; on success reads the CSRF token from the dashboard. */
    Page login(String username, String password) {
        Page form = get("/admin/login");
        String token = form.doc().selectFirst("input[name=token]").attr("value");
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("token", token);
        fields.put("username", username);
        fields.put("password", password);
        Page result = postRaw("/admin/login", fields);
        if (result.status() == 303) refreshCsrf();
        return result;
    }

    void refreshCsrf() {
        Page dashboard = get("/admin");
        Element input = dashboard.doc().selectFirst("input[name=csrf]");
        csrf = input == null ? null : input.attr("value");
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url(path))).timeout(Duration.ofSeconds(20));
        if (!cookies.isEmpty()) {
            b.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; ")));
        }
        if (forwardedFor != null) b.header("X-Forwarded-For", forwardedFor);
        headers.forEach(b::header);
        return b;
    }

    private Page send(HttpRequest request) {
        HttpResponse<String> r = server.send(request);
        for (String c : r.headers().allValues("Set-Cookie")) {
            setCookies.add(c);
            String pair = c.split(";", 2)[0];
            String name = pair.substring(0, pair.indexOf('='));
            String value = pair.substring(pair.indexOf('=') + 1);
            if (value.isEmpty() || c.contains("Max-Age=0")) cookies.remove(name);
            else cookies.put(name, value);
        }
        return new Page(r.statusCode(), r.body(), r);
    }
}
