package it.semaforo.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import it.semaforo.notice.Notice;
import it.semaforo.notice.NoticeKind;
import it.semaforo.notice.NoticeRepository.NewNotice;
import it.semaforo.notice.NoticeStatus;
import it.semaforo.service.Service;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
    static TestServer server;
    static JsonNode document;
    static SchemaRegistry registry;

    @BeforeAll
    static void start() {
        server = TestServer.start(clock, true, Map.of());
        HttpResponse<String> r = server.get(ApiRoutes.OPENAPI);
        assertEquals(200, r.statusCode());
        JsonShape.assertPublicJson(r, ApiRoutes.OPENAPI);
        document = parse(r.body());
        // the document as served is the schema: what a client reads is what is checked
        registry = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi31(), b -> b.schemas(Map.of(DOCUMENT, r.body())));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Schema responseSchema(String path, String status) {
        String pointer = "/paths/" + escape(path) + "/get/responses/" + status + "/content/application~1json/schema";
        assertFalse(document.at(pointer).isMissingNode(), "documented: " + path + " " + status);
        return registry.getSchema(SchemaLocation.of(DOCUMENT + "#" + pointer));
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
        document.get("paths").fields().forEachRemaining(e -> assertEquals(List.of("get"), keys(e.getValue()),
                e.getKey() + ": read-only for now"));
    }

    @Test
    void everyDocumentedAnswerMatchesTheServersRealOnes() {
        long withdrawn = server.app.notices().create(new NewNotice(NoticeKind.INFORMATION, NoticeStatus.PUBLISHED,
                "Pubblicato per errore", "", "", "it", NOW.minus(Duration.ofHours(2)), null, null, null, "test", List.of()));
        server.app.notices().withdraw(withdrawn);
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
                        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), url);
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
            if (!path.contains("{")) r.put(path, new LinkedHashMap<>(Map.of("200", List.of(path))));
        }
        List<String> slugs = server.app.services().load().services().stream().map(Service::slug).toList();
        r.put(base + "/services/{slug}.json", Map.of(
                "200", slugs.stream().map(s -> base + "/services/" + s + ".json").toList(),
                "404", List.of(base + "/services/nessuno.json")));
        r.put(base + "/notices.json", Map.of(
                "200", List.of(base + "/notices.json", base + "/notices.json?servizi=anagrafe",
                        base + "/notices.json?servizi=carta-identita", base + "/notices.json?servizi=pagamenti-pagopa"),
                "400", List.of(base + "/notices.json?servizi=nessuno", base + "/notices.json?servizi=A%20B")));
        List<Long> ids = new ArrayList<>();
        server.app.notices().latestPublic(clock.instant(), false, 50).stream().map(Notice::id).forEach(ids::add);
        server.app.notices().latestPublic(clock.instant(), true, 50).stream().map(Notice::id).forEach(ids::add);
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

    private static String diff(JsonNode a, JsonNode b) {
        return a.equals(b) ? "(same)" : b.toString().substring(0, Math.min(300, b.toString().length()));
    }
}
