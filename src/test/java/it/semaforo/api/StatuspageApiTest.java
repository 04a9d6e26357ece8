package it.semaforo.api;

import com.fasterxml.jackson.databind.JsonNode;
import it.semaforo.notice.Impact;
import it.semaforo.notice.NoticeKind;
import it.semaforo.notice.NoticeRepository.NewNotice;
import it.semaforo.notice.NoticeRepository.NewUpdate;
import it.semaforo.notice.NoticeStatus;
import it.semaforo.service.Catalog;
import it.semaforo.service.Service;
import it.semaforo.service.ServiceState;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static it.semaforo.api.JsonShape.get;
import static it.semaforo.api.JsonShape.keys;
import static it.semaforo.api.JsonShape.list;
import static it.semaforo.api.JsonShape.shape;
import static it.semaforo.api.JsonShape.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Statuspage v2 API over real HTTP, on the demo comune, against
 * docs/statuspage-v2.md: keys and their order, types, nullability, enums, ids,
 * timestamps, groups, ordering, and states that change.
 */
class StatuspageApiTest {
    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    static final MutableClock clock = new MutableClock(NOW);
    @RegisterExtension
    static final TestServer server = TestServer.demo(clock);

    static final Set<String> COMPONENT_STATUSES = Set.of("operational", "degraded_performance", "partial_outage",
            "major_outage", "under_maintenance");
    static final Set<String> INCIDENT_STATUSES = Set.of("investigating", "identified", "monitoring", "resolved", "postmortem");
    static final Set<String> MAINTENANCE_STATUSES = Set.of("scheduled", "in_progress", "verifying", "completed");

    @BeforeEach
    void resetClock() {
        clock.set(NOW);
    }

    // ---- shapes -----------------------------------------------------------------------

    static void assertPage(JsonNode page, String timeZone, String where) {
        shape(page, where + ".page", "id:id", "name:string", "url:string", "time_zone:string", "updated_at:ts");
        assertTrue(page.get("id").asText().startsWith("p"));
        assertEquals(timeZone, page.get("time_zone").asText());
    }

    static void assertComponent(JsonNode c, String where) {
        boolean group = c.get("group").asBoolean();
        if (group) {
            shape(c, where, "id:id", "name:string", "status:string", "created_at:ts", "updated_at:ts", "position:int",
                    "description:string?", "showcase:bool", "start_date:date?", "group_id:id?", "page_id:id", "group:bool",
                    "only_show_if_degraded:bool", "components:array", "semaforo_state:string");
            assertTrue(c.get("group_id").isNull(), where + ": a group is at the top level");
            list(c.get("components")).forEach(id -> assertTrue(id.isTextual() && id.asText().matches("[0-9a-z]{12}"), where));
        } else {
            shape(c, where, "id:id", "name:string", "status:string", "created_at:ts", "updated_at:ts", "position:int",
                    "description:string?", "showcase:bool", "start_date:date?", "group_id:id?", "page_id:id", "group:bool",
                    "only_show_if_degraded:bool", "semaforo_state:string", "semaforo_url:string");
        }
        assertTrue(COMPONENT_STATUSES.contains(c.get("status").asText()), where + " status " + c.get("status"));
        assertEquals(ServiceState.of(c.get("semaforo_state").asText()).statuspage(), c.get("status").asText(), where);
        assertTrue(c.get("position").asInt() >= 1);
    }

