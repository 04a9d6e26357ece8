package it.semaforo.api;

import it.semaforo.audit.Actor;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import it.semaforo.admin.Role;
import it.semaforo.admin.User;
import it.semaforo.admin.UserDesk;
import it.semaforo.notice.Notice;
import it.semaforo.notice.NoticeKind;
import it.semaforo.notice.NoticeRepository.NewNotice;
import it.semaforo.notice.NoticeStatus;
import it.semaforo.service.Service;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static it.semaforo.api.JsonShape.keys;
import static it.semaforo.api.JsonShape.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenAPI document served at /api/openapi.json against the API's real answers: every
 * route is documented, and every documented answer (errors included) that the server gives
 * validates against its schema, at instants when maintenances are upcoming, running and over.
 */
class OpenApiConformanceTest {
    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    static final String DOCUMENT = "https://semaforo.test/api/openapi.json";
    static final MutableClock clock = new MutableClock(NOW);
    @RegisterExtension
    static final TestServer server = TestServer.demo(clock);
    static JsonNode document;
    static SchemaRegistry registry;

    @BeforeAll
    static void start() {
        HttpResponse<String> r = server.get(ApiRoutes.OPENAPI);
        assertEquals(200, r.statusCode());
        JsonShape.assertPublicJson(r, ApiRoutes.OPENAPI);
        document = parse(r.body());
        // the document as served is the schema: what a client reads is what is checked
        registry = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi31(), b -> b.schemas(Map.of(DOCUMENT, r.body())));
    }

    static Schema responseSchema(String path, String status) {
        return responseSchema(path, "get", status);
    }

    static Schema responseSchema(String path, String method, String status) {
        String pointer = "/paths/" + escape(path) + "/" + method + "/responses/" + status + "/content/"
                + escape(mediaType(status)) + "/schema";
        assertFalse(document.at(pointer).isMissingNode(), "documented: " + path + " " + status);
        return registry.getSchema(SchemaLocation.of(DOCUMENT + "#" + pointer));
    }

    /** Errors are RFC 9457 problem details, everything else plain JSON. */
    static String mediaType(String status) {
        return Integer.parseInt(status) >= 400 ? "application/problem+json" : "application/json";
    }

    static String escape(String path) {
        return path.replace("~", "~0").replace("/", "~1");
    }

    static List<String> violations(Schema schema, JsonNode body) {
        return schema.validate(body).stream().map(Error::toString).toList();
    }

    @Test
    void theDocumentIsOpenApi31WithThisSitesAddress() {
        assertEquals("3.1.0", document.get("openapi").asText());
        assertEquals("https://stato.comune.example.it", document.get("servers").get(0).get("url").asText());
        assertTrue(document.at("/components/schemas/Error/required").toString().contains("field"));
        assertEquals("bearer", document.at("/components/securitySchemes/bearerAuth/scheme").asText(),
                "ready for the write endpoints' tokens");
    }

    @Test
    void everyRouteIsDocumentedAndNothingElse() {
        assertEquals(new TreeSet<>(ApiRoutes.PATHS), new TreeSet<>(keys(document.get("paths"))));
        Map<String, List<String>> writable = Map.of(
                SemaforoApi.BASE + "/notices.json", List.of("get", "post"),
                SemaforoApi.BASE + "/notices/{id}/updates.json", List.of("post"),
                SemaforoApi.BASE + "/notices/{id}/close.json", List.of("post"));
        document.get("paths").fields().forEachRemaining(e -> assertEquals(writable.getOrDefault(e.getKey(), List.of("get")),
                keys(e.getValue()), e.getKey() + ": the methods it answers"));
        writable.keySet().forEach(path -> assertEquals("[{\"bearerAuth\":[]}]",
                document.at("/paths/" + escape(path) + "/post/security").toString(), path + " needs a token"));
    }

    @Test
    void everyDocumentedAnswerMatchesTheServersRealOnes() {
        long withdrawn = server.app().notices().create(new NewNotice(NoticeKind.INFORMATION, NoticeStatus.PUBLISHED,
                "Pubblicato per errore", "", "", "it", NOW.minus(Duration.ofHours(2)), null, null, null, "test", List.of()));
        server.app().notices().withdraw(withdrawn);
        // upcoming maintenance; inside its window (9:30 in Rome); after it, when it is completed
        for (Instant at : List.of(NOW, Instant.parse("2026-11-27T08:30:00Z"), Instant.parse("2026-11-28T10:00:00Z"))) {
            clock.set(at);
            Map<String, Map<String, List<String>>> requests = requests(withdrawn);
            int checked = 0;
            for (var path : requests.entrySet()) {
                Set<String> documented = new TreeSet<>(keys(document.get("paths").get(path.getKey()).get("get").get("responses")));
                assertEquals(documented, new TreeSet<>(path.getValue().keySet()), path.getKey() + ": every documented answer is exercised");
                for (var status : path.getValue().entrySet()) {
                    Schema schema = responseSchema(path.getKey(), status.getKey());
                    for (String url : status.getValue()) {
                        HttpResponse<String> r = server.get(url);
                        assertEquals(Integer.parseInt(status.getKey()), r.statusCode(), url + ": " + r.body());
                        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith(mediaType(status.getKey())), url);
                        List<String> errors = violations(schema, parse(r.body()));
                        assertTrue(errors.isEmpty(), at + " " + url + " departs from the document: " + errors);
                        checked++;
                    }
                }
            }
            assertTrue(checked >= 35, "checked " + checked + " answers");
        }
    }

    /** For each documented path and status, real addresses that answer it. */
    private Map<String, Map<String, List<String>>> requests(long withdrawn) {
        String base = SemaforoApi.BASE;
        Map<String, Map<String, List<String>>> r = new LinkedHashMap<>();
        for (String path : ApiRoutes.PATHS) {
            if (!path.contains("{") && document.get("paths").get(path).has("get")) r.put(path, new LinkedHashMap<>(Map.of("200", List.of(path))));
        }
        List<String> slugs = server.app().services().load().services().stream().map(Service::slug).toList();
        r.put(base + "/services/{slug}.json", Map.of(
                "200", slugs.stream().map(s -> base + "/services/" + s + ".json").toList(),
                "404", List.of(base + "/services/nessuno.json")));
        r.put(base + "/notices.json", Map.of(
                "200", List.of(base + "/notices.json", base + "/notices.json?servizi=anagrafe",
                        base + "/notices.json?servizi=carta-identita", base + "/notices.json?servizi=pagamenti-pagopa"),
                "400", List.of(base + "/notices.json?servizi=nessuno", base + "/notices.json?servizi=A%20B")));
        r.put(ChangeLog.PATH, Map.of(
                "200", List.of(ChangeLog.PATH, ChangeLog.PATH + "?after=0&limit=2", ChangeLog.PATH + "?after=999999"),
                "400", List.of(ChangeLog.PATH + "?after=-1", ChangeLog.PATH + "?limit=0")));
        List<Long> ids = new ArrayList<>();
        server.app().notices().latestPublic(clock.instant(), false, 50).stream().map(Notice::id).forEach(ids::add);
        server.app().notices().latestPublic(clock.instant(), true, 50).stream().map(Notice::id).forEach(ids::add);
        assertEquals(7, ids.size(), "every demo avviso");
        r.put(base + "/notices/{id}.json", Map.of(
                "200", ids.stream().map(id -> base + "/notices/" + id + ".json").collect(Collectors.toList()),
                "404", List.of(base + "/notices/999999.json", base + "/notices/abc.json"),
                "410", List.of(base + "/notices/" + withdrawn + ".json")));
        return r;
    }

    @Test
    void theCheckFailsWhenAnAnswerDepartsFromTheContract() {
        Schema summary = responseSchema("/api/v2/summary.json", "200");
        JsonNode real = parse(server.get("/api/v2/summary.json").body());
        assertEquals(List.of(), violations(summary, real));

        ObjectNode twoDigits = real.deepCopy();
        ((ObjectNode) twoDigits.get("page")).put("updated_at", "2026-11-24T11:00:00.00+01:00");
        ObjectNode noZone = real.deepCopy();
        ((ObjectNode) noZone.get("page")).remove("time_zone");
        ObjectNode badStatus = real.deepCopy();
        ((ObjectNode) badStatus.get("components").get(1)).put("status", "down");
        ObjectNode groupWithoutMembers = real.deepCopy();
        ((ObjectNode) groupWithoutMembers.get("components").get(0)).remove("components");
        ObjectNode memberWithMembers = real.deepCopy();
        ((ObjectNode) memberWithMembers.get("components").get(1)).putArray("components");
        ObjectNode nullList = real.deepCopy();
        nullList.putNull("incidents");
        ObjectNode shortId = real.deepCopy();
        ((ObjectNode) shortId.get("components").get(1)).put("id", "c7");
        ObjectNode stray = real.deepCopy();
        ((ObjectNode) stray.get("incidents").get(0)).put("expires_at", "2026-11-30T11:00:00.000+01:00");
        ObjectNode nullDisplay = real.deepCopy();
        ((ObjectNode) nullDisplay.get("incidents").get(0).get("incident_updates").get(0)).putNull("display_at");
        ObjectNode badIndicator = real.deepCopy();
        ((ObjectNode) badIndicator.get("status")).put("indicator", "ok");
        for (JsonNode broken : List.of(twoDigits, noZone, badStatus, groupWithoutMembers, memberWithMembers, nullList,
                shortId, stray, nullDisplay, badIndicator)) {
            assertFalse(violations(summary, broken).isEmpty(), "the document must refuse: " + diff(real, broken));
        }
        ArrayNode errors = JsonShape.MAPPER.createArrayNode();
        errors.addObject().put("error", "x");
        assertFalse(violations(responseSchema(SemaforoApi.BASE + "/notices.json", "400"), errors.get(0)).isEmpty(),
                "an error always says its field, even when null");
    }

    /**
     * Every documented answer of the write endpoints, success and each error, from a server
     * of its own (the avvisi written here must not change what the read checks count).
     */
    @Test
    void everyDocumentedWriteAnswerMatchesTheServersRealOnes() {
        int limit = 12;
        MutableClock writeClock = new MutableClock(NOW);
        try (TestServer w = TestServer.start(writeClock, true, Map.of("proxy.trusted", "true", "admin.password.bcrypt.cost", "4",
                "api.write.max.requests.per.minute", String.valueOf(limit), "review.kinds", "violazione-dati,informazione"))) {
            w.app().admin().users().create(Actor.commandLine(),
                    new UserDesk.NewUser("capo.ufficio", "Capo", Role.ADMINISTRATOR, "una frase lunga per entrare"));
            String token = token(w, "redattore.uno");
            String inactive = token(w, "redattore.due");
            long second = w.app().admin().accounts().findByUsername("redattore.due").orElseThrow().id();
            w.app().admin().users().update(Actor.commandLine(), second, new UserDesk.UserEdit("Due", Role.EDITOR, false, null));
            String valid = "{\"kind\": \"disservizio\", \"title\": \"Anagrafe ferma\", \"summary\": \"Guasto.\", "
                    + "\"impacts\": [{\"service\": \"anagrafe\", \"state\": \"suspended\", \"reason\": \"Guasto\"}]}";
            String huge = "{\"body\": \"" + "x".repeat(600 * 1024) + "\"}";
            String base = SemaforoApi.BASE;
            String open = JsonShape.parse(write(w, token, "application/json", base + "/notices.json", valid).body()).get("id").asText();
            String toClose = JsonShape.parse(write(w, token, "application/json", base + "/notices.json", valid).body()).get("id").asText();
            String draft = JsonShape.parse(write(w, token, "application/json", base + "/notices.json",
                    "{\"kind\": \"informazione\", \"title\": \"Bozza\", \"summary\": \"s\", \"draft\": true}").body()).get("id").asText();

            // path -> status -> requests
            Map<String, Map<String, List<Call>>> calls = new LinkedHashMap<>();
            String notices = base + "/notices.json";
            calls.put(notices, new LinkedHashMap<>(Map.of(
                    "201", List.of(new Call(token, "application/json", notices, valid),
                            new Call(token, "application/json", notices, "{\"kind\": \"informazione\", \"title\": \"B\", \"summary\": \"s\", \"draft\": true}")),
                    // a kind under review, from a redattore: a draft awaiting a second clerk's approval
                    "202", List.of(new Call(token, "application/json", notices, "{\"kind\": \"informazione\", \"title\": \"Da approvare\", \"summary\": \"s\"}")),
                    "400", List.of(new Call(token, "application/json", notices, "{\"kind\": \"disservizio\"}"),
                            new Call(token, "application/json", notices, "nope")),
                    "401", List.of(new Call(null, "application/json", notices, valid), new Call("smf_x", "application/json", notices, valid)),
                    "403", List.of(new Call(inactive, "application/json", notices, valid)),
                    "413", List.of(new Call(token, "application/json", notices, huge)),
                    "415", List.of(new Call(token, "text/plain", notices, valid)))));
            for (String op : List.of("updates", "close")) {
                String path = base + "/notices/{id}/" + op + ".json";
                String target = base + "/notices/" + (op.equals("close") ? toClose : open) + "/" + op + ".json";
                String body = "{\"body\": \"Aggiornamento.\"}";
                calls.put(path, new LinkedHashMap<>(Map.of(
                        "201", List.of(new Call(token, "application/json", target, body)),
                        "400", List.of(new Call(token, "application/json", target, "{\"body\": \"\"}")),
                        "401", List.of(new Call(null, "application/json", target, body)),
                        "403", List.of(new Call(inactive, "application/json", target, body)),
                        "404", List.of(new Call(token, "application/json", base + "/notices/999999/" + op + ".json", body)),
                        "409", List.of(op.equals("close") ? new Call(token, "application/json", target, body)   // closed just before
                                : new Call(token, "application/json", base + "/notices/" + draft + "/updates.json", body)),
                        "413", List.of(new Call(token, "application/json", target, huge)),
                        "415", List.of(new Call(token, "application/x-www-form-urlencoded", target, "body=x")))));
            }
            int checked = 0;
            for (var path : calls.entrySet()) {
                Map<String, List<Call>> byStatus = path.getValue();
                // one address held back by the limit: every other request of this path comes from elsewhere
                String flooded = "203.0.113." + checked;
                List<Call> flood = new ArrayList<>();
                for (int i = 0; i <= limit; i++) flood.add(new Call(token, "text/plain", byStatus.get("415").get(0).url(), "x"));
                byStatus.put("429", flood.subList(limit, limit + 1));
                for (int i = 0; i < limit; i++) assertEquals(415, send(w, flood.get(i), flooded).statusCode());
                Set<String> documented = new TreeSet<>(keys(document.get("paths").get(path.getKey()).get("post").get("responses")));
                assertEquals(documented, new TreeSet<>(byStatus.keySet()), path.getKey() + ": every documented answer is exercised");
                int n = 0;
                for (var status : new java.util.TreeMap<>(byStatus).entrySet()) {   // 201 before 409: closing twice
                    Schema schema = responseSchema(path.getKey(), "post", status.getKey());
                    for (Call call : status.getValue()) {
                        String address = status.getKey().equals("429") ? flooded : "198.18.0." + (++n);
                        HttpResponse<String> r = send(w, call, address);
                        assertEquals(Integer.parseInt(status.getKey()), r.statusCode(), call.url() + ": " + r.body());
                        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith(mediaType(status.getKey())), call.url());
                        List<String> errors = violations(schema, parse(r.body()));
                        assertTrue(errors.isEmpty(), "POST " + call.url() + " " + status.getKey() + " departs from the document: " + errors);
                        checked++;
                    }
                }
            }
            assertTrue(checked >= 28, "checked " + checked + " answers");
            // the check itself can fail: a success answer missing a field departs from the document
            ObjectNode broken = (ObjectNode) parse(write(w, token, "application/json", notices, valid).body());
            broken.remove("api_url");
            assertFalse(violations(responseSchema(notices, "post", "201"), broken).isEmpty());
        }
    }

    private static String token(TestServer w, String username) {
        long id = w.app().admin().users().create(Actor.commandLine(),
                new UserDesk.NewUser(username, username, Role.EDITOR, "una frase lunga per entrare"));
        User user = w.app().admin().accounts().find(id).orElseThrow();
        return w.app().admin().tokens().create(user.actor("127.0.0.1"), "openapi",
                java.util.EnumSet.allOf(it.semaforo.admin.ApiTokens.Scope.class), java.time.Instant.parse("2100-01-01T00:00:00Z")).secret();
    }

    /** A write request: token (null for none), content type, address, body. */
    record Call(String token, String type, String url, String body) {
    }

    private static HttpResponse<String> send(TestServer w, Call c, String clientAddress) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(w.url(c.url()))).timeout(Duration.ofSeconds(20))
                .header("X-Forwarded-For", clientAddress).header("Content-Type", c.type())
                .POST(HttpRequest.BodyPublishers.ofString(c.body()));
        if (c.token() != null) b.header("Authorization", "Bearer " + c.token());
        return w.send(b.build());
    }

    private static HttpResponse<String> write(TestServer w, String token, String type, String url, String body) {
        return send(w, new Call(token, type, url, body), "198.19.0.1");
    }

    private static String diff(JsonNode a, JsonNode b) {
        return a.equals(b) ? "(same)" : b.toString().substring(0, Math.min(300, b.toString().length()));
    }
}
