package it.semaforo.admin;

import it.semaforo.audit.AuditLog;
import it.semaforo.audit.Actor;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import it.semaforo.admin.AdminClient.Page;
import it.semaforo.api.ApiIds;
import it.semaforo.testing.HtmlChecker;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static it.semaforo.admin.AdminTesting.PASSWORD;
import static it.semaforo.admin.AdminTesting.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The write API over real HTTP on the demo comune: tokens made, used and revoked in the
 * clerks' area; avvisi created, updated and closed with a token and seen on the public pages
 * and the Statuspage API at the next request; every refusal with its status and JSON; the
 * audit log; rate limit and CORS. Each test speaks from its own client address (a trusted
 * proxy's X-Forwarded-For), so that the rate limit counts each apart.
 */
class WriteApiTest {
    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    static final MutableClock clock = new MutableClock(NOW);
    static final ObjectMapper JSON = new ObjectMapper();
    static final String BASE = "/api/semaforo/v1";
    static final int LIMIT = 25;
    static final AtomicInteger addresses = new AtomicInteger(1);
    @RegisterExtension
    static final TestServer server = TestServer.demo(clock, AdminTesting.settings("proxy.trusted", "true",
            "api.write.max.requests.per.minute", String.valueOf(LIMIT)));

    @BeforeAll
    static void start() {
        AdminTesting.user(server, "mario.rossi", Role.EDITOR);
        AdminTesting.user(server, "giulia.verdi", Role.ADMINISTRATOR);
        AdminTesting.user(server, "luca.bianchi", Role.EDITOR);
    }

    /** A caller of the API from one client address. */
    record Caller(String address, String token) {
        HttpResponse<String> post(String path, String contentType, String body) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url(path))).timeout(Duration.ofSeconds(20))
                    .header("X-Forwarded-For", address).POST(HttpRequest.BodyPublishers.ofString(body));
            if (token != null) b.header("Authorization", "Bearer " + token);
            if (contentType != null) b.header("Content-Type", contentType);
            return server.send(b.build());
        }

        HttpResponse<String> post(String path, String json) {
            return post(path, "application/json", json);
        }
    }

    static Caller caller(String token) {
        return new Caller("192.0.2." + addresses.getAndIncrement(), token);
    }

    static AdminClient login(String username) {
        AdminClient c = new AdminClient(server);
        c.forwardedFor = "198.51.100." + addresses.getAndIncrement();
        assertEquals(303, c.login(username, PASSWORD).status());
        return c;
    }

    /** Creates a token on /admin/token and reads it from the page, the one time it is shown. */
    static String newToken(AdminClient c, String name) {
        Page p = c.post("/admin/token", Map.of("name", name, "scope_create", "on", "scope_update", "on", "scope_close", "on"));
        assertEquals(201, p.status(), p.body());
        Element shown = p.doc().getElementById("new-token");
        assertNotNull(shown, "the token is shown once");
        return shown.text();
    }

    static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }

    /** An error answer: the status, RFC 9457 problem+json with a message and the field at fault, never cached. */
    static JsonNode assertError(HttpResponse<String> r, int status, String field) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""), r.body());
        JsonNode body = json(r);
        assertEquals(List.of("type", "title", "status", "detail", "field", "error"), AdminTestingJson.keys(body), r.body());
        assertEquals(status, body.get("status").asInt(), r.body());
        assertFalse(body.get("detail").asText().isBlank());
        assertEquals(body.get("detail").asText(), body.get("error").asText(), r.body());
        if (field == null) assertTrue(body.get("field").isNull(), r.body());
        else assertEquals(field, body.get("field").asText(), r.body());
        assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""));
        return body;
    }

    static String outage(String title, String serviceSlug, String state) {
        return """
                {"kind": "disservizio", "title": "%s", "summary": "Sportello chiuso per un guasto.",
                 "body": "Stiamo **lavorando** per risolvere.",
                 "impacts": [{"service": "%s", "state": "%s", "reason": "Guasto al sistema"}]}
                """.formatted(title, serviceSlug, state);
    }

    static String componentStatus(String slug) {
        long id = server.app().services().load().service(slug).orElseThrow().id();
        JsonNode summary = json(server.get("/api/v2/summary.json"));
        for (JsonNode c : summary.get("components")) {
            if (c.get("id").asText().equals(ApiIds.component(id))) return c.get("status").asText();
        }
        throw new AssertionError("no component for " + slug);
    }

    static List<String> unresolvedTitles() {
        JsonNode r = json(server.get("/api/v2/incidents/unresolved.json"));
        return AdminTestingJson.texts(r.get("incidents"), "name");
    }

    static long notices() {
        return count(server, "SELECT count(*) FROM notice");
    }

    static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    // ---- tokens -----------------------------------------------------------------------------

    @Test
    void aTokenMakesOnlyTheWritesItWasMadeForUntilItsLastDay() {
        AdminClient mario = login("mario.rossi");
        long tokens = count(server, "SELECT count(*) FROM api_token");
        // bad input: a clear message by the field, no token made
        Page none = mario.post("/admin/token", Map.of("name", "Niente"));
        assertEquals(422, none.status());
        assertTrue(none.doc().getElementById("f-scope-error").text().contains("Scegli almeno un'operazione"), none.body());
        assertEquals(List.of(), HtmlChecker.errors(none.body()), "valid HTML with the error");
        for (String[] expiry : new String[][]{{"2026-11-23", "già passata"}, {"2028-11-25", "al massimo due anni"},
                {"24/11/2027", "AAAA-MM-GG"}, {"2027-02-30", "AAAA-MM-GG"}}) {
            Page refused = mario.post("/admin/token", Map.of("name", "Scadenza", "scope_update", "on", "expires_on", expiry[0]));
            assertEquals(422, refused.status(), expiry[0]);
            assertTrue(refused.fieldError("expires_on").contains(expiry[1]), expiry[0] + ": " + refused.fieldError("expires_on"));
            assertEquals(expiry[0], refused.doc().getElementById("f-expires_on").attr("value"), "kept as typed");
        }
        assertEquals(tokens, count(server, "SELECT count(*) FROM api_token"));

        // by default every write, for a year: valid through 24 November 2027, Rome time
        Page form = mario.get("/admin/token");
        assertEquals("2027-11-24", form.doc().getElementById("f-expires_on").attr("value"));
        assertTrue(form.doc().getElementById("f-scope_close").hasAttr("checked"));
        Page plain = mario.post("/admin/token", Map.of("name", "Tutto, un anno", "scope_create", "on", "scope_update", "on",
                "scope_close", "on", "expires_on", ""));
        assertEquals(201, plain.status());
        assertEquals(Instant.parse("2027-11-24T23:00:00Z").toEpochMilli(), count(server,
                "SELECT expires_at FROM api_token WHERE name = 'Tutto, un anno'"));

        String full = newToken(mario, "Completo");
        Page made = mario.post("/admin/token", Map.of("name", "Solo aggiornamenti", "scope_update", "on", "expires_on", "2026-12-01"));
        assertEquals(201, made.status());
        String updatesOnly = made.doc().getElementById("new-token").text();
        Element row = mario.get("/admin/token").doc().select(".token-row").stream()
                .filter(r -> r.selectFirst("th").text().equals("Solo aggiornamenti")).findFirst().orElseThrow();
        assertEquals("aggiungere aggiornamenti", row.selectFirst(".token-scopes").text());
        assertTrue(row.selectFirst(".token-expiry time").attr("datetime").startsWith("2026-12-0"), row.outerHtml());

        HttpResponse<String> created = caller(full).post(BASE + "/notices.json", outage("Tributi: portale lento", "tributi", "degraded"));
        assertEquals(201, created.statusCode(), created.body());
        long id = json(created).get("id").asLong();
        long before = notices();
        HttpResponse<String> outOfScope = caller(updatesOnly).post(BASE + "/notices.json", outage("Non dovrebbe", "tributi", "degraded"));
        assertError(outOfScope, 403, null);
        assertTrue(json(outOfScope).get("detail").asText().contains("notices:create"), outOfScope.body());
        assertEquals("Bearer realm=\"semaforo\", error=\"insufficient_scope\", scope=\"notices:create\"",
                outOfScope.headers().firstValue("WWW-Authenticate").orElse(""));
        assertEquals(before, notices());
        int updates = server.app().notices().find(id).orElseThrow().updates().size();
        assertEquals(201, caller(updatesOnly).post(BASE + "/notices/" + id + "/updates.json", "{\"body\": \"Ancora lento.\"}").statusCode());
        assertError(caller(updatesOnly).post(BASE + "/notices/" + id + "/updates.json", "{\"body\": \"Risolto.\", \"closes\": true}"), 403, null);
        assertError(caller(updatesOnly).post(BASE + "/notices/" + id + "/close.json", "{\"body\": \"Risolto.\"}"), 403, null);
        assertEquals(updates + 1, server.app().notices().find(id).orElseThrow().updates().size(), "one update, no closure");
        assertEquals(null, server.app().notices().find(id).orElseThrow().closedAt());

        try {
            clock.set(Instant.parse("2026-12-01T22:59:00Z"));   // 23:59 in Rome on its last day: still valid
            assertEquals(201, caller(updatesOnly).post(BASE + "/notices/" + id + "/updates.json", "{\"body\": \"Quasi.\"}").statusCode());
            long lastUse = count(server, "SELECT last_used_at FROM api_token WHERE name = 'Solo aggiornamenti'");
            clock.set(Instant.parse("2026-12-01T23:00:00Z"));
            HttpResponse<String> expired = caller(updatesOnly).post(BASE + "/notices/" + id + "/updates.json", "{\"body\": \"Tardi.\"}");
            assertError(expired, 401, null);
            assertTrue(json(expired).get("detail").asText().startsWith("Token scaduto."), expired.body());
            assertTrue(expired.headers().firstValue("WWW-Authenticate").orElse("").contains("error=\"invalid_token\""));
            assertEquals(updates + 2, server.app().notices().find(id).orElseThrow().updates().size());
            assertEquals(lastUse, count(server, "SELECT last_used_at FROM api_token WHERE name = 'Solo aggiornamenti'"),
                    "a refused use is not a use");
            assertEquals("scaduto", login("mario.rossi").get("/admin/token").doc().select(".token-row").stream()
                    .filter(r -> r.selectFirst("th").text().equals("Solo aggiornamenti")).findFirst().orElseThrow()
                    .select("td").last().text());
        } finally {
            clock.set(NOW);
        }
    }

    @Test
    void aTokenIsShownOnceStoredHashedWorksUntilRevokedAndEveryStepIsAudited() throws Exception {
        AdminClient mario = login("mario.rossi");
        long auditBefore = count(server, "SELECT count(*) FROM audit_log WHERE action LIKE 'token.%'");
        Page empty = mario.post("/admin/token", Map.of("name", "  ", "scope_create", "on"));
        assertEquals(422, empty.status());
        assertEquals("Indica un nome per riconoscere il token.", empty.fieldError("name"));
        assertEquals(List.of(), HtmlChecker.errors(empty.body()), "valid HTML with the error");

        String token = newToken(mario, "Monitoraggio anagrafe");
        assertTrue(token.matches("smf_[A-Za-z0-9_-]{43}"), token);
        // stored hashed only
        assertEquals(0, count(server, "SELECT count(*) FROM api_token WHERE token_hash = ?", token));
        assertEquals(1, count(server, "SELECT count(*) FROM api_token WHERE token_hash = ?", sha256(token)));
        // listed with its name, never shown again
        Page list = mario.get("/admin/token");
        assertEquals(200, list.status());
        assertFalse(list.body().contains(token));
        Element row = list.doc().select(".token-row").stream()
                .filter(r -> r.selectFirst("th").text().equals("Monitoraggio anagrafe")).findFirst().orElseThrow();
        assertEquals("mai", row.select("td").get(2).text());

        // it works, as mario
        HttpResponse<String> created = caller(token).post(BASE + "/notices.json", outage("Anagrafe: guasto", "anagrafe", "degraded"));
        assertEquals(201, created.statusCode(), created.body());
        long id = json(created).get("id").asLong();
        assertEquals("mario.rossi", server.app().admin().audit().about("notice", id).get(0).username());
        Element used = mario.get("/admin/token").doc().selectFirst(".token-row[data-id=" + row.attr("data-id") + "]");
        assertFalse(used.select("td").get(2).text().equals("mai"), "its last use is shown");

        assertEquals(List.of(), HtmlChecker.errors(mario.get("/admin/token").body()), "valid HTML with the list");
        // another user cannot revoke it
        AdminClient giulia = login("giulia.verdi");
        assertEquals(404, giulia.post("/admin/token/" + row.attr("data-id") + "/revoca", Map.of()).status());
        // without the CSRF token, nothing happens
        assertEquals(403, mario.postRaw("/admin/token/" + row.attr("data-id") + "/revoca", Map.of()).status());
        assertEquals(201, caller(token).post(BASE + "/notices.json", outage("Anagrafe: ancora", "anagrafe", "degraded")).statusCode());

        Page revoked = mario.post("/admin/token/" + row.attr("data-id") + "/revoca", Map.of());
        assertEquals(303, revoked.status());
        Page after = mario.follow(revoked);
        assertTrue(after.body().contains("Token revocato"), after.body());
        assertTrue(after.doc().selectFirst(".token-row[data-id=" + row.attr("data-id") + "]").text().contains("revocato il"));
        HttpResponse<String> refused = caller(token).post(BASE + "/notices.json", outage("Dopo la revoca", "anagrafe", "degraded"));
        assertError(refused, 401, null);
        assertTrue(refused.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"), "WWW-Authenticate");
        assertTrue(refused.headers().firstValue("WWW-Authenticate").orElse("").contains("invalid_token"));
        assertEquals(409, mario.post("/admin/token/" + row.attr("data-id") + "/revoca", Map.of()).status());

        List<AuditLog.Entry> entries = server.app().admin().audit().about("token", Long.parseLong(row.attr("data-id")));
        assertEquals(List.of("token.create", "token.revoke"), entries.stream().map(AuditLog.Entry::action).toList());
        assertTrue(entries.stream().allMatch(e -> e.username().equals("mario.rossi")));
        assertFalse(entries.get(0).afterJson().contains(sha256(token)), "the audit log never holds the hash");
        assertEquals(auditBefore + 2, count(server, "SELECT count(*) FROM audit_log WHERE action LIKE 'token.%'"));
        assertTrue(mario.get("/admin/registro").status() == 403, "the audit page stays the administrators'");
        assertTrue(giulia.get("/admin/registro").body().contains("Token API revocato"));
    }

    // ---- the avviso's life through the API ---------------------------------------------------

    @Test
    void anAvvisoCreatedUpdatedAndClosedWithATokenIsPublicAtTheNextRequest() {
        AdminClient giulia = login("giulia.verdi");
        Caller api = caller(newToken(giulia, "Sistema di monitoraggio"));
        String before = componentStatus("carta-identita");
        String title = "Carta d'identità elettronica sospesa";
        assertFalse(unresolvedTitles().contains(title));

        HttpResponse<String> created = api.post(BASE + "/notices.json", """
                {"kind": "disservizio", "title": "Carta d'identità elettronica sospesa",
                 "summary": "Il Ministero ha sospeso il servizio.", "body": "Dettagli a breve.",
                 "expires_at": "2026-11-26T18:00:00+01:00",
                 "impacts": [{"service": "carta-identita", "state": "suspended", "reason": "Sistema ministeriale fermo"}]}
                """);
        assertEquals(201, created.statusCode(), created.body());
        assertEquals("no-store", created.headers().firstValue("Cache-Control").orElse(""));
        JsonNode n = json(created);
        long id = n.get("id").asLong();
        assertEquals(BASE + "/notices/" + id + ".json", created.headers().firstValue("Location").orElse(""));
        assertEquals("published", n.get("status").asText());
        assertEquals("2026-11-26T18:00:00.000+01:00", n.get("expires_at").asText(), "an RFC 3339 time, read in the page's zone");
        assertTrue(n.get("update").isNull());
        // public at the next request: Statuspage API, own API, the avviso's page
        assertEquals("major_outage", componentStatus("carta-identita"));
        assertTrue(unresolvedTitles().contains(title));
        assertEquals(200, server.get(BASE + "/notices/" + id + ".json").statusCode());
        String page = URI.create(n.get("url").asText()).getPath();
        HttpResponse<String> publicPage = server.get(page);
        assertTrue(publicPage.statusCode() == 200 || publicPage.statusCode() == 301, page + " " + publicPage.statusCode());
        assertTrue(server.get("/").body().contains("Carta d&#39;identità elettronica sospesa")
                || server.get("/").body().contains("Carta d'identità elettronica sospesa"), "on the home page");

        HttpResponse<String> updated = api.post(BASE + "/notices/" + id + "/updates.json", """
                {"body": "Il servizio riprende in parte.", "impacts": [{"service": "carta-identita", "state": "degraded"}]}
                """);
        assertEquals(201, updated.statusCode(), updated.body());
        assertEquals(1, json(updated).get("update").get("number").asInt());
        assertFalse(json(updated).get("update").get("closes").asBoolean());
        assertEquals("degraded_performance", componentStatus("carta-identita"));
        JsonNode own = json(server.get(BASE + "/notices/" + id + ".json"));
        assertTrue(own.toString().contains("Il servizio riprende in parte."), own.toString());

        HttpResponse<String> closed = api.post(BASE + "/notices/" + id + "/close.json", "{\"body\": \"Servizio ripristinato.\"}");
        assertEquals(201, closed.statusCode(), closed.body());
        assertEquals(2, json(closed).get("update").get("number").asInt());
        assertTrue(json(closed).get("update").get("closes").asBoolean());
        assertFalse(json(closed).get("closed_at").isNull());
        assertEquals(before, componentStatus("carta-identita"), "back to what it was");
        assertFalse(unresolvedTitles().contains(title));

        // closing again, or updating a closed avviso: 409, nothing written
        long updates = count(server, "SELECT count(*) FROM notice_update WHERE notice_id = ?", id);
        JsonNode again = assertError(api.post(BASE + "/notices/" + id + "/close.json", "{\"body\": \"Di nuovo.\"}"), 409, null);
        assertTrue(again.get("detail").asText().contains("chius"), again.toString());
        assertError(api.post(BASE + "/notices/" + id + "/updates.json", "{\"body\": \"Ancora.\"}"), 409, null);
        assertEquals(updates, count(server, "SELECT count(*) FROM notice_update WHERE notice_id = ?", id));

        // the same audit entries as the forms', as giulia, from the caller's address
        List<AuditLog.Entry> audit = server.app().admin().audit().about("notice", id);
        assertEquals(List.of("notice.create", "notice.publish", "notice.update", "notice.close"),
                audit.stream().map(AuditLog.Entry::action).toList());
        assertTrue(audit.stream().allMatch(e -> e.username().equals("giulia.verdi") && e.address().equals(api.address())), audit.toString());
        assertTrue(audit.get(1).afterJson().contains("\"status\":\"published\""));
    }

    @Test
    void aDraftStaysPrivateAndCannotBeUpdated() {
        Caller api = caller(newToken(login("mario.rossi"), "Bozze"));
        HttpResponse<String> created = api.post(BASE + "/notices.json", """
                {"kind": "informazione", "title": "Bozza da rivedere", "summary": "Da controllare.", "draft": true}
                """);
        assertEquals(201, created.statusCode(), created.body());
        JsonNode n = json(created);
        assertEquals("draft", n.get("status").asText());
        assertTrue(n.get("url").isNull());
        assertEquals(404, server.get(BASE + "/notices/" + n.get("id").asLong() + ".json").statusCode());
        assertFalse(server.get("/api/v2/incidents.json").body().contains("Bozza da rivedere"));
        assertError(api.post(BASE + "/notices/" + n.get("id").asLong() + "/updates.json", "{\"body\": \"x\"}"), 409, null);
        assertEquals(List.of("notice.create"), server.app().admin().audit().about("notice", n.get("id").asLong())
                .stream().map(AuditLog.Entry::action).toList());
    }

    @Test
    void theLanguageOfTheTextIsTheSitesUnlessSaidAndOneOfTheFormsList() {
        Caller api = caller(newToken(login("mario.rossi"), "Lingue"));
        JsonNode plain = json(api.post(BASE + "/notices.json", """
                {"kind": "informazione", "title": "Sportello chiuso", "summary": "Chiuso lunedì.", "draft": true}
                """));
        assertEquals("it", server.app().notices().find(plain.get("id").asLong()).orElseThrow().language());
        JsonNode japanese = json(api.post(BASE + "/notices.json", """
                {"kind": "informazione", "title": "窓口休業", "summary": "月曜日は休業します。", "language": "ja", "draft": true}
                """));
        assertEquals("ja", server.app().notices().find(japanese.get("id").asLong()).orElseThrow().language());
        long notices = notices();
        assertError(api.post(BASE + "/notices.json", """
                {"kind": "informazione", "title": "x", "summary": "y", "language": "klingon"}
                """), 400, "language");
        assertEquals(notices, notices(), "nothing written");
    }

    @Test
    void aRedattoresTokenAndAnAmministratoresTokenEachActAsTheirUser() {
        Caller editor = caller(newToken(login("mario.rossi"), "Redattore"));
        Caller admin = caller(newToken(login("giulia.verdi"), "Amministratore"));
        long a = json(editor.post(BASE + "/notices.json", outage("Tributi lenti", "tributi", "degraded"))).get("id").asLong();
        long b = json(admin.post(BASE + "/notices.json", outage("Tributi fermi", "tributi", "suspended"))).get("id").asLong();
        assertEquals("mario.rossi", server.app().admin().audit().about("notice", a).get(0).username());
        assertEquals("giulia.verdi", server.app().admin().audit().about("notice", b).get(0).username());
        // each can update the other's avviso, as on the forms
        assertEquals(201, editor.post(BASE + "/notices/" + b + "/updates.json", "{\"body\": \"Visto.\"}").statusCode());
        assertEquals("mario.rossi", server.app().admin().audit().about("notice", b).get(2).username());
    }

    // ---- refusals ---------------------------------------------------------------------------

    @Test
    void badFieldsAre400WithTheFieldAndNothingIsWritten() {
        Caller api = caller(newToken(login("mario.rossi"), "Errori"));
        long notices = notices();
        long audit = count(server, "SELECT count(*) FROM audit_log");
        String provider = server.app().services().load().providers().get(0).slug();
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("{\"kind\": \"disservizio\", \"summary\": \"s\"}", "title");
        cases.put("{\"kind\": \"guasto\", \"title\": \"t\", \"summary\": \"s\"}", "kind");
        cases.put("{\"kind\": \"disservizio\", \"title\": \"t\"}", "summary");
        cases.put("{\"kind\": \"disservizio\", \"title\": 5, \"summary\": \"s\"}", "title");
        cases.put("{\"kind\": \"disservizio\", \"titolo\": \"t\", \"summary\": \"s\"}", "titolo");
        cases.put("{\"kind\": \"disservizio\", \"title\": \"" + "x".repeat(201) + "\", \"summary\": \"s\"}", "title");
        cases.put("{\"kind\": \"disservizio\", \"title\": \"t\", \"summary\": \"s\", \"draft\": \"yes\"}", "draft");
        cases.put("{\"kind\": \"disservizio\", \"title\": \"t\", \"summary\": \"s\", \"publish_at\": \"2020-01-01T10:00:00Z\"}", "publish_at");
        cases.put("{\"kind\": \"disservizio\", \"title\": \"t\", \"summary\": \"s\", \"expires_at\": \"domani\"}", "expires_at");
        cases.put("{\"kind\": \"disservizio\", \"title\": \"t\", \"summary\": \"s\", \"window_start\": \"2026-12-01T10:00\", \"window_end\": \"2026-12-01T12:00\"}", "window_start");
        cases.put("{\"kind\": \"disservizio\", \"title\": \"t\", \"summary\": \"s\", \"impacts\": {}}", "impacts");
        cases.put("{\"kind\": \"disservizio\", \"title\": \"t\", \"summary\": \"s\", \"impacts\": [{\"service\": \"nessuno\", \"state\": \"degraded\"}]}", "impacts[0].service");
        cases.put("{\"kind\": \"disservizio\", \"title\": \"t\", \"summary\": \"s\", \"impacts\": [{\"service\": \"anagrafe\", \"state\": \"rotto\"}]}", "impacts[0].state");
        cases.put("{\"kind\": \"disservizio\", \"title\": \"t\", \"summary\": \"s\", \"impacts\": [{\"service\": \"anagrafe\"}]}", "impacts[0].state");
        cases.put("{\"kind\": \"disservizio\", \"title\": \"t\", \"summary\": \"s\", \"impacts\": [{\"service\": \"anagrafe\", \"state\": \"degraded\", \"reason\": \"" + "r".repeat(301) + "\"}]}", "impacts[0].reason");
        cases.put("{\"kind\": \"disservizio\", \"title\": \"t\", \"summary\": \"s\", \"impacts\": [{\"service\": \"anagrafe\", \"provider\": \"" + provider + "\", \"state\": \"degraded\"}]}", "impacts[0]");
        cases.put("{\"kind\": \"disservizio\", \"title\": \"t\", \"summary\": \"s\", \"impacts\": [{\"service\": \"anagrafe\", \"state\": \"degraded\"}, {\"service\": \"anagrafe\", \"state\": \"limited\"}]}", "impacts[1]");
        cases.put("{\"kind\": \"disservizio\", \"title\": \"t\", \"summary\": \"s\", \"impacts\": [{\"provider\": \"nessuno\", \"state\": \"degraded\"}]}", "impacts[0].provider");
        int sent = 0;
        for (var c : cases.entrySet()) {
            Caller fresh = sent++ % 10 == 9 ? caller(api.token()) : api;   // stay under the rate limit
            assertError(fresh.post(BASE + "/notices.json", c.getKey()), 400, c.getValue());
        }
        Caller more = caller(api.token());
        JsonNode title = assertError(more.post(BASE + "/notices.json", "{\"kind\": \"disservizio\", \"summary\": \"s\"}"), 400, "title");
        assertEquals("Scrivi il titolo dell'avviso.", title.get("detail").asText(), "the clerks' form's own message");
        assertError(more.post(BASE + "/notices.json", "{\"kind\": "), 400, null);
        assertError(more.post(BASE + "/notices.json", "[1, 2]"), 400, null);
        assertError(more.post(BASE + "/notices.json", ""), 400, null);
        long published = json(more.post(BASE + "/notices.json", outage("Per gli aggiornamenti", "anagrafe", "degraded"))).get("id").asLong();
        assertError(more.post(BASE + "/notices/" + published + "/updates.json", "{\"body\": \"  \"}"), 400, "body");
        assertError(more.post(BASE + "/notices/" + published + "/updates.json", "{\"body\": \"x\", \"closes\": 1}"), 400, "closes");
        assertError(more.post(BASE + "/notices/" + published + "/close.json", "{\"body\": \"x\", \"closes\": true}"), 400, "closes");
        assertEquals(notices + 1, notices(), "only the one valid avviso");
        assertEquals(audit + 2, count(server, "SELECT count(*) FROM audit_log"), "and only its entries");
    }

    @Test
    void withoutAValidTokenItIs401AndADeactivatedUsersTokenIs403() {
        Caller none = caller(null);
        HttpResponse<String> missing = none.post(BASE + "/notices.json", outage("x", "anagrafe", "degraded"));
        assertError(missing, 401, null);
        assertEquals("Bearer realm=\"semaforo\"", missing.headers().firstValue("WWW-Authenticate").orElse(""));
        assertError(caller("smf_" + "A".repeat(43)).post(BASE + "/notices.json", outage("x", "anagrafe", "degraded")), 401, null);
        assertError(caller("qualcosa").post(BASE + "/notices.json", "{}"), 401, null);
        // a clerk's session cookie is no credential here
        AdminClient mario = login("mario.rossi");
        HttpResponse<String> withCookie = server.send(HttpRequest.newBuilder(URI.create(server.url(BASE + "/notices.json")))
                .header("Cookie", "semaforo_sessione=" + mario.cookies.get("semaforo_sessione"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(outage("x", "anagrafe", "degraded"))).build());
        assertError(withCookie, 401, null);

        AdminClient luca = login("luca.bianchi");
        Caller api = caller(newToken(luca, "Script di Luca"));
        assertEquals(201, api.post(BASE + "/notices.json", outage("Prima", "anagrafe", "degraded")).statusCode());
        long lucaId = server.app().admin().accounts().findByUsername("luca.bianchi").orElseThrow().id();
        server.app().admin().users().update(Actor.commandLine(), lucaId, new UserDesk.UserEdit("luca bianchi", Role.EDITOR, false, null));
        long before = notices();
        assertError(api.post(BASE + "/notices.json", outage("Dopo", "anagrafe", "degraded")), 403, null);
        assertEquals(before, notices());
    }

    @Test
    void unknownAvvisiAre404() {
        Caller api = caller(newToken(login("mario.rossi"), "404"));
        // the write API's own answer names the id asked for: the generic API 404 must not replace it
        for (String path : List.of("/notices/999999/updates.json", "/notices/999999/close.json", "/notices/abc/close.json")) {
            JsonNode body = assertError(api.post(BASE + path, "{\"body\": \"x\"}"), 404, null);
            String id = path.split("/")[2];
            assertTrue(body.get("detail").asText().contains(id), body.toString());
        }
    }

    @Test
    void aBodyThatIsNotJsonIs415AndATooLargeOneIs413() {
        Caller api = caller(newToken(login("mario.rossi"), "Formati"));
        long before = notices();
        assertError(api.post(BASE + "/notices.json", "text/plain", outage("x", "anagrafe", "degraded")), 415, null);
        assertError(api.post(BASE + "/notices.json", "application/x-www-form-urlencoded", "title=x"), 415, null);
        assertError(api.post(BASE + "/notices.json", null, outage("x", "anagrafe", "degraded")), 415, null);
        assertEquals(201, api.post(BASE + "/notices.json", "Application/JSON; charset=utf-8",
                outage("Con charset", "anagrafe", "degraded")).statusCode());
        String huge = "{\"kind\": \"disservizio\", \"title\": \"t\", \"summary\": \"s\", \"body\": \"" + "x".repeat(WriteApi.MAX_BODY_BYTES) + "\"}";
        assertError(api.post(BASE + "/notices.json", huge), 413, null);
        assertEquals(before + 1, notices());
    }

    @Test
    void tooManyRequestsFromOneAddressAre429WithRetryAfter() {
        Caller api = caller(newToken(login("mario.rossi"), "Raffica"));
        for (int i = 0; i < LIMIT; i++) {
            assertEquals(415, api.post(BASE + "/notices.json", "text/plain", "x").statusCode(), "request " + i);
        }
        HttpResponse<String> limited = api.post(BASE + "/notices.json", outage("x", "anagrafe", "degraded"));
        assertError(limited, 429, null);
        long retry = Long.parseLong(limited.headers().firstValue("Retry-After").orElse("0"));
        assertTrue(retry >= 1 && retry <= 60, "Retry-After " + retry);
        assertError(caller(null).post(BASE + "/notices.json", "{}"), 401, null);   // another address is not held back
        clock.advance(Duration.ofSeconds(61));
        assertEquals(415, api.post(BASE + "/notices.json", "text/plain", "x").statusCode(), "the window has passed");
    }

    @Test
    void writesAllowAnyOriginWithoutCredentialsAndReadsKeepTheirCors() {
        HttpResponse<String> preflight = server.send(HttpRequest.newBuilder(URI.create(server.url(BASE + "/notices/5/close.json")))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://www.comune.roccaverde.example")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, content-type").build());
        assertEquals(204, preflight.statusCode());
        assertEquals("*", preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        assertEquals("POST, OPTIONS", preflight.headers().firstValue("Access-Control-Allow-Methods").orElse(""));
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").contains("Authorization"));
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Credentials").isEmpty());
        HttpResponse<String> both = server.send(HttpRequest.newBuilder(URI.create(server.url(BASE + "/notices.json")))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "https://example.org")
                .header("Access-Control-Request-Method", "POST").build());
        assertTrue(both.headers().firstValue("Access-Control-Allow-Methods").orElse("").contains("GET"));
        assertTrue(both.headers().firstValue("Access-Control-Allow-Methods").orElse("").contains("POST"));
        HttpResponse<String> readPreflight = server.send(HttpRequest.newBuilder(URI.create(server.url("/api/v2/summary.json")))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "https://example.org")
                .header("Access-Control-Request-Method", "GET").build());
        assertFalse(readPreflight.headers().firstValue("Access-Control-Allow-Methods").orElse("").contains("POST"));

        Caller api = caller(newToken(login("mario.rossi"), "CORS"));
        HttpResponse<String> written = api.post(BASE + "/notices.json", outage("Da un altro sito", "anagrafe", "degraded"));
        assertEquals(201, written.statusCode());
        assertEquals("*", written.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        assertTrue(written.headers().firstValue("Access-Control-Allow-Credentials").isEmpty());
        assertTrue(written.headers().allValues("Set-Cookie").isEmpty());
        assertEquals("*", server.get(BASE + "/notices.json").headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        // the same POST twice writes twice: no cached answer
        assertEquals(201, api.post(BASE + "/notices.json", outage("Da un altro sito", "anagrafe", "degraded")).statusCode());
        assertEquals(2, count(server, "SELECT count(*) FROM notice WHERE title = 'Da un altro sito'"));
    }
}