    static void assertIncident(JsonNode i, boolean maintenance, String where) {
        List<String> specs = new java.util.ArrayList<>(List.of("id:id", "name:string", "status:string", "created_at:ts",
                "updated_at:ts", "monitoring_at:ts?", "resolved_at:ts?", "impact:string", "shortlink:string", "started_at:ts",
                "page_id:id", "incident_updates:array", "components:array", "reminder_intervals:string?"));
        if (maintenance) specs.addAll(List.of("scheduled_for:ts", "scheduled_until:ts"));
        specs.addAll(List.of("semaforo_kind:string", "semaforo_url:string", "semaforo_expires_at:ts?"));
        shape(i, where, specs.toArray(String[]::new));
        String status = i.get("status").asText();
        assertTrue((maintenance ? MAINTENANCE_STATUSES : INCIDENT_STATUSES).contains(status), where + " status " + status);
        assertTrue((maintenance ? Set.of("maintenance", "none", "minor", "major", "critical") : Set.of("none", "minor", "major", "critical"))
                .contains(i.get("impact").asText()), where + " impact");
        assertTrue(i.get("id").asText().startsWith(maintenance ? "m" : "i"));
        assertEquals(status.equals("resolved") || status.equals("completed"), !i.get("resolved_at").isNull(),
                where + ": resolved_at is set exactly when it is over");
        List<JsonNode> updates = list(i.get("incident_updates"));
        assertFalse(updates.isEmpty(), where + " has at least its publication as a report");
        for (int k = 0; k < updates.size(); k++) {
            JsonNode u = updates.get(k);
            String at = where + ".incident_updates[" + k + "]";
            shape(u, at, "id:id", "status:string", "body:string", "incident_id:id", "created_at:ts", "updated_at:ts",
                    "display_at:ts", "affected_components:array?", "deliver_notifications:bool", "custom_tweet:string?", "tweet_id:string?");
            assertEquals(i.get("id").asText(), u.get("incident_id").asText(), at);
            assertTrue((maintenance ? MAINTENANCE_STATUSES : INCIDENT_STATUSES).contains(u.get("status").asText()), at);
            if (k > 0) {
                assertFalse(instant(u.get("created_at")).isAfter(instant(updates.get(k - 1).get("created_at"))), at + ": newest first");
            }
            if (!u.get("affected_components").isNull()) {
                for (JsonNode a : list(u.get("affected_components"))) {
                    shape(a, at + ".affected_components", "code:id", "name:string", "old_status:string", "new_status:string");
                    assertTrue(COMPONENT_STATUSES.containsAll(List.of(a.get("old_status").asText(), a.get("new_status").asText())));
                }
            }
        }
        assertEquals(status, updates.get(0).get("status").asText(), where + ": the newest report tells the current status");
        for (JsonNode c : list(i.get("components"))) assertComponent(c, where + ".components");
    }

    static Instant instant(JsonNode ts) {
        return OffsetDateTime.parse(ts.asText()).toInstant();
    }

    static JsonNode byName(JsonNode array, String name) {
        return list(array).stream().filter(n -> n.get("name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in " + array));
    }

    // ---- tests ------------------------------------------------------------------------

    @Test
    void everyEndpointAnswersItsTopLevelKeysInOrderWithThePage() {
        Map<String, List<String>> endpoints = Map.of(
                "/api/v2/summary.json", List.of("page", "components", "incidents", "scheduled_maintenances", "status"),
                "/api/v2/status.json", List.of("page", "status"),
                "/api/v2/components.json", List.of("page", "components"),
                "/api/v2/incidents.json", List.of("page", "incidents"),
                "/api/v2/incidents/unresolved.json", List.of("page", "incidents"),
                "/api/v2/scheduled-maintenances.json", List.of("page", "scheduled_maintenances"),
                "/api/v2/scheduled-maintenances/upcoming.json", List.of("page", "scheduled_maintenances"),
                "/api/v2/scheduled-maintenances/active.json", List.of("page", "scheduled_maintenances"));
        Set<String> pages = new HashSet<>();
        for (var e : endpoints.entrySet()) {
            JsonNode root = get(server, e.getKey());
            assertEquals(e.getValue(), keys(root), e.getKey());
            assertPage(root.get("page"), "Europe/Rome", e.getKey());
            assertEquals("Comune di Roccaverde", root.get("page").get("name").asText());
            assertEquals("https://stato.comune.example.it", root.get("page").get("url").asText());
            assertTrue(root.get("page").get("updated_at").asText().endsWith("+01:00"), "November in Rome: " + root.get("page"));
            pages.add(root.get("page").toString());
            for (String list : List.of("components", "incidents", "scheduled_maintenances")) {
                if (root.has(list)) assertTrue(root.get(list).isArray(), e.getKey() + " " + list + " is a list, [] when empty");
            }
        }
        assertEquals(1, pages.size(), "one page object for every endpoint: " + pages);
    }

