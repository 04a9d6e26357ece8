package it.semaforo.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import it.semaforo.admin.AdminClient.Page;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.StringReader;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static it.semaforo.admin.AdminTesting.PASSWORD;
import static it.semaforo.admin.AdminTesting.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each kind of avviso done properly, over real HTTP: the clerks' form of a data breach (art. 34
 * GDPR) and of a security advisory, the public page, feed, API and JSON-LD of each, the pinned
 * advisory, and a planned maintenance switching services by itself as the clock crosses its
 * window, with its iCalendar feed read by ical4j.
 */
class NoticeKindsTest {
    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    static final MutableClock clock = new MutableClock(NOW);
    static final ObjectMapper JSON = new ObjectMapper();
    static final String CONTROLLER = "Comune di Prova, Via Roma 1 – PEC protocollo@pec.comune.prova.example";
    static final String DPO = "DPO: Studio Privacy Srl – dpo@comune.prova.example";
    @RegisterExtension
    static final TestServer server = TestServer.demo(clock, AdminTesting.settings("privacy.controller", CONTROLLER, "privacy.dpo", DPO,
            "review.kinds", ""));   // the kinds themselves here; the second clerk's approval is TwoPairsOfEyesTest's
    static AdminClient clerk;
    static long cie;

    @BeforeAll
    static void start() {
        AdminTesting.user(server, "mario.rossi", Role.EDITOR);
        cie = server.app().services().load().service("carta-identita").orElseThrow().id();
        clerk = new AdminClient(server);
    }

    @BeforeEach
    void signIn() {
        clock.set(NOW);
        if (clerk.get("/admin").status() != 200) assertEquals(303, clerk.login("mario.rossi", PASSWORD).status());
    }

