package it.semaforo.api;

import com.fasterxml.jackson.databind.JsonNode;
import it.semaforo.notice.Impact;
import it.semaforo.notice.NoticeKind;
import it.semaforo.notice.NoticeRepository.NewNotice;
import it.semaforo.notice.NoticeStatus;
import it.semaforo.service.ServiceState;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static it.semaforo.api.JsonShape.get;
import static it.semaforo.api.JsonShape.keys;
import static it.semaforo.api.JsonShape.list;
import static it.semaforo.api.JsonShape.parse;
import static it.semaforo.api.JsonShape.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Semaforo's own read API over real HTTP: what Statuspage cannot say, and clear errors for bad input. */
class SemaforoApiTest {
    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    static final MutableClock clock = new MutableClock(NOW);
    @RegisterExtension
    static final TestServer server = TestServer.demo(clock);
    static final String BASE = "/api/semaforo/v1";

    static JsonNode bySlug(JsonNode array, String slug) {
        return list(array).stream().filter(n -> n.get("slug").asText().equals(slug)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + slug));
    }

    static JsonNode byTitle(JsonNode array, String title) {
        return list(array).stream().filter(n -> n.get("title").asText().equals(title)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + title));
    }

    /** A 4xx answer: problem+json (detail, field) with the CORS header, never a page and never a 500. */
    static JsonNode error(String path, int status, String field) {
        HttpResponse<String> r = server.get(path);
        JsonNode e = JsonShape.assertProblem(r, status, path);
        assertTrue(e.get("detail").asText().length() > 10, "a sentence: " + e);
        assertEquals(field, e.get("field").textValue(), path);
        return e;
    }

    @Test
    void servicesCarryStateReasonChannelsAndProviders() {
        JsonNode root = get(server, BASE + "/services.json");
        assertEquals(List.of("page", "generated_at", "overall", "groups", "services"), keys(root));
        assertEquals("https://stato.comune.example.it", root.get("page").get("url").asText());
        assertEquals("2026-11-24T11:00:00.000+01:00", root.get("generated_at").asText());
        assertEquals("suspended", root.get("overall").get("state").asText());
        assertEquals("critical", root.get("overall").get("statuspage_indicator").asText());
        assertEquals(List.of("anagrafe", "carta-identita", "stato-civile"),
                list(root.get("groups").get(1).get("services")).stream().map(JsonNode::asText).toList());

        JsonNode anagrafe = bySlug(root.get("services"), "anagrafe");
        assertEquals("alternative", anagrafe.get("state").get("key").asText());
        assertEquals("Disponibile tramite canali alternativi", anagrafe.get("state").get("label").asText());
        assertEquals("partial_outage", anagrafe.get("state").get("statuspage").asText());
        assertEquals("Pratiche allo sportello con una piattaforma alternativa", anagrafe.get("reason").asText());
        assertEquals("Anagrafe e stato civile", anagrafe.get("group").asText());
        assertEquals("https://stato.comune.example.it/servizi/anagrafe", anagrafe.get("url").asText());
        assertEquals(List.of("office", "phone", "email"), texts(anagrafe.get("channels"), "kind"));
        assertEquals("tel:+390123456789", anagrafe.get("channels").get(1).get("href").asText());
        assertTrue(anagrafe.get("channels").get(0).get("href").isNull(), "an office is a place, not a link");
        assertEquals("lun–sab 8:30–12:30", anagrafe.get("channels").get(0).get("hours").asText());
        assertEquals(List.of("anpr", "pa-gestionali"), list(anagrafe.get("providers")).stream().map(JsonNode::asText).toList());
        assertTrue(list(anagrafe.get("all_providers")).stream().map(JsonNode::asText).toList().contains("nubilia-cloud"),
                "the cloud host carries the vendor, which carries the registry");
        assertEquals(1, anagrafe.get("notice_ids").size());
        assertEquals("https://stato.comune.example.it/embed/badge/anagrafe.svg", anagrafe.get("badge_url").asText());
        JsonNode component = list(get(server, "/api/v2/components.json").get("components")).stream()
                .filter(c -> c.get("name").asText().equals("Anagrafe")).findFirst().orElseThrow();
        assertEquals(component.get("id"), anagrafe.get("statuspage_id"), "the two APIs name a service with the same id");

        JsonNode cards = bySlug(root.get("services"), "carta-identita");
        assertEquals("operational", cards.get("state").get("key").asText());
        assertTrue(cards.get("reason").isNull());
        assertEquals("[]", cards.get("notice_ids").toString());
    }

    @Test
    void aServiceHasItsHistoryAndItsAvvisi() {
        JsonNode root = get(server, BASE + "/services/stato-civile.json");
        assertEquals(List.of("page", "generated_at", "service", "history", "notices"), keys(root));
        assertEquals("limited", root.get("service").get("state").get("key").asText());
        assertEquals(90, root.get("history").size());
        JsonNode today = root.get("history").get(89);
        assertEquals("2026-11-24", today.get("date").asText());
        assertEquals("limited", today.get("state").asText());
        assertEquals(List.of("Servizi online sospesi per l'attacco informatico al fornitore cloud"), texts(root.get("notices"), "title"));
        JsonNode spid = get(server, BASE + "/services/certificati-online.json").get("history");
        assertEquals("suspended", spid.get(89 - 40).get("state").asText(), "the SPID outage 40 days ago");
        error(BASE + "/services/non-esiste.json", 404, null);
    }

    @Test
    void providersShowTheChainsAndTheirAvvisi() {
        JsonNode providers = get(server, BASE + "/providers.json").get("providers");
        JsonNode vendor = bySlug(providers, "pa-gestionali");
        assertEquals(List.of("nubilia-cloud"), list(vendor.get("depends_on")).stream().map(JsonNode::asText).toList());
        assertEquals(1, vendor.get("notice_ids").size(), "the ransomware avviso names the vendor");
        JsonNode cloud = bySlug(providers, "nubilia-cloud");
        List<String> reached = list(cloud.get("services")).stream().map(JsonNode::asText).toList();
        assertTrue(reached.containsAll(List.of("sportello-telematico", "anagrafe", "stato-civile", "tributi")), reached.toString());
        assertFalse(reached.contains("carta-identita"));
        assertTrue(bySlug(providers, "anpr").get("description").isTextual());
    }

    @Test
    void noticesInForceComeWithExpiryImpactsUpdatesAndAttachments() {
        JsonNode notices = get(server, BASE + "/notices.json").get("notices");
        assertEquals(List.of("Telefonate ed email false a nome del Comune: non comunicate le vostre credenziali",
                "Servizi online sospesi per l'attacco informatico al fornitore cloud",
                "Comunicazione agli interessati: violazione dei dati dei servizi scolastici",
                "Manutenzione programmata di pagoPA: pagamenti online non disponibili"), texts(notices, "title"),
                "what holds now, newest first, then the maintenance to come");
        JsonNode outage = byTitle(notices, "Servizi online sospesi per l'attacco informatico al fornitore cloud");
        assertEquals("disservizio", outage.get("kind").asText());
        assertEquals("Disservizio", outage.get("kind_label").asText());
        assertEquals("in_force", outage.get("status").asText());
        assertEquals("2026-11-30T11:00:00.000+01:00", outage.get("expires_at").asText());
        assertEquals("2026-11-23T15:00:00.000+01:00", outage.get("last_updated_at").asText());
        assertTrue(outage.get("window").isNull());
        assertTrue(outage.get("body").asText().contains("|"), "the body is the Markdown, tables included");
        assertEquals(List.of(3, 2, 1), list(outage.get("updates")).stream().map(u -> u.get("number").asInt()).toList());
        JsonNode first = outage.get("impacts").get(0);
        assertEquals("pa-gestionali", first.get("provider").asText());
        assertTrue(first.get("service").isNull());
        assertEquals("suspended", first.get("state").get("key").asText());
        assertEquals(outage.get("published_at"), first.get("effective_from"), "held from the publication");
        assertTrue(first.get("update_number").isNull());
        JsonNode registry = list(outage.get("impacts")).stream().filter(i -> "anagrafe".equals(i.get("service").textValue())).findFirst().orElseThrow();
        assertEquals(1, registry.get("update_number").asInt());
        assertEquals("alternative", registry.get("state").get("key").asText());
        JsonNode pdf = outage.get("attachments").get(0);
        assertEquals("comunicato-pa-gestionali.pdf", pdf.get("filename").asText());
        assertEquals("application/pdf", pdf.get("content_type").asText());
        String pdfPath = URI.create(pdf.get("url").asText()).getPath();
        HttpResponse<byte[]> file = server.getBytes(pdfPath);
        assertEquals(200, file.statusCode(), "the attachment's address works");
        assertEquals(pdf.get("size_bytes").asLong(), file.body().length);

        JsonNode maintenance = byTitle(notices, "Manutenzione programmata di pagoPA: pagamenti online non disponibili");
        assertEquals("scheduled", maintenance.get("status").asText());
        assertEquals("2026-11-27T08:00:00.000+01:00", maintenance.get("window").get("start").asText());
        assertEquals("2026-11-27T14:00:00.000+01:00", maintenance.get("window").get("end").asText());
        assertTrue(maintenance.get("statuspage_id").asText().startsWith("m"));

        // for some services only
        assertEquals(List.of("Servizi online sospesi per l'attacco informatico al fornitore cloud"),
                texts(get(server, BASE + "/notices.json?servizi=anagrafe").get("notices"), "title"));
        assertEquals(List.of("Servizi online sospesi per l'attacco informatico al fornitore cloud",
                        "Manutenzione programmata di pagoPA: pagamenti online non disponibili"),
                texts(get(server, BASE + "/notices.json?servizi=pagamenti-pagopa,%20anagrafe").get("notices"), "title"));
        assertEquals("[]", get(server, BASE + "/notices.json?servizi=carta-identita").get("notices").toString());
    }

    @Test
    void oneAvvisoAnswersWhateverItsStatusAndAWithdrawnOne410() {
        List<Long> ids = server.app().notices().latestPublic(NOW, false, 50).stream().map(n -> n.id()).toList();
        assertEquals(6, ids.size());
        for (long id : ids) assertEquals(id, get(server, BASE + "/notices/" + id + ".json").get("notice").get("id").asLong());
        long spid = server.app().notices().latestPublic(NOW, false, 50).stream()
                .filter(n -> n.title().startsWith("Accesso con SPID")).findFirst().orElseThrow().id();
        JsonNode closed = get(server, BASE + "/notices/" + spid + ".json").get("notice");
        assertEquals("closed", closed.get("status").asText());
        assertTrue(closed.get("closed_at").isTextual());
        assertTrue(closed.get("updates").get(0).get("closes").asBoolean());
        long holiday = server.app().notices().latestPublic(NOW, false, 50).stream()
                .filter(n -> n.title().startsWith("Uffici chiusi")).findFirst().orElseThrow().id();
        assertEquals("expired", get(server, BASE + "/notices/" + holiday + ".json").get("notice").get("status").asText());

        long draft = server.app().notices().create(new NewNotice(NoticeKind.INFORMATION, NoticeStatus.DRAFT, "Bozza",
                "", "", "it", null, null, null, null, "test", List.of()));
        long future = server.app().notices().create(new NewNotice(NoticeKind.INFORMATION, NoticeStatus.PUBLISHED, "Domani",
                "", "", "it", NOW.plus(Duration.ofDays(1)), null, null, null, "test", List.of()));
        long withdrawn = server.app().notices().create(new NewNotice(NoticeKind.INFORMATION, NoticeStatus.PUBLISHED, "Per errore",
                "", "", "it", NOW.minus(Duration.ofHours(1)), null, null, null, "test", List.of()));
        server.app().notices().withdraw(withdrawn);
        try {
            error(BASE + "/notices/" + draft + ".json", 404, null);
            error(BASE + "/notices/" + future + ".json", 404, null);
            JsonNode gone = error(BASE + "/notices/" + withdrawn + ".json", 410, null);
            assertTrue(gone.get("detail").asText().contains("ritirato"), gone.toString());
        } finally {
            server.app().notices().withdraw(future);
        }
    }

    @Test
    void badInputGetsA4xxJsonMessageNeverA500() {
        JsonNode unknown = error(BASE + "/notices.json?servizi=anagrafe,nessuno", 400, "servizi");
        assertTrue(unknown.get("detail").asText().contains("«nessuno»"), unknown.toString());
        error(BASE + "/notices.json?servizi=ANAGRAFE", 400, "servizi");
        error(BASE + "/notices.json?servizi=%3Cscript%3Ealert(1)%3C/script%3E", 400, "servizi");
        error(BASE + "/notices.json?servizi=" + "a,".repeat(1100), 400, "servizi");
        error(BASE + "/notices.json?servizi=%00", 400, "servizi");
        error(BASE + "/notices/abc.json", 404, null);
        error(BASE + "/notices/-1.json", 404, null);
        error(BASE + "/notices/99999999999999999999.json", 404, null);
        error(BASE + "/notices/1", 404, null);
        error(BASE + "/services/%2e%2e.json", 404, null);
        error(BASE + "/services/" + "x".repeat(3000) + ".json", 404, null);
        error("/api/semaforo/v2/services.json", 404, null);
        HttpResponse<String> post = server.send(java.net.http.HttpRequest.newBuilder(URI.create(server.url(BASE + "/services.json")))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build());
        assertTrue(post.statusCode() >= 400 && post.statusCode() < 500, "writes are not open: " + post.statusCode());
        assertEquals("*", post.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        // empty parameter: every service
        assertEquals(4, get(server, BASE + "/notices.json?servizi=").get("notices").size());
    }

    @Test
    void textFromAClerkTravelsAsJsonStringsIntact() {
        long portal = server.app().services().load().service("albo-pretorio").orElseThrow().id();
        String title = "<script>alert('x')</script> \"virgolette\" \\ & 第三報 \u2028";
        long id = server.app().notices().create(new NewNotice(NoticeKind.OUTAGE, NoticeStatus.PUBLISHED, title,
                "riga 1\nriga 2", "", "it", NOW.minus(Duration.ofMinutes(1)), null, null, null, "test",
                List.of(Impact.onService(portal, ServiceState.DEGRADED, "</script><b>motivo</b>"))));
        try {
            HttpResponse<String> r = server.get(BASE + "/notices/" + id + ".json");
            assertEquals(200, r.statusCode());
            assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""));
            JsonNode n = parse(r.body()).get("notice");
            assertEquals(title, n.get("title").asText());
            assertEquals("riga 1\nriga 2", n.get("summary").asText());
            assertEquals("</script><b>motivo</b>", n.get("impacts").get(0).get("reason").asText());
            JsonNode sp = list(get(server, "/api/v2/incidents/unresolved.json").get("incidents")).stream()
                    .filter(i -> i.get("name").asText().equals(title)).findFirst().orElseThrow();
            assertEquals(title, sp.get("name").asText());
        } finally {
            server.app().notices().withdraw(id);
        }
    }
}