    @Test
    void componentsAreAFlatListOfGroupsEachFollowedByItsMembers() {
        Catalog catalog = server.app().services().load();
        JsonNode components = get(server, "/api/v2/components.json").get("components");
        assertEquals(catalog.groups().size() + catalog.services().size(), components.size());
        Map<String, JsonNode> byId = new HashMap<>();
        for (JsonNode c : list(components)) {
            assertComponent(c, c.get("name").asText());
            assertEquals(null, byId.put(c.get("id").asText(), c), "ids are unique");
        }
        // every member names a group present in the list, and that group lists it, in order
        String currentGroup = null;
        int groupPosition = 0;
        int memberPosition = 0;
        for (JsonNode c : list(components)) {
            if (c.get("group").asBoolean()) {
                currentGroup = c.get("id").asText();
                assertEquals(++groupPosition, c.get("position").asInt(), "groups are numbered from 1");
                memberPosition = 0;
                for (JsonNode member : list(c.get("components"))) {
                    assertEquals(currentGroup, byId.get(member.asText()).get("group_id").asText());
                }
            } else {
                assertEquals(currentGroup, c.get("group_id").asText(), c.get("name") + " follows its group");
                assertTrue(list(byId.get(currentGroup).get("components")).stream().anyMatch(id -> id.asText().equals(c.get("id").asText())));
                assertEquals(++memberPosition, c.get("position").asInt(), "members are numbered from 1 within their group");
                assertTrue(c.get("showcase").asBoolean());
                assertEquals("2026-11-24", c.get("start_date").asText(), "the day the service was created, in Rome");
            }
        }
        // names, ids and the states of docs/design.md's table
        assertEquals(List.of("Servizi online", "Anagrafe e stato civile", "Scuola", "Tributi e pagamenti"),
                list(components).stream().filter(c -> c.get("group").asBoolean()).map(c -> c.get("name").asText()).toList());
        Service anagrafe = catalog.service("anagrafe").orElseThrow();
        JsonNode a = byName(components, "Anagrafe");
        assertEquals("c" + "0".repeat(11 - Long.toString(anagrafe.id(), 36).length()) + Long.toString(anagrafe.id(), 36), a.get("id").asText(),
                "a component id is 'c' and the service id in base 36, padded to 12 characters");
        assertEquals("partial_outage", a.get("status").asText());
        assertEquals("alternative", a.get("semaforo_state").asText());
        assertEquals("https://stato.comune.example.it/servizi/anagrafe", a.get("semaforo_url").asText());
        assertEquals("Residenza, cambi di indirizzo, certificati allo sportello.", a.get("description").asText());
        assertEquals("major_outage", byName(components, "Sportello telematico").get("status").asText());
        assertEquals("partial_outage", byName(components, "Stato civile").get("status").asText());
        assertEquals("limited", byName(components, "Stato civile").get("semaforo_state").asText());
        assertEquals("degraded_performance", byName(components, "Protocollo e PEC").get("status").asText());
        assertEquals("operational", byName(components, "Carta d'identità elettronica").get("status").asText());
        assertEquals("operational", byName(components, "Pagamenti online (pagoPA)").get("status").asText(), "the maintenance is in 3 days");
        JsonNode registryGroup = byName(components, "Anagrafe e stato civile");
        assertEquals("partial_outage", registryGroup.get("status").asText(), "a group has the worst status of its members");
        assertTrue(registryGroup.get("description").isNull());
        assertEquals(a.get("group_id").asText(), registryGroup.get("id").asText());
        assertTrue(registryGroup.get("id").asText().startsWith("g"));
        // the same list in the summary
        assertEquals(components, get(server, "/api/v2/summary.json").get("components"));
    }

    @Test
    void theStatusTellsTheWorstStateInStatuspageWords() {
        JsonNode status = get(server, "/api/v2/status.json").get("status");
        shape(status, "status", "indicator:string", "description:string", "semaforo_state:string");
        assertEquals("critical", status.get("indicator").asText(), "online services are suspended");
        assertEquals("Major Service Outage", status.get("description").asText());
        assertEquals("suspended", status.get("semaforo_state").asText());
        assertEquals(status, get(server, "/api/v2/summary.json").get("status"));
    }