    private static Map<String, String> form(String kind, String... pairs) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("title", "Avviso di prova " + kind);
        f.put("kind", kind);
        f.put("summary", "In breve: " + kind + ".");
        f.put("body", "Testo libero dell'avviso.");
        f.put("publish", "now");
        f.put("publish_at", "");
        f.put("expires_at", "2026-12-20T18:00");
        f.put("window_start", "");
        f.put("window_end", "");
        f.put("action", "draft");
        for (int i = 0; i < pairs.length; i += 2) f.put(pairs[i], pairs[i + 1]);
        return f;
    }

    private static Map<String, String> breach(String... pairs) {
        Map<String, String> f = form("violazione-dati",
                "breach_nature", "Una cartella del software scolastico era raggiungibile da Internet.",
                "breach_discovered", "Il 1° marzo, su segnalazione del CSIRT Italia.",
                "data_involved", "- dati anagrafici\n- dati di contatto\n\n",
                "data_not_involved", "credenziali di accesso\ndati di pagamento",
                "subjects", "Gli iscritti alla mensa e al trasporto scolastico.",
                "consequences", "Perdita di riservatezza dei dati.",
                "measures_taken", "permessi corretti\nanalisi dei registri",
                "measures_proposed", "verifiche periodiche",
                "resident_actions", "diffidate di email che citano la mensa",
                "controller", CONTROLLER,
                "dpo", DPO,
                "garante_reference", "Notificata al Garante il 3 marzo (prot. 123).");
        for (int i = 0; i < pairs.length; i += 2) f.put(pairs[i], pairs[i + 1]);
        return f;
    }

    private static Map<String, String> security(String... pairs) {
        Map<String, String> f = form("sicurezza",
                "recommendations", "non comunicate le password\nnon installate programmi di teleassistenza",
                "official_contact", "URP: urp@comune.example, 0123 456789",
                "not_us", "Il Comune non chiede mai password per telefono.",
                "pinned", "on");
        for (int i = 0; i < pairs.length; i += 2) f.put(pairs[i], pairs[i + 1]);
        return f;
    }

    /** Submits a refused form: 422, nothing written. */
    private static Page refused(Map<String, String> fields) {
        long notices = count(server, "SELECT count(*) FROM notice");
        Page p = clerk.post("/admin/avvisi", fields);
        assertEquals(422, p.status(), p.body());
        assertEquals(notices, count(server, "SELECT count(*) FROM notice"), "nothing was written");
        return p;
    }

    /** Creates and publishes an avviso through the clerks' form; its id. */
    private static long published(Map<String, String> fields) {
        Page created = clerk.post("/admin/avvisi", fields);
        assertEquals(303, created.status(), created.body());
        long id = Long.parseLong(created.location().replaceAll("^/admin/avvisi/([0-9]+).*$", "$1"));
        Page p = clerk.post("/admin/avvisi/" + id + "/pubblica", Map.of());
        assertEquals(303, p.status(), p.body());
        return id;
    }

    private static Document publicPage(String path) {
        HttpResponse<String> r = server.get(path);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return Jsoup.parse(r.body());
    }

    private static JsonNode json(String path) {
        HttpResponse<String> r = server.get(path);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        try {
            return JSON.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError(path + " is not JSON", e);
        }
    }

    private static String path(long id) {
        return server.app().notices().find(id).orElseThrow().path();
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    // ---- data breach --------------------------------------------------------------------

    @Test
    void theBreachFormStartsFromTheConfiguredContactsAndMarksWhatTheLawRequires() {
        Document doc = clerk.get("/admin/avvisi/nuovo").doc();
        assertEquals(CONTROLLER, doc.getElementById("f-controller").val());
        assertEquals(DPO, doc.getElementById("f-dpo").val());
        for (String field : List.of("breach_nature", "breach_discovered", "data_involved", "subjects", "consequences",
                "measures_taken", "controller", "dpo", "recommendations", "official_contact")) {
            assertTrue(doc.selectFirst("label[for=f-" + field + "] .required") != null, field + " is marked as required");
        }
        for (String field : List.of("data_not_involved", "measures_proposed", "resident_actions", "garante_reference", "not_us")) {
            assertTrue(doc.selectFirst("label[for=f-" + field + "] .required") == null, field + " is optional");
        }
        // required for one kind only: no "required" attribute, which would block the other kinds
        assertTrue(doc.select("#f-breach textarea[required], #f-security textarea[required]").isEmpty());
    }

    @Test
    void aBreachWithoutItsRequiredSectionsIsRefusedWithItalianMessagesOnEachField() {
        Page p = refused(breach("breach_nature", "  ", "data_involved", "", "measures_taken", "", "dpo", ""));
        assertEquals("Descrivi che cosa è successo: è la prima cosa che l'art. 34 del GDPR chiede di comunicare.",
                p.fieldError("breach_nature"));
        assertEquals("Indica almeno una categoria di dati coinvolta, una per riga.", p.fieldError("data_involved"));
        assertEquals("Indica almeno una misura adottata, una per riga.", p.fieldError("measures_taken"));
        assertEquals("Indica il responsabile della protezione dei dati (DPO) e come contattarlo.", p.fieldError("dpo"));
        assertEquals("true", p.doc().getElementById("f-breach_nature").attr("aria-invalid"));
        // what was typed stays
        assertEquals("Gli iscritti alla mensa e al trasporto scolastico.", p.value("subjects"));
        assertEquals("credenziali di accesso\ndati di pagamento", p.value("data_not_involved"));
        assertEquals(CONTROLLER, p.value("controller"));
        assertEquals("violazione-dati", p.doc().selectFirst("#f-kind option[selected]").val());
        // the same empty fields do not matter to another kind
        Page outage = clerk.post("/admin/avvisi", form("disservizio"));
        assertEquals(303, outage.status(), outage.body());
    }

    @Test
    void aBreachIsPublishedAsSectionsInTheOrderOfArticle34WithFeedApiAndJsonLd() throws Exception {
        long id = published(breach("state_s_" + cie, "suspended", "reason_s_" + cie, "Verifiche in corso"));
        Document doc = publicPage(path(id));
        assertEquals(List.of("Che cosa è successo", "Quando è stata scoperta la violazione", "Dati coinvolti",
                        "Dati non coinvolti", "Persone interessate", "Possibili conseguenze", "Misure adottate",
                        "Misure proposte per attenuare gli effetti", "Che cosa puoi fare", "Titolare del trattamento",
                        "Responsabile della protezione dei dati (DPO)",
                        "Notifica al Garante per la protezione dei dati personali"),
                doc.select(".notice-breach section h2").eachText());
        assertEquals(List.of("dati anagrafici", "dati di contatto"), doc.select("#violazione-dati-coinvolti li").eachText(),
                "one item per line, list markers and blank lines dropped");
        assertEquals(CONTROLLER, doc.selectFirst("#violazione-titolare p").text());
        assertTrue(doc.selectFirst(".notice-breach-intro").text().contains("art. 34"));
        // the sections come before the free text
        assertTrue(doc.html().indexOf("violazione-natura") < doc.html().indexOf("body-title"));

        // the kind's feed carries the sections
        String feed = server.get("/avvisi/tipo/violazione-dati/feed.atom").body();
        Document atom = Jsoup.parse(feed, "", org.jsoup.parser.Parser.xmlParser());
        Element entry = atom.select("entry").stream()
                .filter(e -> e.selectFirst("title").text().equals("Avviso di prova violazione-dati")).findFirst().orElseThrow();
        Document content = Jsoup.parse(entry.selectFirst("content").text());
        assertEquals("Che cosa è successo", content.selectFirst("h2").text());
        assertTrue(content.select("li").eachText().containsAll(List.of("dati anagrafici", "permessi corretti")));

        // the own API
        JsonNode api = json("/api/semaforo/v1/notices/" + id + ".json").get("notice");
        JsonNode b = api.get("data_breach");
        assertEquals("Una cartella del software scolastico era raggiungibile da Internet.", b.get("nature").asText());
        assertEquals(List.of("credenziali di accesso", "dati di pagamento"), texts(b.get("data_not_involved")));
        assertEquals(DPO, b.get("dpo").asText());
        assertEquals("Notificata al Garante il 3 marzo (prot. 123).", b.get("garante_notification").asText());
        assertTrue(api.get("security").isNull());

        // schema.org JSON-LD
        JsonNode ld = jsonLd(doc);
        assertEquals("https://schema.org", ld.get("@context").asText());
        assertEquals("SpecialAnnouncement", ld.get("@type").asText());
        assertEquals("Avviso di prova violazione-dati", ld.get("name").asText());
        assertEquals(NOW, OffsetDateTime.parse(ld.get("datePosted").asText()).toInstant());
        assertEquals(Instant.parse("2026-12-20T17:00:00Z"), OffsetDateTime.parse(ld.get("expires").asText()).toInstant(),
                "the expiry, typed in Rome time");
        assertEquals("GovernmentOrganization", ld.get("publisher").get("@type").asText());
        assertEquals("Comune di Roccaverde", ld.get("publisher").get("name").asText());
        assertTrue(ld.get("url").asText().endsWith(path(id)));
        JsonNode about = ld.get("about");
        assertEquals(1, about.size());
        assertEquals("GovernmentService", about.get(0).get("@type").asText());
        assertEquals("Carta d'identità elettronica", about.get(0).get("name").asText());
        assertEquals("GovernmentOrganization", about.get(0).get("provider").get("@type").asText());

        // updates continue the numbered history
        Page update = clerk.post("/admin/avvisi/" + id + "/aggiornamenti", Map.of("body", "Verifiche concluse."));
        assertEquals(303, update.status(), update.body());
        assertEquals("Verifiche concluse.", publicPage(path(id)).selectFirst("#aggiornamento-1 div").text());
    }

    @Test
    void thePreviewShowsTheSectionsAsResidentsWillReadThem() {
        Map<String, String> fields = breach("action", "preview");
        Page created = clerk.post("/admin/avvisi", fields);
        assertEquals(303, created.status(), created.body());
        Document preview = clerk.follow(created).doc();
        assertEquals("Che cosa è successo", preview.selectFirst(".notice-breach section h2").text());
        assertEquals(List.of("verifiche periodiche"), preview.select("#violazione-misure-proposte li").eachText());
    }

    @Test
    void aPublishedBreachCanBeCorrectedAndItsSectionsStayRequired() {
        long id = published(breach());
        Document edit = clerk.get("/admin/avvisi/" + id + "/modifica").doc();
        assertEquals("dati anagrafici\ndati di contatto", edit.getElementById("f-data_involved").val());
        assertTrue(edit.getElementById("f-recommendations") == null, "only the fields of its own kind");
        Map<String, String> fields = new LinkedHashMap<>();
        edit.select("form.notice-form input[name], form.notice-form textarea[name]").forEach(e -> fields.put(e.attr("name"), e.val()));
        fields.put("action", "save");
        fields.put("consequences", "");
        Page refused = clerk.post("/admin/avvisi/" + id + "/modifica", fields);
        assertEquals(422, refused.status());
        assertEquals("Descrivi le possibili conseguenze della violazione.", refused.fieldError("consequences"));
        fields.put("consequences", "Nessuna conseguenza rilevata finora.");
        Page saved = clerk.post("/admin/avvisi/" + id + "/modifica", fields);
        assertEquals(303, saved.status(), saved.body());
        assertEquals("Nessuna conseguenza rilevata finora.", publicPage(path(id)).selectFirst("#violazione-conseguenze p").text());
    }

    // ---- security advisory --------------------------------------------------------------

    @Test
    void aSecurityAdvisoryNeedsRecommendationsAContactAndAnExpiryToBePinned() {
        Page p = refused(security("recommendations", "\n \n", "official_contact", "", "expires_at", ""));
        assertEquals("Scrivi almeno una raccomandazione, una per riga.", p.fieldError("recommendations"));
        assertEquals("Indica il canale di contatto ufficiale.", p.fieldError("official_contact"));
        assertEquals("Per tenere l'avviso in evidenza serve una data di scadenza: indica fino a quando.", p.fieldError("pinned"));
        assertEquals("Il Comune non chiede mai password per telefono.", p.value("not_us"));
        assertTrue(p.doc().getElementById("f-pinned").hasAttr("checked"), "the ticked box stays ticked");
    }

    @Test
    void aPinnedAdvisoryLeadsTheHomePageUntilItExpires() throws Exception {
        long id = published(security("title", "Falsi operatori al telefono", "expires_at", "2026-11-26T10:00"));
        Document home = publicPage("/");
        assertTrue(home.select("#pinned-title ~ .notice-card .notice-title").eachText().contains("Falsi operatori al telefono"));
        assertTrue(home.html().indexOf("pinned-title") < home.html().indexOf("notices-title"), "above the other avvisi");

        Document doc = publicPage(path(id));
        assertEquals("Il Comune non chiede mai password per telefono.", doc.selectFirst("#sicurezza-non-siamo-noi p").text());
        assertEquals(List.of("non comunicate le password", "non installate programmi di teleassistenza"),
                doc.select("#sicurezza-raccomandazioni li").eachText());
        assertEquals("URP: urp@comune.example, 0123 456789", doc.selectFirst("#sicurezza-contatto p").text());
        assertEquals("SpecialAnnouncement", jsonLd(doc).get("@type").asText());

        JsonNode sec = json("/api/semaforo/v1/notices/" + id + ".json").get("notice").get("security");
        assertEquals(List.of("non comunicate le password", "non installate programmi di teleassistenza"),
                texts(sec.get("recommendations")));
        assertTrue(sec.get("pinned").asBoolean());

        String feed = server.get("/avvisi/tipo/sicurezza/feed.rss").body();
        assertTrue(feed.contains("Il Comune non chiede mai password per telefono."), "the feed says it too");

        clock.set(Instant.parse("2026-11-26T09:01:00Z"));   // the expiry, 10:00 in Rome, has passed
        assertFalse(publicPage("/").select("#pinned-title ~ .notice-card .notice-title").eachText()
                .contains("Falsi operatori al telefono"), "no longer pinned once expired");
    }

    // ---- planned maintenance ------------------------------------------------------------

    @Test
    void aMaintenanceNeedsItsWindow() {
        Page p = refused(form("manutenzione"));
        assertEquals("Una manutenzione programmata ha bisogno del periodo dell'intervento: indica inizio e fine.",
                p.fieldError("window_start"));
    }

    @Test
    void servicesSwitchToMaintenanceByThemselvesAcrossTheWindowOnEveryOutput() throws Exception {
        // 14:00–16:00 in Rome = 13:00–15:00 UTC
        long id = published(form("manutenzione", "title", "Manutenzione della CIE", "expires_at", "",
                "window_start", "2026-11-24T14:00", "window_end", "2026-11-24T16:00",
                "state_s_" + cie, "maintenance", "reason_s_" + cie, "Aggiornamento del sistema"));
        String maintenanceId = json("/api/semaforo/v1/notices/" + id + ".json").get("notice").get("statuspage_id").asText();

        // before: upcoming everywhere, the service still active
        assertEquals("Attivo", stateOnHome("Carta d'identità elettronica"));
        assertTrue(publicPage("/").select("#upcoming-title ~ .notice-card .notice-title").eachText().contains("Manutenzione della CIE"));
        assertEquals("operational", componentStatus("Carta d'identità elettronica"));
        assertTrue(ids(json("/api/v2/scheduled-maintenances/upcoming.json")).contains(maintenanceId));
        assertEquals(NOW, entryUpdated("Manutenzione della CIE"));

        // inside the window: nobody touched anything, every cached output follows
        clock.set(Instant.parse("2026-11-24T13:00:00Z"));
        assertEquals("In manutenzione", stateOnHome("Carta d'identità elettronica"));
        assertEquals("under_maintenance", componentStatus("Carta d'identità elettronica"));
        assertTrue(ids(json("/api/v2/scheduled-maintenances/active.json")).contains(maintenanceId));
        assertEquals(Instant.parse("2026-11-24T13:00:00Z"), entryUpdated("Manutenzione della CIE"),
                "the opening of the window is an event of the entry");

        // after: back to active, the maintenance completed
        clock.set(Instant.parse("2026-11-24T15:00:00Z"));
        assertEquals("Attivo", stateOnHome("Carta d'identità elettronica"));
        assertEquals("operational", componentStatus("Carta d'identità elettronica"));
        assertFalse(ids(json("/api/v2/scheduled-maintenances/active.json")).contains(maintenanceId));
        JsonNode all = json("/api/v2/scheduled-maintenances.json").get("scheduled_maintenances");
        JsonNode m = null;
        for (JsonNode n : all) if (n.get("id").asText().equals(maintenanceId)) m = n;
        assertNotNull(m);
        assertEquals("completed", m.get("status").asText());
    }

    @Test
    void theCalendarHasOneEventPerWindowWithAStableUidAndARisingSequence() throws Exception {
        long id = published(form("manutenzione", "title", "Manutenzione di pagoPA; sabato, mattina", "expires_at", "",
                "window_start", "2026-11-28T08:00", "window_end", "2026-11-28T12:30"));
        HttpResponse<String> r = server.get("/manutenzioni.ics");
        assertEquals(200, r.statusCode());
        assertEquals("text/calendar; charset=utf-8", r.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(r.body().contains("\r\n") && r.body().lines().allMatch(l -> l.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 75),
                "CRLF lines folded at 75 octets");
        Calendar cal = new CalendarBuilder().build(new StringReader(r.body()));
        var validation = cal.validate(true);
        assertFalse(validation.hasErrors(), "RFC 5545 rules, as ical4j checks them: " + validation);
        String uid = "avviso-" + id + "@127.0.0.1";
        VEvent event = event(cal, uid);
        assertEquals("Manutenzione di pagoPA; sabato, mattina", prop(event, Property.SUMMARY));
        assertEquals("20261128T070000Z", prop(event, Property.DTSTART), "08:00 in Rome");
        assertEquals("20261128T113000Z", prop(event, Property.DTEND));
        assertEquals("CONFIRMED", prop(event, Property.STATUS));
        assertTrue(prop(event, Property.URL).endsWith(path(id)));
        int before = Integer.parseInt(prop(event, Property.SEQUENCE));
        // every maintenance window is there, the demo's one included, each once
        List<String> uids = cal.<VEvent>getComponents(Component.VEVENT).stream().map(e -> prop(e, Property.UID)).toList();
        assertEquals(uids.size(), uids.stream().distinct().count());
        assertTrue(uids.size() >= 2, uids.toString());

        // a correction of the title: the same event, a higher SEQUENCE, the new summary
        clock.set(NOW.plus(Duration.ofMinutes(5)));
        Document edit = clerk.get("/admin/avvisi/" + id + "/modifica").doc();
        Map<String, String> fields = new LinkedHashMap<>();
        edit.select("form.notice-form input[name], form.notice-form textarea[name]").forEach(e -> fields.put(e.attr("name"), e.val()));
        fields.put("title", "Manutenzione di pagoPA (sabato mattina)");
        fields.put("action", "save");
        assertEquals(303, clerk.post("/admin/avvisi/" + id + "/modifica", fields).status());
        Calendar after = new CalendarBuilder().build(new StringReader(server.get("/manutenzioni.ics").body()));
        VEvent changed = event(after, uid);
        assertEquals("Manutenzione di pagoPA (sabato mattina)", prop(changed, Property.SUMMARY));
        int sequence = Integer.parseInt(prop(changed, Property.SEQUENCE));
        assertTrue(sequence > before, before + " → " + sequence);

        // an update raises it again; closing before the window cancels the event
        assertEquals(303, clerk.post("/admin/avvisi/" + id + "/aggiornamenti",
                Map.of("body", "Intervento annullato.", "closes", "on")).status());
        VEvent cancelled = event(new CalendarBuilder().build(new StringReader(server.get("/manutenzioni.ics").body())), uid);
        assertTrue(Integer.parseInt(prop(cancelled, Property.SEQUENCE)) > sequence);
        assertEquals("CANCELLED", prop(cancelled, Property.STATUS));
    }

    // ---- helpers ------------------------------------------------------------------------

    private static JsonNode jsonLd(Document doc) throws Exception {
        List<Element> blocks = doc.select("script[type=application/ld+json]");
        assertEquals(1, blocks.size());
        return JSON.readTree(blocks.get(0).data());
    }

    private static String stateOnHome(String service) {
        return publicPage("/").select(".service-line").stream()
                .filter(li -> li.selectFirst(".service-name").text().equals(service)).findFirst().orElseThrow()
                .selectFirst(".state-label").text();
    }

    private static String componentStatus(String name) {
        for (JsonNode c : json("/api/v2/components.json").get("components")) {
            if (c.get("name").asText().equals(name)) return c.get("status").asText();
        }
        throw new AssertionError("no component " + name);
    }

    private static List<String> ids(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.get("scheduled_maintenances").forEach(m -> out.add(m.get("id").asText()));
        return out;
    }

    /** The updated time of the avviso's own entry in the maintenance feed. */
    private static Instant entryUpdated(String title) {
        Document atom = Jsoup.parse(server.get("/avvisi/tipo/manutenzione/feed.atom").body(), "", org.jsoup.parser.Parser.xmlParser());
        Element entry = atom.select("entry").stream().filter(e -> e.selectFirst("title").text().equals(title))
                .findFirst().orElseThrow(() -> new AssertionError("no entry " + title));
        return OffsetDateTime.parse(entry.selectFirst("updated").text()).toInstant();
    }

    private static VEvent event(Calendar cal, String uid) {
        return cal.<VEvent>getComponents(Component.VEVENT).stream().filter(e -> uid.equals(prop(e, Property.UID)))
                .findFirst().orElseThrow(() -> new AssertionError("no VEVENT " + uid));
    }

    private static String prop(Component c, String name) {
        return c.getProperty(name).map(Property::getValue).orElseThrow(() -> new AssertionError("no " + name));
    }
}
