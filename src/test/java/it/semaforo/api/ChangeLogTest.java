package it.semaforo.api;

import com.fasterxml.jackson.databind.JsonNode;
import it.semaforo.audit.Actor;
import it.semaforo.notice.Impact;
import it.semaforo.notice.NoticeDetails;
import it.semaforo.notice.NoticeInput;
import it.semaforo.notice.NoticeKind;
import it.semaforo.service.ServiceState;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static it.semaforo.api.JsonShape.list;
import static it.semaforo.api.JsonShape.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The public change log followed over HTTP as another system would: in order, paged, 304 while
 * nothing happens, never a draft, and across a restart during which a scheduled publication and
 * a scadenza fell due, each announced once.
 */
class ChangeLogTest {
    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    static final MutableClock clock = new MutableClock(NOW);
    @RegisterExtension
    static final TestServer server = TestServer.demo(clock);
    static final String PATH = "/api/semaforo/v1/events.json";
    static final Actor CLERK = new Actor(null, "test", "Test", "127.0.0.1");

    private static JsonNode page(String query) {
        HttpResponse<String> r = server.get(PATH + query);
        assertEquals(200, r.statusCode(), r.body());
        JsonShape.assertPublicJson(r, PATH);
        return parse(r.body());
    }

    /** Every public event after seq, following the next links. */
    private static List<JsonNode> follow(long after) {
        List<JsonNode> events = new ArrayList<>();
        JsonNode p = page("?after=" + after);
        while (true) {
            events.addAll(list(p.get("events")));
            if (p.get("next").isNull()) return events;
            p = page(p.get("next").asText().substring("https://stato.comune.example.it".length() + PATH.length()));
        }
    }

    private static long last() {
        return page("?after=0&limit=500").get("last_id").asLong();
    }

    private static List<String> types(List<JsonNode> events) {
        return events.stream().map(e -> e.get("type").asText()).toList();
    }

    private static long serviceId(String slug) {
        return server.app().services().load().service(slug).orElseThrow().id();
    }

    private static NoticeInput outage(String title, Instant at, Instant expires, Impact... impacts) {
        return new NoticeInput(NoticeKind.OUTAGE, title, "Riassunto", "Testo.", "it", at, expires, null, null,
                List.of(impacts), NoticeDetails.NONE);
    }

    @Test
    void theDemoIsInTheLogInOrderAndPaged() {
        List<JsonNode> all = follow(0);
        assertTrue(all.size() >= 7, "the demo's avvisi were announced as they were written: " + types(all));
        for (int i = 1; i < all.size(); i++) assertTrue(all.get(i).get("id").asLong() > all.get(i - 1).get("id").asLong());
        JsonNode first = page("?after=0&limit=2");
        assertEquals(2, first.get("events").size());
        assertTrue(first.get("next").asText().endsWith(PATH + "?after=" + first.get("last_id").asLong() + "&limit=2"));
        assertEquals(all.get(2).get("id"), page("?after=" + first.get("last_id").asLong() + "&limit=2").get("events").get(0).get("id"));
    }

    @Test
    void aFollowerSeesPublicChangesAndNeverADraft() {
        clock.set(NOW);
        long seen = last();
        HttpResponse<String> quiet = server.get(PATH + "?after=" + seen);
        String etag = quiet.headers().firstValue("ETag").orElseThrow();
        long portal = serviceId("albo-pretorio");
        long draft = server.app().domain().noticeDesk().createDraft(CLERK,
                outage("Bozza segreta", null, null, Impact.onService(portal, ServiceState.SUSPENDED, "giù")));
        assertEquals(304, server.get(PATH + "?after=" + seen, "If-None-Match", etag).statusCode(), "a draft changes nothing public");
        assertTrue(follow(seen).isEmpty());
        server.app().domain().noticeDesk().publish(CLERK, draft);
        HttpResponse<String> changed = server.get(PATH + "?after=" + seen, "If-None-Match", etag);
        assertEquals(200, changed.statusCode());
        List<JsonNode> events = list(parse(changed.body()).get("events"));
        assertEquals(List.of("notice.published", "service.state_changed"), types(events));
        JsonNode notice = events.get(0).get("data").get("notice");
        assertEquals(draft, notice.get("id").asLong());
        assertEquals("Bozza segreta", notice.get("title").asText());
        JsonNode service = events.get(0).get("data").get("services").get(0);
        assertEquals("albo-pretorio", service.get("slug").asText());
        assertEquals("operational", service.get("before").asText());
        assertEquals("suspended", service.get("after").asText());
        assertEquals("notice.published", events.get(1).get("data").get("cause").asText());
        assertFalse(changed.body().contains("\"Test\""), "no clerk's name");
        assertFalse(changed.body().contains("is_public"));
        server.app().domain().noticeDesk().withdraw(CLERK, draft, "prova");
    }

    @Test
    void badParametersAreRefusedWithTheirName() {
        for (String q : List.of("?after=-1", "?after=abc", "?after=%EF%BC%91", "?after=99999999999999999999")) {
            refused(q, "after");
        }
        for (String q : List.of("?limit=0", "?limit=501", "?limit=1.5")) refused(q, "limit");
    }

    private static void refused(String query, String field) {
        JsonNode e = JsonShape.assertProblem(server.get(PATH + query), 400, PATH + query);
        assertEquals(field, e.get("field").textValue(), query);
        assertTrue(e.get("error").asText().contains(field), "the sentence names it: " + e);
    }

    @Test
    void acrossARestartWhatFellDueMeanwhileIsAnnouncedOnce() throws Exception {
        clock.set(NOW);
        long portal = serviceId("albo-pretorio");
        Instant at = NOW.plus(Duration.ofHours(1));
        Instant expiry = NOW.plus(Duration.ofHours(2));
        long id = server.app().domain().noticeDesk().createPublished(CLERK,
                outage("Programmato", at, expiry, Impact.onService(portal, ServiceState.SUSPENDED, "giù")));
        long seen = last();
        assertTrue(follow(seen).isEmpty(), "scheduled: not public yet");
        clock.set(NOW.plus(Duration.ofHours(3)));
        server.restart();   // down across the publication and the scadenza
        List<JsonNode> events = List.of();
        for (int i = 0; i < 50 && events.size() < 4; i++) {
            Thread.sleep(100);
            events = follow(seen);
        }
        assertEquals(List.of("notice.became_public", "service.state_changed", "notice.expired", "service.state_changed"),
                types(events));
        assertEquals(at.toString(), events.get(0).get("at").asText(), "at the instant it fell due");
        assertEquals(id, events.get(2).get("data").get("notice").get("id").asLong());
        Thread.sleep(1500);   // the clock ticks again: nothing more
        assertEquals(types(events), types(follow(seen)));
        assertNotEquals(seen, last());
        clock.set(NOW);
    }
}