    @Test
    void incidentsAreTheAvvisiNewestFirstWithTheirReports() {
        JsonNode incidents = get(server, "/api/v2/incidents.json").get("incidents");
        List<JsonNode> all = list(incidents);
        assertEquals(6, all.size(), "seven demo avvisi, one of them a maintenance");
        for (int k = 0; k < all.size(); k++) {
            assertIncident(all.get(k), false, "incidents[" + k + "]");
            if (k > 0) assertFalse(instant(all.get(k).get("created_at")).isAfter(instant(all.get(k - 1).get("created_at"))), "newest first");
        }
        JsonNode outage = byName(incidents, "Servizi online sospesi per l'attacco informatico al fornitore cloud");
        assertEquals("identified", outage.get("status").asText());
        assertEquals("critical", outage.get("impact").asText(), "it suspended services");
        assertEquals("2026-11-12T10:19:00.000+01:00", outage.get("created_at").asText());
        assertEquals("2026-11-30T11:00:00.000+01:00", outage.get("semaforo_expires_at").asText());
        assertEquals("2026-11-23T15:00:00.000+01:00", outage.get("updated_at").asText(), "its third update");
        assertTrue(outage.get("resolved_at").isNull());
        String id = outage.get("id").asText();
        long noticeId = Long.parseLong(id.substring(1), 36);
        assertEquals("https://stato.comune.example.it/avvisi/" + noticeId, outage.get("shortlink").asText());
        assertEquals(301, server.get("/avvisi/" + noticeId).statusCode(), "the shortlink leads to the avviso");
        List<JsonNode> reports = list(outage.get("incident_updates"));
        assertEquals(List.of("identified", "identified", "identified", "investigating"), reports.stream().map(r -> r.get("status").asText()).toList());
        assertTrue(reports.get(0).get("body").asText().contains("albo pretorio"), "the newest update comes first");
        JsonNode publication = reports.get(3);
        assertTrue(publication.get("id").asText().startsWith("a"));
        assertTrue(publication.get("body").asText().startsWith("I servizi online del Comune sono temporaneamente disattivati"), "the summary");
        // the provider outage reached every service running on PA Gestionali
        Map<String, String> firstChange = new HashMap<>();
        list(publication.get("affected_components")).forEach(c -> firstChange.put(c.get("name").asText(), c.get("old_status").asText() + ">" + c.get("new_status").asText()));
        assertEquals("operational>major_outage", firstChange.get("Anagrafe"));
        assertEquals("operational>major_outage", firstChange.get("Stato civile"));
        assertFalse(firstChange.containsKey("Carta d'identità elettronica"), "it does not run on the provider");
        JsonNode update1 = reports.get(2);
        Map<String, String> change1 = new HashMap<>();
        list(update1.get("affected_components")).forEach(c -> change1.put(c.get("name").asText(), c.get("old_status").asText() + ">" + c.get("new_status").asText()));
        assertEquals(Map.of("Anagrafe", "major_outage>partial_outage", "Stato civile", "major_outage>partial_outage"), change1);
        assertTrue(reports.get(1).get("affected_components").isNull(), "update 2 changed no state");
        assertEquals(List.of("Sportello telematico", "Certificati anagrafici online", "Albo pretorio online", "Protocollo e PEC",
                "Anagrafe", "Stato civile", "Tributi: IMU e TARI"), texts(outage.get("components"), "name"));

        JsonNode breach = byName(incidents, "Comunicazione agli interessati: violazione dei dati dei servizi scolastici");
        assertEquals("monitoring", breach.get("status").asText(), "the portal is back while the avviso stays open");
        assertFalse(breach.get("monitoring_at").isNull());

        JsonNode spid = byName(incidents, "Accesso con SPID e CIE non disponibile");
        assertEquals("resolved", spid.get("status").asText());
        assertEquals(spid.get("incident_updates").get(0).get("created_at"), spid.get("resolved_at"), "closed by its update");
        assertEquals("critical", spid.get("impact").asText());
        assertTrue(spid.get("created_at").asText().endsWith("+02:00"), "mid October in Rome is summer time");

        JsonNode holiday = byName(incidents, "Uffici chiusi per la festa del santo patrono");
        assertEquals("resolved", holiday.get("status").asText(), "expired");
        assertEquals("none", holiday.get("impact").asText());
        JsonNode expiry = holiday.get("incident_updates").get(0);
        assertTrue(expiry.get("id").asText().startsWith("e"));
        assertTrue(expiry.get("body").asText().startsWith("L'avviso è scaduto il"), expiry.toString());
        assertEquals(holiday.get("semaforo_expires_at"), holiday.get("resolved_at"));
        assertTrue(holiday.get("created_at").asText().endsWith("+02:00"), "September in Rome is summer time");

        JsonNode phishing = byName(incidents, "Telefonate ed email false a nome del Comune: non comunicate le vostre credenziali");
        assertEquals("[]", phishing.get("components").toString(), "an empty list, never null");
        assertEquals("none", phishing.get("impact").asText());
    }

