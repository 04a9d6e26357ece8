package it.semaforo.hardening;

import it.semaforo.testing.Browser;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.openqa.selenium.NoAlertPresentException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hostile input corpus (src/test/resources/hostile/): every payload in every text field of
 * the avviso forms and every archive and API parameter, hostile paths and headers as raw
 * bytes, broken bodies, bad dates, wrong content types and forged CSRF tokens, and the same for
 * the write API (json.txt, wrong types, sizes, tokens) with a real bearer token. Each case must
 * answer below 500, with no injected markup in what comes back, and must write exactly what
 * its success answer says (nothing when refused). Stored payloads are then published and read
 * in headless Chromium: no dialog, no injected element, no script run.
 */
class HostileInputTest {
    static final String PASSWORD = "una frase lunga per entrare";
    static final List<String> TABLES = List.of("notice", "notice_update", "notice_impact", "attachment", "audit_log");
    static final AtomicInteger run = new AtomicInteger();
    @RegisterExtension
    static final TestServer server = TestServer.demo(new MutableClock(Instant.now()),
            Map.of("admin.password.bcrypt.cost", "4", "base.url", "http://127.0.0.1",
                    "api.write.max.requests.per.minute", "100000"));
    static Clerk clerk;
    static Clerk other;
    static long serviceId;
    static long publishedId;
    static String token;
    static String revoked;
    static final String API = "/api/semaforo/v1";
    static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        server.app().admin().users().createFirstAdministrator("ufficio.stampa", PASSWORD);
        clerk = new Clerk(server.url("")).login("ufficio.stampa", PASSWORD);
        other = new Clerk(server.url("")).login("ufficio.stampa", PASSWORD);
        serviceId = server.app().services().load().service("anagrafe").orElseThrow().id();
        Clerk.Answer created = clerk.post("/admin/avvisi", Map.of("title", "Avviso bersaglio", "kind", "disservizio",
                "summary", "Riceve aggiornamenti ostili.", "publish", "now", "action", "preview"));
        publishedId = idFrom(created.location());
        assertEquals(303, clerk.post("/admin/avvisi/" + publishedId + "/pubblica", Map.of()).status());
        token = newToken("Ostile");
        revoked = newToken("Revocato");
        Element row = Jsoup.parse(clerk.get("/admin/token").body()).select(".token-row").stream()
                .filter(r -> r.selectFirst("th").text().equals("Revocato")).findFirst().orElseThrow();
        assertEquals(303, clerk.post("/admin/token/" + row.attr("data-id") + "/revoca", Map.of()).status());
    }

    /** Creates a write API token in the clerks' area, as a clerk does, and reads it the one time it is shown. */
    static String newToken(String name) throws Exception {
        Clerk.Answer a = clerk.post("/admin/token", Map.of("name", name, "scope_create", "on", "scope_update", "on", "scope_close", "on"));
        assertEquals(201, a.status(), a.body());
        return Jsoup.parse(a.body()).getElementById("new-token").text();
    }

    @AfterAll
    static void summary() {
        System.out.printf("HostileInputTest: %d hostile inputs, none answered 5xx, none wrote more than it said%n", run.get());
    }

    /** A case: what it sends, and whether a success answer (303) may write (and what). */
    record Case(String name, Send send, Map<String, Integer> writesOnSuccess) {
        /** A request that only reads: any answer below 500 will do, and nothing may be written. */
        static Case read(String name, Send send) {
            return new Case(name, send, null);
        }

        @Override
        public String toString() {
            String n = name.replaceAll("[\\p{Cntrl}]", "?");
            return n.length() > 120 ? n.substring(0, 120) + "…" : n;
        }
    }

    @FunctionalInterface
    interface Send {
        Reply send() throws Exception;
    }

    /** status 0: the connection closed without an answer (the request was not HTTP enough). */
    record Reply(int status, String contentType, String body) {
    }

    static Stream<Arguments> corpus() {
        List<Case> cases = new ArrayList<>();
        List<String> payloads = lines("payloads.txt").stream().map(HostileInputTest::unescape).toList();
        for (String p : payloads) {
            for (String field : List.of("title", "summary", "body", "reason")) {
                cases.add(new Case("avviso." + field + " = " + p, () -> createWith(field, p), field.equals("reason")
                        ? Map.of("notice", 1, "audit_log", 1, "notice_impact", 1) : Map.of("notice", 1, "audit_log", 1)));
            }
            cases.add(new Case("aggiornamento.body = " + p, () -> form(clerk, "/admin/avvisi/" + publishedId + "/aggiornamenti",
                    Map.of("body", p, "state_s_" + serviceId, "degraded", "reason_s_" + serviceId, p)),
                    Map.of("notice_update", 1, "audit_log", 1, "notice_impact", 1)));
            for (String param : List.of("q", "servizio", "tipo", "anno", "pagina")) {
                cases.add(Case.read("/avvisi?" + param + "=" + p, () -> get("/avvisi?" + param + "=" + enc(p))));
            }
            cases.add(Case.read("notices.json?servizi=" + p,
                    () -> get("/api/semaforo/v1/notices.json?servizi=" + enc(p))));
        }
        for (String target : lines("paths.txt")) {
            cases.add(Case.read("GET " + target, () -> raw(("GET " + expand(target) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), target)));
        }
        for (String header : lines("headers.txt")) {
            String h = expand(header);
            String host = h.regionMatches(true, 0, "Host:", 0, 5) ? "" : "Host: 127.0.0.1\r\n";
            cases.add(Case.read("header " + header, () -> raw(("GET / HTTP/1.1\r\n" + host + h + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1), header)));
        }
        cases.addAll(bodies());
        cases.addAll(writeApi(payloads));
        return cases.stream().map(Arguments::of);
    }

    /** Broken bodies, bad dates, wrong content types, forged tokens: all refused, nothing written. */
    static List<Case> bodies() {
        List<Case> cases = new ArrayList<>();
        Map<String, String> valid = validNotice();
        for (byte[] bad : List.of(new byte[]{(byte) 0xC3, 0x28}, new byte[]{(byte) 0xFF, (byte) 0xFE},
                new byte[]{(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[]{(byte) 0xC0, (byte) 0xAF})) {
            String hex = java.util.HexFormat.of().formatHex(bad);
            cases.add(new Case("invalid UTF-8 " + hex + " in title, raw", () -> {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                b.writeBytes(("csrf=" + clerk.csrf + "&kind=informazione&summary=s&publish=now&title=T").getBytes(StandardCharsets.US_ASCII));
                b.writeBytes(bad);
                return answer(clerk.postRaw("/admin/avvisi", "application/x-www-form-urlencoded", b.toByteArray()));
            }, Map.of("notice", 1, "audit_log", 1)));
            StringBuilder pct = new StringBuilder();
            for (byte x : bad) pct.append('%').append(String.format("%02X", x & 0xff));
            cases.add(new Case("invalid UTF-8 " + hex + " in title, percent-encoded", () -> answer(clerk.postRaw("/admin/avvisi",
                    "application/x-www-form-urlencoded", ("csrf=" + clerk.csrf + "&kind=informazione&summary=s&publish=now&title=T" + pct)
                            .getBytes(StandardCharsets.US_ASCII))), Map.of("notice", 1, "audit_log", 1)));
        }
        for (var e : Map.of("title", 201, "summary", 501, "body", 50_001, "reason", 301).entrySet()) {
            cases.add(new Case("overlong " + e.getKey() + " (" + e.getValue() + ")",
                    () -> createWith(e.getKey(), "x".repeat(e.getValue())), Map.of()));
        }
        cases.add(new Case("overlong update (20001)", () -> form(clerk, "/admin/avvisi/" + publishedId + "/aggiornamenti",
                Map.of("body", "x".repeat(20_001))), Map.of()));
        cases.add(new Case("huge form body (3 MB)", () -> createWith("body", "x".repeat(3_000_000)), Map.of()));
        cases.add(new Case("huge form body (30 MB)", () -> answer(clerk.postRaw("/admin/avvisi",
                "application/x-www-form-urlencoded", new byte[30_000_000])), Map.of()));
        cases.add(new Case("5000 form fields", () -> {
            Map<String, String> many = new LinkedHashMap<>(valid);
            for (int i = 0; i < 5000; i++) many.put("f" + i, "x");
            return form(clerk, "/admin/avvisi", many);
        }, Map.of("notice", 1, "audit_log", 1)));   // unknown fields are ignored
        for (String date : List.of("2026-13-45T25:61", "domani", "'; DROP TABLE notice; --", "9999999-01-01T00:00",
                "0000-00-00T00:00", "-2026-01-01T00:00", "2026-02-30T10:00", "1970-01-01T00:00", "<script>", "2026-11-24T10:00Z[Evil/Zone]")) {
            for (String field : List.of("expires_at", "publish_at", "window_start")) {
                Map<String, String> f = new LinkedHashMap<>(valid);
                f.put(field, date);
                if (field.equals("publish_at")) f.put("publish", "later");
                if (field.equals("window_start")) {
                    f.put("kind", "manutenzione");
                    f.put("window_end", "2099-01-01T10:00");
                }
                cases.add(new Case("bad date " + field + " = " + date, () -> form(clerk, "/admin/avvisi", f), Map.of()));
            }
        }
        for (String type : List.of("application/json", "text/plain", "multipart/form-data", "multipart/form-data; boundary=x",
                "application/xml", "text/html; charset=utf-7")) {
            cases.add(new Case("wrong content type " + type, () -> answer(clerk.postRaw("/admin/avvisi", type,
                    ("{\"csrf\":\"" + clerk.csrf + "\",\"title\":\"x\"}").getBytes(StandardCharsets.UTF_8))), Map.of()));
        }
        cases.add(new Case("no content type", () -> answer(clerk.postRaw("/admin/avvisi", null,
                Clerk.encode(withCsrf(valid, clerk.csrf)).getBytes(StandardCharsets.UTF_8))),
                Map.of("notice", 1, "audit_log", 1)));   // the session's own token: a cross-site page cannot know it
        for (String forged : new String[]{"", "0", "x".repeat(10_000), "' OR 1=1 --", "OTHER", "SUFFIX", "%00"}) {
            cases.add(new Case("forged CSRF token '" + forged + "'", () -> {
                String token = switch (forged) {
                    case "OTHER" -> other.csrf;   // a token of another session
                    case "SUFFIX" -> clerk.csrf + "x";
                    default -> forged;
                };
                return form(clerk, "/admin/avvisi", withCsrf(valid, token));
            }, Map.of()));
        }
        cases.add(new Case("CSRF token missing", () -> answer(clerk.postRaw("/admin/avvisi", "application/x-www-form-urlencoded",
                Clerk.encode(valid).getBytes(StandardCharsets.UTF_8))), Map.of()));
        cases.add(new Case("CSRF token in the query string only", () -> answer(clerk.postRaw("/admin/avvisi?csrf=" + clerk.csrf,
                "application/x-www-form-urlencoded", Clerk.encode(valid).getBytes(StandardCharsets.UTF_8))), Map.of()));
        cases.add(new Case("CSRF token on a withdrawal, forged", () -> form(clerk, "/admin/avvisi/" + publishedId + "/ritira",
                Map.of("csrf", "forged", "confirm", "on")), Map.of()));
        cases.add(new Case("no session, valid-looking form", () -> answer(new Clerk(server.url("")).postRaw("/admin/avvisi",
                "application/x-www-form-urlencoded", Clerk.encode(withCsrf(valid, clerk.csrf)).getBytes(StandardCharsets.UTF_8))), Map.of()));
        for (var bad : Map.of("state_s_999999", "suspended", "state_s_0", "suspended", "state_p_0", "degraded",
                "state_s_" + 1, "exploded", "kind", "<script>", "publish", "sometimes").entrySet()) {
            cases.add(new Case("bad choice " + bad.getKey() + " = " + bad.getValue(), () -> {
                Map<String, String> f = new LinkedHashMap<>(valid);
                f.put(bad.getKey(), bad.getValue());
                return form(clerk, "/admin/avvisi", f);
            }, Map.of()));
        }
        cases.add(new Case("attachment: HTML disguised as PDF", () -> upload("<html><script>alert(1)</script>", "x.pdf",
                "application/pdf"), Map.of()));
        cases.add(new Case("attachment: SVG with script", () -> upload("<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
                "x.svg", "image/svg+xml"), Map.of()));
        cases.add(new Case("update to a missing avviso", () -> form(clerk, "/admin/avvisi/99999999/aggiornamenti",
                Map.of("body", "x")), Map.of()));
        cases.add(new Case("update to avviso id overflow", () -> form(clerk, "/admin/avvisi/99999999999999999999/aggiornamenti",
                Map.of("body", "x")), Map.of()));
        for (String user : List.of("' OR '1'='1", "admin'--", "x".repeat(10_000), "<script>alert(1)</script>", "\u0000")) {
            cases.add(new Case("login username " + user, () -> {
                Clerk c = new Clerk(server.url(""));
                String token = Jsoup.parse(c.get("/admin/login").body()).selectFirst("input[name=token]").attr("value");
                return answer(c.postRaw("/admin/login", "application/x-www-form-urlencoded",
                        Clerk.encode(Map.of("token", token, "username", user, "password", "' OR '1'='1")).getBytes(StandardCharsets.UTF_8)));
            }, Map.of()));
        }
        return cases;
    }

    // ---- the write API ------------------------------------------------------------------------

    static final Map<String, Integer> CREATED = Map.of("notice", 1, "audit_log", 2);   // notice.create, notice.publish
    static final Map<String, Integer> CREATED_WITH_IMPACT = Map.of("notice", 1, "audit_log", 2, "notice_impact", 1);
    static final Map<String, Integer> UPDATED = Map.of("notice_update", 1, "audit_log", 1);
    static final Map<String, Integer> UPDATED_WITH_IMPACT = Map.of("notice_update", 1, "audit_log", 1, "notice_impact", 1);

    /**
     * The write API's bodies with a valid bearer token: every payload in every string field,
     * json.txt (broken, truncated, nested, huge, unknown, bad dates, overlong), wrong types for
     * every field, invalid UTF-8, sizes, content types and tokens. A 4xx must be the API's JSON
     * {"error", "field"}; a 201 must write exactly one avviso or update, whose public page is harmless.
     */
    static List<Case> writeApi(List<String> payloads) {
        List<Case> cases = new ArrayList<>();
        String notices = API + "/notices.json";
        String updates = API + "/notices/" + publishedId + "/updates.json";
        for (String p : payloads) {
            for (String field : List.of("title", "summary", "body")) {
                cases.add(new Case("API notices.json " + field + " = " + p, () -> json(notices, apiNotice(field, p)), CREATED));
            }
            cases.add(new Case("API notices.json impacts[0].reason = " + p, () -> json(notices, apiNotice("reason", p)),
                    CREATED_WITH_IMPACT));
            cases.add(new Case("API updates.json body, impacts[0].reason = " + p, () -> {
                var o = JSON.createObjectNode().put("body", p);
                o.putArray("impacts").addObject().put("service", "anagrafe").put("state", "degraded").put("reason", p);
                return json(updates, o.toString());
            }, UPDATED_WITH_IMPACT));
            String close = API + "/notices/" + apiTarget() + "/close.json";
            cases.add(new Case("API close.json body = " + p, () -> json(close, JSON.createObjectNode().put("body", p).toString()),
                    UPDATED));
        }
        for (String line : lines("json.txt")) {
            String endpoint = line.substring(0, line.indexOf(' '));
            String body = expandJson(line.substring(line.indexOf(' ') + 1));
            String path = switch (endpoint) {
                case "notices" -> notices;
                case "updates" -> updates;
                case "close" -> API + "/notices/" + apiTarget() + "/close.json";
                default -> throw new IllegalArgumentException(line);
            };
            cases.add(new Case("API " + endpoint + " " + line.substring(endpoint.length() + 1), () -> json(path, body), Map.of()));
        }
        // wrong types for every field: each must be a 400 on that very field
        List<String> notString = List.of("5", "1.5", "true", "[\"x\"]", "{\"x\": 1}");
        Map<String, List<String>> wrong = new LinkedHashMap<>();
        for (String f : List.of("kind", "title", "summary", "body", "publish_at", "expires_at", "window_start", "window_end")) {
            wrong.put(f, notString);
        }
        wrong.put("draft", List.of("1", "\"true\"", "[]", "{}"));
        wrong.put("impacts", List.of("5", "\"anagrafe\"", "true", "{}"));
        wrong.put("impacts[0]", List.of("5", "\"anagrafe\"", "[]", "null"));
        for (String f : List.of("service", "provider", "state", "reason")) wrong.put("impacts[0]." + f, List.of("5", "true", "[]", "{}"));
        for (var e : wrong.entrySet()) {
            for (String value : e.getValue()) {
                cases.add(new Case("API wrong type " + e.getKey() + " = " + value, () -> {
                    var o = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(apiNotice("reason", "r"));
                    var impact = (com.fasterxml.jackson.databind.node.ObjectNode) o.get("impacts").get(0);
                    var v = JSON.readTree(value);
                    if (e.getKey().equals("impacts[0]")) ((com.fasterxml.jackson.databind.node.ArrayNode) o.get("impacts")).set(0, v);
                    else if (e.getKey().startsWith("impacts[0].")) impact.set(e.getKey().substring(11), v);
                    else o.set(e.getKey(), v);
                    return json(notices, o.toString(), e.getKey());
                }, Map.of()));
            }
        }
        for (var e : Map.of("body", List.of("5", "true", "[]", "{}"), "impacts", List.of("5", "\"x\"", "{}"),
                "closes", List.of("1", "\"true\"", "[]", "{}")).entrySet()) {
            for (String value : e.getValue()) {
                cases.add(new Case("API updates.json wrong type " + e.getKey() + " = " + value, () -> {
                    var o = JSON.createObjectNode().put("body", "x");
                    o.set(e.getKey(), JSON.readTree(value));
                    return json(updates, o.toString(), e.getKey());
                }, Map.of()));
            }
        }
        // invalid UTF-8 in a string, raw: refused, or read as the replacement character
        for (byte[] bad : List.of(new byte[]{(byte) 0xC3, 0x28}, new byte[]{(byte) 0xFF, (byte) 0xFE},
                new byte[]{(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[]{(byte) 0xC0, (byte) 0xAF}, new byte[]{(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80})) {
            String hex = java.util.HexFormat.of().formatHex(bad);
            cases.add(new Case("API invalid UTF-8 " + hex + " in title", () -> send(notices, "application/json", token,
                    withBytes("{\"kind\": \"informazione\", \"summary\": \"s\", \"title\": \"T", bad, "\"}")), CREATED));
            cases.add(new Case("API invalid UTF-8 " + hex + " in update body", () -> send(updates, "application/json", token,
                    withBytes("{\"body\": \"x", bad, "\"}")), UPDATED));
            cases.add(new Case("API invalid UTF-8 " + hex + " as a key", () -> send(notices, "application/json", token,
                    withBytes("{\"kind\": \"informazione\", \"summary\": \"s\", \"title\": \"T\", \"", bad, "\": 1}")), Map.of()));
        }
        // sizes: over the 512 KiB limit, drained (600 KB) or not (20 MB)
        cases.add(new Case("API 600 KB body", () -> json(notices, "{\"kind\": \"informazione\", \"title\": \"T\", \"summary\": \"s\", \"body\": \""
                + "x".repeat(600_000) + "\"}"), Map.of()));
        cases.add(new Case("API 20 MB body", () -> send(notices, "application/json", token, new byte[20_000_000]), Map.of()));
        // content types
        String valid = apiNotice("title", "Tipo di contenuto");
        for (String type : java.util.Arrays.asList("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                "application/xml", "text/json", "application/jsonp", "application/json-patch+json", "application/*", "*/*", "",
                "application/json, text/plain", null)) {
            cases.add(new Case("API content type " + type, () -> send(notices, type, token, valid.getBytes(StandardCharsets.UTF_8)), Map.of()));
        }
        cases.add(new Case("API content type application/json; charset=utf-7", () -> send(notices,
                "application/json; charset=utf-7", token, valid.getBytes(StandardCharsets.UTF_8)), CREATED));   // JSON is UTF-8
        cases.add(new Case("API body in UTF-16", () -> send(notices, "application/json; charset=utf-16", token,
                valid.getBytes(StandardCharsets.UTF_16)), CREATED));   // detected by the parser, as RFC 4627 allows
        // tokens: missing, forged, revoked, in the wrong place
        for (String auth : java.util.Arrays.asList(null, "", "Bearer", "Bearer ", "Bearer smf_" + "A".repeat(43), "Bearer " + revoked,
                "Bearer " + token + "x", "Bearer " + token.substring(0, token.length() - 1), "Bearer " + token.toUpperCase(),
                "Bearer ' OR '1'='1", "Bearer " + "x".repeat(4_000), "Basic " + java.util.Base64.getEncoder().encodeToString(
                        ("ufficio.stampa:" + PASSWORD).getBytes(StandardCharsets.UTF_8)), "Token " + token, token, "Bearer%20" + token,
                "Bearer " + token + " " + token)) {
            String label = auth == null ? "missing" : auth.replace(token, "TOKEN").replace(revoked, "REVOKED");
            cases.add(new Case("API Authorization " + (label.length() > 60 ? label.substring(0, 60) + "…" : label),
                    () -> sendAuth(notices, auth, valid.getBytes(StandardCharsets.UTF_8)), Map.of()));
        }
        for (String q : List.of("access_token=", "token=", "bearer=")) {
            cases.add(new Case("API token in the query string " + q, () -> sendAuth(notices + "?" + q + token, null,
                    valid.getBytes(StandardCharsets.UTF_8)), Map.of()));
        }
        cases.add(new Case("API the clerk's session cookie instead of a token", () -> {
            HttpRequest.Builder b = clerk.request(notices).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(valid));
            return apiAnswer(clerk.send(b.build()), null);
        }, Map.of()));
        // ids
        for (String id : List.of("0", "-1", "99999999", "99999999999999999999", "abc", "1%20OR%201=1", publishedId + ".0")) {
            cases.add(new Case("API updates.json of avviso " + id, () -> json(API + "/notices/" + id + "/updates.json", "{\"body\": \"x\"}"),
                    Map.of()));
        }
        return cases;
    }

    /** A valid new avviso with one field set to the value ("reason": the reason of its one impact). */
    static String apiNotice(String field, String value) {
        var o = JSON.createObjectNode().put("kind", "informazione").put("title", "Valido").put("summary", "In breve.")
                .put("body", "Testo.");
        if (!field.equals("reason")) {
            o.put(field, value);
        } else {
            o.putArray("impacts").addObject().put("service", "anagrafe").put("state", "degraded").put("reason", value);
        }
        return o.toString();
    }

    /** A fresh published avviso to be closed by one case. */
    static long apiTarget() {
        try {
            Reply r = send(API + "/notices.json", "application/json", token,
                    apiNotice("title", "Da chiudere").getBytes(StandardCharsets.UTF_8));
            assertEquals(201, r.status(), r.body());
            return JSON.readTree(r.body()).get("id").asLong();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] withBytes(String before, byte[] bad, String after) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(before.getBytes(StandardCharsets.UTF_8));
        b.writeBytes(bad);
        b.writeBytes(after.getBytes(StandardCharsets.UTF_8));
        return b.toByteArray();
    }

    static Reply json(String path, String body) throws Exception {
        return json(path, body, null);
    }

    /** A JSON post with the valid token; a refusal must name the field when one is given. */
    static Reply json(String path, String body, String field) throws Exception {
        Reply r = send(path, "application/json", token, body.getBytes(StandardCharsets.UTF_8));
        if (field != null && r.status() == 400) {
            String named = JSON.readTree(r.body()).get("field").asText();
            assertTrue(named.equals(field) || named.startsWith(field + ".") || field.startsWith(named),
                    path + ": refused on " + named + " rather than " + field);
        }
        return r;
    }

    static Reply send(String path, String contentType, String bearer, byte[] body) throws Exception {
        return sendAuth(path, "Bearer " + bearer, body, contentType);
    }

    static Reply sendAuth(String path, String authorization, byte[] body) throws Exception {
        return sendAuth(path, authorization, body, "application/json");
    }

    /** No cookie, the given Authorization header (none when null). */
    static Reply sendAuth(String path, String authorization, byte[] body, String contentType) throws Exception {
        Clerk anonymous = new Clerk(server.url(""));
        HttpRequest.Builder b = anonymous.request(path).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) b.header("Authorization", authorization);
        if (contentType != null) b.header("Content-Type", contentType);
        return apiAnswer(anonymous.send(b.build()), anonymous);
    }

    /**
     * The write API's answer: a refusal is its JSON {"error", "field"}; a success names the
     * avviso, whose public page (when published) must show the stored text harmlessly.
     */
    static Reply apiAnswer(Clerk.Answer a, Clerk reader) throws Exception {
        Reply r = answer(a);
        assertTrue(a.status() == 201 || a.status() >= 400, "write API answered " + a.status() + ": " + a.body());
        assertTrue(r.contentType().startsWith(a.status() >= 400 ? "application/problem+json" : "application/json"),
                r.contentType() + ": " + a.body());
        var body = JSON.readTree(a.body());
        if (a.status() >= 400) {
            List<String> keys = new ArrayList<>();
            body.fieldNames().forEachRemaining(keys::add);
            assertEquals(List.of("type", "title", "status", "detail", "field", "error"), keys, a.body());
            assertEquals(a.status(), body.get("status").asInt(), a.body());
            assertFalse(body.get("detail").asText().isBlank(), a.body());
            assertTrue(body.get("field").isNull() || body.get("field").isTextual(), a.body());
        } else if (reader != null && body.get("url").isTextual()) {
            String page = java.net.URI.create(body.get("url").asText()).getPath();
            Clerk.Answer shown = reader.get(page);
            assertEquals(200, shown.status(), page);
            harmless(new Case("public page " + page, null, null), shown.body());
        }
        return r;
    }

    /** json.txt's own expansions, after {LONG:n}: {DEEP:n}, {OPEN:n}, {REPEAT:n}text{/REPEAT}. */
    static String expandJson(String line) {
        String s = expand(line);
        s = java.util.regex.Pattern.compile("\\{DEEP:([0-9]+)}").matcher(s)
                .replaceAll(r -> "[".repeat(Integer.parseInt(r.group(1))) + "]".repeat(Integer.parseInt(r.group(1))));
        s = java.util.regex.Pattern.compile("\\{OPEN:([0-9]+)}").matcher(s).replaceAll(r -> "[".repeat(Integer.parseInt(r.group(1))));
        var m = java.util.regex.Pattern.compile("\\{REPEAT:([0-9]+)}(.*?)\\{/REPEAT}").matcher(s);
        return m.replaceAll(r -> java.util.regex.Matcher.quoteReplacement(
                String.join(",", java.util.Collections.nCopies(Integer.parseInt(r.group(1)), r.group(2)))));
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("corpus")
    void hostileInputIsRefusedOrHarmless(Case c) throws Exception {
        run.incrementAndGet();
        Map<String, Long> before = counts();
        Reply r;
        try {
            r = c.send().send();
        } catch (IOException e) {
            r = new Reply(0, "", "");   // the server closed the connection on a body it would not read
        }
        Map<String, Long> after = counts();
        assertTrue(r.status() < 500, c + " answered " + r.status() + ": " + r.body());
        if (r.contentType().matches("(?i).*(html|xml|svg).*") || r.contentType().isEmpty()) harmless(c, r.body());
        else assertTrue(r.contentType().matches("(?i).*(json|text/plain|css|font|image/png|javascript).*"), c + ": " + r.contentType());
        boolean reading = c.writesOnSuccess() == null;
        boolean accepted = r.status() == 303 || r.status() == 201;
        Map<String, Integer> expected = accepted && !reading ? c.writesOnSuccess() : Map.of();
        if (accepted && !reading) assertFalse(expected.isEmpty(), c + " was accepted (" + r.status() + ") where a refusal was due");
        for (String table : TABLES) {
            long delta = after.get(table) - before.get(table);
            int want = expected.getOrDefault(table, 0);
            assertEquals(want, delta, c + ": rows written to " + table + " (answer " + r.status() + ")");
        }
    }

    /** Stored payloads, published and read in a real browser: nothing runs, nothing is injected. */
    @Test
    void storedScriptNeverRunsInTheBrowser() throws Exception {
        List<String> payloads = lines("payloads.txt").stream().map(HostileInputTest::unescape)
                .filter(p -> p.matches("(?s).*(script|on[a-z]+=|javascript|<iframe|<object|<embed|<meta|<base|<form).*"))
                .filter(p -> p.length() < 200).toList();
        List<String> pages = new ArrayList<>(List.of("/", "/servizi/anagrafe", "/avvisi", "/en/avvisi", "/embed/banner"));
        for (String p : payloads) {
            Clerk.Answer a = clerk.post("/admin/avvisi", Map.of("title", p, "summary", p, "body", p + "\n\n" + p,
                    "kind", "disservizio", "publish", "now", "action", "preview",
                    "state_s_" + serviceId, "degraded", "reason_s_" + serviceId, p));
            assertEquals(303, a.status(), p + ": " + a.body());
            long id = idFrom(a.location());
            assertEquals(303, clerk.post("/admin/avvisi/" + id + "/pubblica", Map.of()).status());
            assertEquals(303, clerk.post("/admin/avvisi/" + id + "/aggiornamenti", Map.of("body", p)).status());
            pages.add("/avvisi/" + id);
            pages.add("/avvisi?q=" + enc(p));
        }
        int checked = 0;
        try (Browser browser = Browser.shared("it-IT,it")) {
            for (String page : pages) {
                browser.driver.get(server.url(page));
                try {
                    String text = browser.driver.switchTo().alert().getText();
                    throw new AssertionError(page + " opened a dialog: " + text);
                } catch (NoAlertPresentException expected) {
                    // nothing ran
                }
                // what the page holds, read in one round trip (75 pages): a marker a payload would set, elements that
                // could run or load something (the one script an avviso page carries is its schema.org data block,
                // which never runs), and handlers or javascript: addresses in any attribute
                @SuppressWarnings("unchecked")
                Map<String, Object> found = (Map<String, Object>) browser.driver.executeScript("return {"
                        + " pwned: typeof window.__pwned !== 'undefined',"
                        + " injected: [...document.querySelectorAll(\"script:not([type='application/ld+json']), iframe, object, "
                        + "embed, base, svg[onload], img[onerror], details[ontoggle], body[onload], meta[http-equiv]\")].map(e => e.outerHTML),"
                        + " dataBlocks: document.querySelectorAll(\"script[type='application/ld+json']\").length,"
                        + " handlers: [...document.querySelectorAll('*')].filter(e => "
                        + "[...e.attributes].some(a => a.name.startsWith('on') || ['href', 'src', 'action', 'formaction', 'data'].includes(a.name) && /^\\s*javascript:/i.test(a.value)))"
                        + ".map(e => e.outerHTML).join() }");
                assertEquals(Boolean.FALSE, found.get("pwned"), page);
                assertEquals(List.of(), found.get("injected"), page + " has an injected element");
                assertTrue(((Number) found.get("dataBlocks")).longValue() <= 1, page);
                assertEquals("", found.get("handlers"), page);
                checked++;
            }
        }
        System.out.printf("HostileInputTest: %d avvisi with %d script payloads published; %d pages read in Chromium, "
                + "no dialog, no injected element%n", payloads.size(), payloads.size(), checked);
        assertTrue(checked >= 20);
    }

    // ---- sending ------------------------------------------------------------------------------

    static Map<String, String> validNotice() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("title", "Valido");
        f.put("kind", "informazione");
        f.put("summary", "In breve.");
        f.put("body", "Testo.");
        f.put("publish", "now");
        return f;
    }

    static Map<String, String> withCsrf(Map<String, String> fields, String token) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("csrf", token);
        all.putAll(fields);
        return all;
    }

    static Reply createWith(String field, String value) throws Exception {
        Map<String, String> f = validNotice();
        f.put("action", "preview");
        if (field.equals("reason")) {
            f.put("state_s_" + serviceId, "degraded");
            f.put("reason_s_" + serviceId, value);
        } else {
            f.put(field, value);
        }
        return form(clerk, "/admin/avvisi", f);
    }

    /** A form post; after a success, the page it leads to is what must be harmless. */
    static Reply form(Clerk c, String path, Map<String, String> fields) throws Exception {
        Clerk.Answer a = c.post(path, fields);
        if (a.status() == 303) {
            Clerk.Answer next = c.get(a.location().replaceFirst("\\?.*$", ""));
            assertEquals(200, next.status(), a.location());
            return new Reply(303, "text/html", next.body());
        }
        return answer(a);
    }

    static Reply answer(Clerk.Answer a) {
        return new Reply(a.status(), a.response().headers().firstValue("Content-Type").orElse(""), a.body());
    }

    static Reply upload(String content, String filename, String type) throws Exception {
        String boundary = "----hostile" + System.nanoTime();
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + clerk.csrf + "\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\nContent-Type: " + type + "\r\n\r\n" + content + "\r\n--" + boundary + "--\r\n";
        return answer(clerk.postRaw("/admin/avvisi/" + publishedId + "/allegati", "multipart/form-data; boundary=" + boundary,
                body.getBytes(StandardCharsets.UTF_8)));
    }

    static Reply get(String path) throws Exception {
        return answer(clerk.get(path));
    }

    /** Raw bytes on a socket: what no well-behaved client would send. */
    static Reply raw(byte[] request, String label) {
        try (Socket s = new Socket("127.0.0.1", server.app().port())) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = s.getInputStream();
            byte[] all = in.readAllBytes();
            String text = new String(all, StandardCharsets.UTF_8);
            if (text.isEmpty()) return new Reply(0, "", "");
            int status = Integer.parseInt(text.substring(9, 12));
            int split = text.indexOf("\r\n\r\n");
            String head = split < 0 ? text : text.substring(0, split);
            String type = head.lines().filter(l -> l.regionMatches(true, 0, "Content-Type:", 0, 13)).findFirst().orElse("");
            return new Reply(status, type, split < 0 ? "" : text.substring(split + 4));
        } catch (java.net.SocketException e) {
            return new Reply(0, "", "");   // the server closed the connection on a request it would not read
        } catch (IOException e) {
            throw new UncheckedIOException(label, e);
        }
    }

    // ---- checking -----------------------------------------------------------------------------

    /** No injected markup, no file from outside the served directories, no link built from a hostile Host. */
    static void harmless(Case c, String body) {
        for (String leak : List.of("root:x:0:0", "SQLite format 3", "<artifactId>", "Manifest-Version")) {
            assertFalse(body.contains(leak), c + " leaked " + leak);
        }
        assertFalse(java.util.regex.Pattern.compile("\\$2[aby]\\$[0-9]{2}\\$").matcher(body).find(), c + " leaked a password hash");
        Document doc = Jsoup.parse(body);
        // an avviso's public page carries one schema.org data block, which never runs
        String injected = "script:not([type=application/ld+json]), iframe, object, embed, base, meta[http-equiv=refresh]";
        assertTrue(doc.select(injected).isEmpty(), c + " answered with injected markup: " + doc.select(injected));
        assertTrue(doc.select("script[type=application/ld+json]").size() <= 1, c + ": more than one data block");
        for (Element e : doc.getAllElements()) {
            for (Attribute a : e.attributes()) {
                String v = a.getValue().strip().toLowerCase(java.util.Locale.ROOT);
                assertFalse(a.getKey().startsWith("on"), c + ": event handler " + a + " on <" + e.tagName() + ">");
                // content is a link only in <meta http-equiv=refresh>; a description's text is just text
                if (List.of("href", "src", "action", "formaction", "xlink:href").contains(a.getKey())
                        || a.getKey().equals("content") && e.hasAttr("http-equiv")) {
                    assertFalse(v.startsWith("javascript:") || v.startsWith("data:text/html") || v.matches("(https?:)?//[^/]*evil\\.example.*"),
                            c + ": hostile link " + a + " on <" + e.tagName() + ">");
                }
            }
        }
    }

    static Map<String, Long> counts() {
        return server.app().database().read(conn -> {
            Map<String, Long> m = new LinkedHashMap<>();
            for (String t : TABLES) {
                try (var st = conn.createStatement(); var rs = st.executeQuery("SELECT count(*) FROM " + t)) {
                    rs.next();
                    m.put(t, rs.getLong(1));
                }
            }
            return m;
        });
    }

    // ---- the corpus files ---------------------------------------------------------------------

    static List<String> lines(String file) {
        try (InputStream in = HostileInputTest.class.getResourceAsStream("/hostile/" + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** \n \r \t \0 \\uXXXX, and {LONG:n}. */
    static String unescape(String line) {
        String s = expand(line);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch != '\\' || i + 1 >= s.length()) {
                b.append(ch);
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case '0' -> b.append('\0');
                case 'u' -> {
                    b.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> b.append('\\').append(n);
            }
        }
        return b.toString();
    }

    /** {LONG:n} to n letters; \xNN to the byte NN (for raw request lines, read as ISO-8859-1). */
    static String expand(String line) {
        var m = java.util.regex.Pattern.compile("\\{LONG:([0-9]+)}").matcher(line);
        String s = m.replaceAll(r -> "a".repeat(Integer.parseInt(r.group(1))));
        var hex = java.util.regex.Pattern.compile("\\\\x([0-9a-fA-F]{2})").matcher(s);
        return hex.replaceAll(r -> String.valueOf((char) Integer.parseInt(r.group(1), 16)));
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static long idFrom(String location) {
        return Long.parseLong(location.replaceAll("^/admin/avvisi/([0-9]+).*$", "$1"));
    }
}
