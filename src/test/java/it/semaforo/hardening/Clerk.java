package it.semaforo.hardening;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A clerk's browser over real HTTP against any running server (in-process or a separate
 * process): cookies kept, the login token and the CSRF token read from the pages as a form would.
 */
final class Clerk {
    final String base;
    final Map<String, String> cookies = new java.util.concurrent.ConcurrentHashMap<>();
    volatile String csrf;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(3)).build();

    Clerk(String base) {
        this.base = base;
    }

    record Answer(int status, String body, HttpResponse<String> response) {
        String location() {
            return response.headers().firstValue("Location").orElse("");
        }
    }

    /** Signs in and reads the CSRF token from the dashboard; throws when refused. */
    Clerk login(String username, String password) throws IOException, InterruptedException {
        Answer form = get("/admin/login");
        String token = Jsoup.parse(form.body()).selectFirst("input[name=token]").attr("value");
        Answer in = postRaw("/admin/login", "application/x-www-form-urlencoded",
                encode(Map.of("token", token, "username", username, "password", password)).getBytes(StandardCharsets.UTF_8));
        if (in.status() != 303) throw new IllegalStateException("login refused: " + in.status() + " " + in.body());
        Element input = Jsoup.parse(get("/admin").body()).selectFirst("input[name=csrf]");
        csrf = input.attr("value");
        return this;
    }

    Answer get(String path) throws IOException, InterruptedException {
        return send(request(path).GET().build());
    }

    /** A urlencoded form post with the CSRF token added. */
    Answer post(String path, Map<String, String> fields) throws IOException, InterruptedException {
        Map<String, String> all = new LinkedHashMap<>(fields);
        all.putIfAbsent("csrf", csrf);
        return postRaw(path, "application/x-www-form-urlencoded", encode(all).getBytes(StandardCharsets.UTF_8));
    }

    Answer postRaw(String path, String contentType, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder b = request(path).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) b.header("Content-Type", contentType);
        return send(b.build());
    }

    static String encode(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
        if (!cookies.isEmpty()) {
            b.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; ")));
        }
        return b;
    }

    Answer send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        for (String c : r.headers().allValues("Set-Cookie")) {
            String pair = c.split(";", 2)[0];
            String name = pair.substring(0, pair.indexOf('='));
            String value = pair.substring(pair.indexOf('=') + 1);
            if (value.isEmpty() || c.contains("Max-Age=0")) cookies.remove(name);
            else cookies.put(name, value);
        }
        return new Answer(r.statusCode(), r.body(), r);
    }
}