    @Test
    void unresolvedIncidentsAreThoseInForce() {
        JsonNode summary = get(server, "/api/v2/summary.json");
        JsonNode unresolved = get(server, "/api/v2/incidents/unresolved.json").get("incidents");
        assertEquals(List.of("Telefonate ed email false a nome del Comune: non comunicate le vostre credenziali",
                "Servizi online sospesi per l'attacco informatico al fornitore cloud",
                "Comunicazione agli interessati: violazione dei dati dei servizi scolastici"), texts(unresolved, "name"));
        for (JsonNode i : list(unresolved)) {
            assertIncident(i, false, i.get("name").asText());
            assertTrue(Set.of("investigating", "identified", "monitoring").contains(i.get("status").asText()));
        }
        assertEquals(unresolved, summary.get("incidents"));
    }

    @Test
    void maintenancesAreUpcomingThenActiveThenCompleted() {
        // its own server: the clock moves forward and cached answers must not outlive the test
        MutableClock clock = new MutableClock(NOW);
        try (TestServer server = TestServer.start(clock, true, Map.of())) {
            maintenanceLifecycle(server, clock);
        }
    }

    private void maintenanceLifecycle(TestServer server, MutableClock clock) {
        JsonNode upcoming = get(server, "/api/v2/scheduled-maintenances/upcoming.json").get("scheduled_maintenances");
        assertEquals(1, upcoming.size());
        JsonNode m = upcoming.get(0);
        assertIncident(m, true, "upcoming");
        assertEquals("Manutenzione programmata di pagoPA: pagamenti online non disponibili", m.get("name").asText());
        assertEquals("scheduled", m.get("status").asText());
        assertEquals("maintenance", m.get("impact").asText());
        assertEquals("2026-11-27T08:00:00.000+01:00", m.get("scheduled_for").asText());
        assertEquals("2026-11-27T14:00:00.000+01:00", m.get("scheduled_until").asText());
        assertEquals(List.of("Pagamenti online (pagoPA)"), texts(m.get("components"), "name"));
        assertEquals("[]", get(server, "/api/v2/scheduled-maintenances/active.json").get("scheduled_maintenances").toString());
        assertEquals(upcoming, get(server, "/api/v2/summary.json").get("scheduled_maintenances"));
        assertEquals(upcoming, get(server, "/api/v2/scheduled-maintenances.json").get("scheduled_maintenances"));

        clock.set(Instant.parse("2026-11-27T08:30:00Z"));   // 9:30 in Rome, inside the window
        JsonNode active = get(server, "/api/v2/scheduled-maintenances/active.json").get("scheduled_maintenances");
        assertEquals(1, active.size());
        assertIncident(active.get(0), true, "active");
        assertEquals("in_progress", active.get(0).get("status").asText());
        JsonNode start = active.get(0).get("incident_updates").get(0);
        assertTrue(start.get("id").asText().startsWith("s"), "the opening of the window is reported");
        assertEquals("2026-11-27T08:00:00.000+01:00", start.get("created_at").asText());
        assertEquals("under_maintenance", start.get("affected_components").get(0).get("new_status").asText());
        assertEquals("operational", start.get("affected_components").get(0).get("old_status").asText());
        assertEquals("under_maintenance", byName(get(server, "/api/v2/components.json").get("components"), "Pagamenti online (pagoPA)").get("status").asText());
        assertEquals("[]", get(server, "/api/v2/scheduled-maintenances/upcoming.json").get("scheduled_maintenances").toString());
        assertEquals(active, get(server, "/api/v2/summary.json").get("scheduled_maintenances"));

        clock.set(Instant.parse("2026-11-27T14:00:00Z"));   // 15:00 in Rome, after the window
        JsonNode all = get(server, "/api/v2/scheduled-maintenances.json").get("scheduled_maintenances");
        assertIncident(all.get(0), true, "completed");
        assertEquals("completed", all.get(0).get("status").asText());
        assertEquals("2026-11-27T14:00:00.000+01:00", all.get(0).get("resolved_at").asText());
        assertEquals("[]", get(server, "/api/v2/scheduled-maintenances/active.json").get("scheduled_maintenances").toString());
        assertEquals("[]", get(server, "/api/v2/summary.json").get("scheduled_maintenances").toString());
    }

    @Test
    void aNewAvvisoChangesComponentsIncidentsAndItsClosureResolvesIt() {
        Catalog c = server.app().services().load();
        long cards = c.service("carta-identita").orElseThrow().id();
        long id = server.app().notices().create(new NewNotice(NoticeKind.OUTAGE, NoticeStatus.PUBLISHED,
                "Agenda CIE non raggiungibile", "Le prenotazioni della carta d'identità sono sospese.", "", "it",
                NOW.plus(Duration.ofMinutes(5)), null, null, null, "test",
                List.of(Impact.onService(cards, ServiceState.SUSPENDED, "Agenda nazionale non raggiungibile"))));
        clock.set(NOW.plus(Duration.ofMinutes(10)));   // the demo's services were created at NOW
        try {
            JsonNode summary = get(server, "/api/v2/summary.json");
            JsonNode component = byName(summary.get("components"), "Carta d'identità elettronica");
            assertEquals("major_outage", component.get("status").asText());
            assertEquals("2026-11-24T11:05:00.000+01:00", component.get("updated_at").asText(), "when its state changed");
            assertEquals("major_outage", byName(summary.get("components"), "Anagrafe e stato civile").get("status").asText());
            JsonNode incident = summary.get("incidents").get(0);
            assertEquals("Agenda CIE non raggiungibile", incident.get("name").asText(), "the newest comes first");
            assertEquals("investigating", incident.get("status").asText());
            assertEquals("critical", incident.get("impact").asText());
            assertEquals("2026-11-24T11:05:00.000+01:00", summary.get("page").get("updated_at").asText());

            clock.set(NOW.plus(Duration.ofMinutes(20)));
            server.app().notices().addUpdate(id, new NewUpdate("Le prenotazioni sono di nuovo aperte.", List.of(), true, "test", null));
            JsonNode after = get(server, "/api/v2/summary.json");
            assertEquals("operational", byName(after.get("components"), "Carta d'identità elettronica").get("status").asText());
            assertFalse(texts(after.get("incidents"), "name").contains("Agenda CIE non raggiungibile"));
            JsonNode resolved = byName(get(server, "/api/v2/incidents.json").get("incidents"), "Agenda CIE non raggiungibile");
            assertIncident(resolved, false, "resolved");
            assertEquals("resolved", resolved.get("status").asText());
            assertEquals("2026-11-24T11:20:00.000+01:00", resolved.get("resolved_at").asText());
            assertEquals(List.of("resolved", "investigating"), texts(resolved.get("incident_updates"), "status"));
            JsonNode closing = resolved.get("incident_updates").get(0).get("affected_components").get(0);
            assertEquals("major_outage", closing.get("old_status").asText());
            assertEquals("operational", closing.get("new_status").asText());
        } finally {
            server.app().notices().withdraw(id);
        }
        assertFalse(texts(get(server, "/api/v2/incidents.json").get("incidents"), "name").contains("Agenda CIE non raggiungibile"),
                "a withdrawn avviso leaves the API");
    }

    @Test
    void theIndicatorFollowsEveryStateAndTimestampsFollowTheZone() {
        MutableClock own = new MutableClock(NOW);
        try (TestServer empty = TestServer.start(own, false, Map.of("time.zone", "Etc/UTC"))) {
            long group = empty.app().services().createGroup("Servizi", 1);
            long service = empty.app().services().createService(new it.semaforo.service.ServiceCatalog.NewService(
                    "portale", "Portale", "", group, 1, List.of(), Set.of()));
            JsonNode root = get(empty, "/api/v2/summary.json");
            assertPage(root.get("page"), "Etc/UTC", "utc");
            assertEquals("2026-11-24T10:00:00.000Z", root.get("page").get("updated_at").asText(), "Z for UTC, milliseconds kept");
            assertEquals("none", root.get("status").get("indicator").asText());
            assertEquals("All Systems Operational", root.get("status").get("description").asText());
            assertEquals("[]", root.get("incidents").toString());
            assertEquals("[]", root.get("scheduled_maintenances").toString());
            assertTrue(root.get("components").get(1).get("description").isNull(), "an empty description is null");

            Map<ServiceState, List<String>> expected = Map.of(
                    ServiceState.DEGRADED, List.of("minor", "Partially Degraded Service", "degraded_performance"),
                    ServiceState.ALTERNATIVE, List.of("major", "Partial System Outage", "partial_outage"),
                    ServiceState.LIMITED, List.of("major", "Partial System Outage", "partial_outage"),
                    ServiceState.MAINTENANCE, List.of("maintenance", "Service Under Maintenance", "under_maintenance"),
                    ServiceState.SUSPENDED, List.of("critical", "Major Service Outage", "major_outage"));
            for (var e : expected.entrySet()) {
                long id = empty.app().notices().create(new NewNotice(NoticeKind.OUTAGE, NoticeStatus.PUBLISHED, "Prova " + e.getKey().key(),
                        "", "", "it", NOW.minusSeconds(60), null, null, null, "test",
                        List.of(Impact.onService(service, e.getKey(), "prova"))));
                JsonNode s = get(empty, "/api/v2/summary.json");
                assertEquals(e.getValue().get(0), s.get("status").get("indicator").asText(), e.getKey().key());
                assertEquals(e.getValue().get(1), s.get("status").get("description").asText(), e.getKey().key());
                assertEquals(e.getValue().get(2), s.get("components").get(1).get("status").asText(), e.getKey().key());
                assertEquals(e.getValue().get(2), s.get("components").get(0).get("status").asText(), "the group follows");
                empty.app().notices().withdraw(id);
            }
            // an avviso that expires resolves itself
            long id = empty.app().notices().create(new NewNotice(NoticeKind.OUTAGE, NoticeStatus.PUBLISHED, "Scade tra un'ora",
                    "", "", "it", NOW.minusSeconds(60), NOW.plus(Duration.ofHours(1)), null, null, "test",
                    List.of(Impact.onService(service, ServiceState.DEGRADED, ""))));
            assertEquals("minor", get(empty, "/api/v2/status.json").get("status").get("indicator").asText());
            own.set(NOW.plus(Duration.ofHours(1)));
            JsonNode expired = get(empty, "/api/v2/incidents.json").get("incidents").get(0);
            assertEquals("resolved", expired.get("status").asText());
            assertEquals("2026-11-24T11:00:00.000Z", expired.get("resolved_at").asText());
            assertEquals("none", get(empty, "/api/v2/status.json").get("status").get("indicator").asText(), "the cached answer died with the expiry");
            empty.app().notices().withdraw(id);
        }
    }

    @Test
    void answersAreCachedWithTagsAndReadableFromAnyOrigin() {
        HttpResponse<String> first = server.get("/api/v2/summary.json");
        String etag = first.headers().firstValue("ETag").orElseThrow();
        assertEquals("ETag", first.headers().firstValue("Access-Control-Expose-Headers").orElse(""));
        assertEquals("nosniff", first.headers().firstValue("X-Content-Type-Options").orElse(""));
        HttpResponse<String> again = server.get("/api/v2/summary.json", "If-None-Match", etag);
        assertEquals(304, again.statusCode());
        assertEquals("*", again.headers().firstValue("Access-Control-Allow-Origin").orElse(""), "a 304 is readable cross-origin too");

        HttpResponse<String> preflight = server.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url("/api/v2/summary.json")))
                .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://www.comune.example.it").header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "if-none-match").build());
        assertEquals(204, preflight.statusCode());
        assertEquals("*", preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").contains("If-None-Match"));
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("").contains("GET"));
    }

    @Test
    void anUnknownApiAddressAnswersJson404() {
        HttpResponse<String> r = server.get("/api/v2/nothing.json");
        JsonNode error = JsonShape.assertProblem(r, 404, "/api/v2/nothing.json");
        assertTrue(error.get("detail").asText().contains("/api/openapi.json"));
        assertNull(error.get("field").textValue());
        // the site's own 404 stays a page
        assertTrue(server.get("/nothing").headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    }
}
