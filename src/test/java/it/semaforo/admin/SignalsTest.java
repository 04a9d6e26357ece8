package it.semaforo.admin;

import it.semaforo.admin.AdminClient.Page;
import it.semaforo.service.Catalog;
import it.semaforo.signal.Signal;
import it.semaforo.signal.Source;
import it.semaforo.testing.HtmlChecker;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import it.semaforo.testing.Upstream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static it.semaforo.admin.AdminTesting.PASSWORD;
import static it.semaforo.admin.AdminTesting.count;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Signals in, over real HTTP on both sides: loopback upstreams serving Statuspage v2 summaries,
 * Atom and RSS feeds and hostile answers, followed by the real server as an administrator
 * configures them in the clerks' area. Each path checks what clerks see (the dashboard, the
 * source's status) and what residents see (the public pages, unchanged until a clerk decides).
 */
class SignalsTest {
    static final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T08:00:00Z"));
    static final Upstream upstream = Upstream.start();
    @RegisterExtension
    static final TestServer server = TestServer.demo(clock, AdminTesting.settings("signals.allow.private", "true", "signals.enabled", "false",
            "signals.max.bytes", "1048576"));
    static AdminClient admin;
    static AdminClient editor;
    static long cloud;
    static long pagopa;
    /** A service that depends on the cloud provider through the vendor it hosts. */
    static String reachedSlug;
    static String reachedName;

    @BeforeAll
    static void start() {
        AdminTesting.user(server, "giulia.verdi", Role.ADMINISTRATOR);
        AdminTesting.user(server, "mario.rossi", Role.EDITOR);
        admin = new AdminClient(server);
        assertEquals(303, admin.login("giulia.verdi", PASSWORD).status());
        editor = new AdminClient(server);
        assertEquals(303, editor.login("mario.rossi", PASSWORD).status());
        Catalog cat = server.app().services().load();
        cloud = cat.providers().stream().filter(p -> p.slug().equals("nubilia-cloud")).findFirst().orElseThrow().id();
        pagopa = cat.providers().stream().filter(p -> p.slug().equals("pagopa")).findFirst().orElseThrow().id();
        long id = cat.servicesDependingOn(cloud).iterator().next();
        reachedSlug = cat.service(id).orElseThrow().slug();
        reachedName = cat.service(id).orElseThrow().name();
    }

    @AfterAll
    static void stop() {
        upstream.close();
    }

    static String resource(String name) {
        try (InputStream in = SignalsTest.class.getResourceAsStream("/signals/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Adds a source through the administrator's form and returns its id. */
    static long addSource(String kind, String name, String url, String target, String selector, String... more) {
        Map<String, String> f = new LinkedHashMap<>(Map.of("kind", kind, "name", name, "url", url, "target", target,
                "selector", selector, "state", "degraded", "interval", "60", "timeout", "3"));
        for (int i = 0; i + 1 < more.length; i += 2) f.put(more[i], more[i + 1]);
        Page created = admin.post("/admin/segnalazioni/fonti", f);
        assertEquals(303, created.status(), created.body());
        return server.app().signals().sources().list().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow().id();
    }

    static Page poll(long source) {
        Page p = admin.post("/admin/segnalazioni/fonti/" + source + "/prova", Map.of());
        assertEquals(303, p.status(), p.body());
        return admin.follow(p);
    }

    static List<Signal> open(long source) {
        return server.app().signals().open().stream().filter(s -> s.sourceId() == source).toList();
    }

    static Document publicPage(String path) {
        HttpResponse<String> r = server.get(path);
        assertEquals(200, r.statusCode(), path);
        return Jsoup.parse(r.body());
    }

    @Test
    void aStatuspageOutageIsProposedPublishedInOneClickAndItsRecoveryClosesIt() {
        String summary = resource("summary.json");
        upstream.serve("/cloud/api/v2/summary.json", "application/json", summary);
        long source = addSource("statuspage", "Stato di Nubilia Cloud", upstream.url("/cloud/api/v2/summary.json"),
                "p" + cloud, "ANPR gateway");
        long noticesBefore = count(server, "SELECT count(*) FROM notice");

        Page status = poll(source);
        assertEquals(200, status.status());
        assertTrue(HtmlChecker.errors(status.body()).isEmpty(), HtmlChecker.errors(status.body()).toString());
        assertTrue(status.doc().getElementById("says").text().contains("Sospeso — Disservizio del gateway ANPR"),
                status.doc().getElementById("says").text());

        // the clerks see it at once, with the services it reaches through the provider chain
        Page dashboard = admin.get("/admin");
        assertTrue(HtmlChecker.errors(dashboard.body()).isEmpty(), HtmlChecker.errors(dashboard.body()).toString());
        List<Signal> signals = open(source);
        assertEquals(1, signals.size());
        long signal = signals.get(0).id();
        var card = dashboard.doc().getElementById("segnalazione-" + signal);
        assertNotNull(card, dashboard.body());
        assertTrue(card.text().contains("Segnala «Sospeso»: Disservizio del gateway ANPR"), card.text());
        assertTrue(card.text().contains("Il ripristino è previsto entro le 12:00 & seguiranno aggiornamenti."), card.text());
        assertTrue(card.text().contains(reachedName), "the services it reaches: " + card.text());
        assertEquals("https://stspg.io/abc123", card.selectFirst("a[rel~=external]").attr("href"));
        assertTrue(card.text().contains("Avviso proposto: «Stato di Nubilia Cloud: Disservizio del gateway ANPR», stato «Sospeso»"),
                card.text());
        // residents see nothing until a clerk decides
        assertEquals(noticesBefore, count(server, "SELECT count(*) FROM notice"));
        assertFalse(publicPage("/servizi/" + reachedSlug).text().contains("Disservizio del gateway ANPR"));
        assertEquals(1, count(server, "SELECT count(*) FROM audit_log WHERE action = 'signal.propose' AND entity_id = ?", signal));

        // nothing new upstream: a conditional request, a 304, no second signal
        poll(source);
        assertTrue(upstream.conditional("/cloud/api/v2/summary.json") >= 1, "If-None-Match sent");
        assertEquals(1, count(server, "SELECT count(*) FROM signal WHERE source_id = ?", source));

        // one click: the proposed avviso is public
        Page published = admin.post("/admin/segnalazioni/" + signal + "/pubblica", Map.of());
        assertEquals(303, published.status(), published.body());
        assertTrue(published.location().matches("/admin/avvisi/[0-9]+\\?esito=pubblicato"), published.location());
        long notice = Long.parseLong(published.location().replaceAll("^/admin/avvisi/([0-9]+).*$", "$1"));
        Document service = publicPage("/servizi/" + reachedSlug);
        assertTrue(service.text().contains("Stato di Nubilia Cloud: Disservizio del gateway ANPR"), service.text());
        Document page = publicPage(server.app().notices().find(notice).orElseThrow().path());
        assertTrue(page.text().contains("Il ripristino è previsto entro le 12:00"), page.text());
        assertNotNull(page.selectFirst("a[href=\"https://stspg.io/abc123\"]"), "the upstream linked");
        assertEquals(1, count(server, "SELECT count(*) FROM audit_log WHERE action = 'signal.accept' AND entity_id = ?", signal));
        // a second click (another clerk, a double click) publishes nothing twice
        assertEquals(409, admin.post("/admin/segnalazioni/" + signal + "/pubblica", Map.of()).status());

        // the upstream recovers: the proposal is the end of that avviso
        upstream.serve("/cloud/api/v2/summary.json", "application/json", summary.replace("\"major_outage\"", "\"operational\""));
        poll(source);
        List<Signal> recovery = open(source);
        assertEquals(1, recovery.size());
        assertTrue(recovery.get(0).recovery());
        var recoveryCard = admin.get("/admin").doc().getElementById("segnalazione-" + recovery.get(0).id());
        assertTrue(recoveryCard.text().contains("Tornato attivo"), recoveryCard.text());
        assertTrue(recoveryCard.text().contains("Chiudi l'avviso"), recoveryCard.text());
        Page closed = admin.post("/admin/segnalazioni/" + recovery.get(0).id() + "/pubblica", Map.of());
        assertEquals(303, closed.status(), closed.body());
        assertNotNull(server.app().notices().find(notice).orElseThrow().closedAt(), "closed by its recovery");
        assertFalse(publicPage("/servizi/" + reachedSlug).select(".notice-card").text().contains("Disservizio del gateway ANPR"));
    }

    @Test
    void aFeedsNewEntryIsProposedAndCanBeDismissed() {
        upstream.serve("/pagopa/feed.atom", "application/atom+xml", resource("atom.xml"));
        long source = addSource("feed", "Notizie pagoPA", upstream.url("/pagopa/feed.atom"), "p" + pagopa, "");
        poll(source);
        assertTrue(open(source).isEmpty(), "the entries already there when it was added are where it starts");
        String newer = resource("atom.xml").replace("<entry>", """
                <entry>
                    <title>Pagamenti sospesi per manutenzione straordinaria</title>
                    <link href="incidenti/43"/>
                    <id>tag:pagopa.example,2026:incidente-43</id>
                    <updated>2026-12-07T10:00:00Z</updated>
                    <content type="html">&lt;p&gt;I pagamenti sono &lt;em&gt;sospesi&lt;/em&gt;.&lt;/p&gt;</content>
                  </entry>
                  <entry>""");
        upstream.serve("/pagopa/feed.atom", "application/atom+xml", newer);
        poll(source);
        List<Signal> signals = open(source);
        assertEquals(1, signals.size());
        var card = admin.get("/admin").doc().getElementById("segnalazione-" + signals.get(0).id());
        assertTrue(card.text().contains("Pagamenti sospesi per manutenzione straordinaria"), card.text());
        assertTrue(card.text().contains("I pagamenti sono sospesi."), card.text());
        assertEquals(upstream.url("/pagopa/incidenti/43"), card.selectFirst("a[rel~=external]").attr("href"), "made absolute");
        Page dismissed = editor.post("/admin/segnalazioni/" + signals.get(0).id() + "/ignora", Map.of());
        assertEquals(303, dismissed.status());
        assertTrue(editor.follow(dismissed).body().contains("Segnalazione ignorata"));
        assertTrue(open(source).isEmpty());
        assertEquals(1, count(server, "SELECT count(*) FROM audit_log WHERE action = 'signal.dismiss' AND entity_id = ?",
                signals.get(0).id()));
    }

    @Test
    void anRssItemBecomesADraftToEditFirst() {
        upstream.serve("/spid/avvisi.rss", "application/rss+xml", resource("rss.xml").replace("<item>", "<item><title>Vecchio</title><guid>old</guid></item><item>"));
        long source = addSource("feed", "Avvisi SPID", upstream.url("/spid/avvisi.rss"), "p" + pagopa, "");
        poll(source);
        upstream.serve("/spid/avvisi.rss", "application/rss+xml", resource("rss.xml"));
        poll(source);
        List<Signal> signals = open(source);
        assertEquals(1, signals.size(), "the newest item changed");
        Page drafted = admin.post("/admin/segnalazioni/" + signals.get(0).id() + "/bozza", Map.of());
        assertEquals(303, drafted.status(), drafted.body());
        Page form = admin.follow(drafted);
        assertEquals(200, form.status());
        assertTrue(form.value("title").contains("Accesso con SPID non disponibile"), form.value("title"));
        assertTrue(form.value("body").contains("> L'accesso con SPID non è disponibile."), form.value("body"));
    }

    @Test
    void automaticPublicationWhenTurnedOnForTheSource() {
        upstream.serve("/auto/api/v2/summary.json", "application/json", resource("summary.json"));
        long source = addSource("statuspage", "Protocollo del fornitore", upstream.url("/auto/api/v2/summary.json"),
                "p" + cloud, "Protocollo", "auto", "1");
        poll(source);
        assertTrue(open(source).isEmpty(), "published, not waiting");
        Signal s = server.app().signals().recent(source, 1).get(0);
        assertEquals("automatic", s.outcome());
        assertTrue(publicPage("/servizi/" + reachedSlug).text().contains("Aggiornamento del protocollo"));
        assertEquals(1, count(server, "SELECT count(*) FROM audit_log WHERE action = 'signal.accept' AND username = 'segnalazioni'"));
    }

    @Test
    void hostileUpstreamsAreShownAsSuchAndResidentsSeeNothingOfThem() throws Exception {
        long notices = count(server, "SELECT count(*) FROM notice");
        upstream.handle("/bad.json", exchange -> Upstream.send(exchange, 200, "application/json", "{\"page\": {\"name\": "));
        long bad = addSource("statuspage", "JSON rotto", upstream.url("/bad.json"), "p" + cloud, "");
        assertTrue(poll(bad).doc().getElementById("error").text().contains("la risposta non è JSON valido"));

        upstream.serve("/xxe.rss", "application/rss+xml", resource("xxe.xml"));
        long xxe = addSource("feed", "Feed con entità esterne", upstream.url("/xxe.rss"), "p" + cloud, "");
        Page xxePage = poll(xxe);
        assertTrue(xxePage.doc().getElementById("error").text().contains("DOCTYPE"), xxePage.doc().getElementById("error").text());
        assertFalse(xxePage.body().contains("root:"), "nothing of the file");
        upstream.serve("/laughs.atom", "application/atom+xml", resource("laughs.xml"));
        long laughs = addSource("feed", "Feed che si espande", upstream.url("/laughs.atom"), "p" + cloud, "");
        assertTrue(poll(laughs).doc().getElementById("error").text().contains("DOCTYPE"));

        upstream.handle("/huge.json", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                byte[] chunk = new byte[64 * 1024];
                for (int i = 0; i < 800; i++) out.write(chunk);   // 50 MB
            }
        });
        long huge = addSource("statuspage", "Cinquanta mega", upstream.url("/huge.json"), "p" + cloud, "");
        assertTrue(poll(huge).doc().getElementById("error").text().contains("risposta troppo grande"));

        upstream.handle("/loop", exchange -> {
            exchange.getResponseHeaders().set("Location", "/loop");
            exchange.sendResponseHeaders(302, -1);
        });
        long loop = addSource("statuspage", "Rinvii senza fine", upstream.url("/loop"), "p" + cloud, "");
        assertTrue(poll(loop).doc().getElementById("error").text().contains("troppi rinvii"));

        try (ServerSocket plain = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            // plain HTTP to every connection (the client may try more than once): a TLS handshake fails on it
            Thread answering = new Thread(() -> {
                while (!plain.isClosed()) {
                    try (Socket s = plain.accept()) {
                        s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
                        s.getInputStream().read(new byte[1024]);
                    } catch (IOException e) {
                        // the client gave up, or the socket closed: expected
                    }
                }
            });
            answering.setDaemon(true);
            answering.start();
            long tls = addSource("statuspage", "Certificato sbagliato", "https://127.0.0.1:" + plain.getLocalPort() + "/x",
                    "p" + cloud, "");
            String said = poll(tls).doc().getElementById("error").text();
            assertTrue(said.contains("errore TLS"), said);
        }

        // a slow drip: residents are answered while the poll hangs on it
        AtomicBoolean dripping = new AtomicBoolean();
        upstream.handle("/drip.json", exchange -> {
            dripping.set(true);
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 100; i++) {
                    out.write(' ');
                    out.flush();
                    Thread.sleep(100);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                dripping.set(false);
            }
        });
        long drip = addSource("statuspage", "Goccia a goccia", upstream.url("/drip.json"), "p" + cloud, "");
        CompletableFuture<Boolean> polled = CompletableFuture.supplyAsync(() -> server.app().poller().poll(drip));
        while (!dripping.get()) Thread.sleep(20);
        HttpResponse<String> home = server.get("/");
        assertEquals(200, home.statusCode());
        assertTrue(dripping.get() && !polled.isDone(), "the home page was answered while the upstream was still dripping");
        assertFalse(polled.get(20, TimeUnit.SECONDS));
        Page dripPage = admin.get("/admin/segnalazioni/fonti/" + drip);
        assertTrue(dripPage.doc().getElementById("error").text().contains("nessuna risposta completa entro 3 s"),
                dripPage.doc().getElementById("error").text());

        // the administrator's list shows each as failing; residents saw nothing of any of them
        Page list = admin.get("/admin/segnalazioni");
        assertTrue(HtmlChecker.errors(list.body()).isEmpty(), HtmlChecker.errors(list.body()).toString());
        for (long id : new long[]{bad, xxe, laughs, huge, loop, drip}) {
            assertTrue(list.doc().getElementById("fonte-" + id).hasClass("row-invalid"), "source " + id);
        }
        assertEquals(notices, count(server, "SELECT count(*) FROM notice"));
        assertEquals(200, server.get("/").statusCode());
    }

    /** A worse (or different) state while the source's avviso is in force: the proposal is that avviso's next update. */
    @Test
    void aChangeWhileItsAvvisoIsInForceProposesTheMatchingUpdate() {
        String summary = resource("summary.json");
        upstream.serve("/update/api/v2/summary.json", "application/json", summary);
        long source = addSource("statuspage", "Gateway ANPR del fornitore", upstream.url("/update/api/v2/summary.json"),
                "p" + cloud, "ANPR gateway");
        poll(source);
        long signal = open(source).get(0).id();
        Page published = admin.post("/admin/segnalazioni/" + signal + "/pubblica", Map.of());
        long notice = Long.parseLong(published.location().replaceAll("^/admin/avvisi/([0-9]+).*$", "$1"));
        long notices = count(server, "SELECT count(*) FROM notice");

        upstream.serve("/update/api/v2/summary.json", "application/json", summary.replace("\"major_outage\"", "\"degraded_performance\""));
        poll(source);
        Signal better = open(source).get(0);
        var card = admin.get("/admin").doc().getElementById("segnalazione-" + better.id());
        assertTrue(card.text().contains("Proposta: aggiornare con lo stato «Rallentato»"), card.text());
        assertNotNull(card.selectFirst("a[href=/admin/avvisi/" + notice + "]"), card.html());
        assertTrue(card.text().contains("Aggiorna l'avviso"), card.text());
        assertNull(card.selectFirst("form[action$=/bozza]"), "an update, not a second avviso");
        assertEquals(409, admin.post("/admin/segnalazioni/" + better.id() + "/bozza", Map.of()).status());
        assertEquals(303, admin.post("/admin/segnalazioni/" + better.id() + "/pubblica", Map.of()).status());
        assertEquals(notices, count(server, "SELECT count(*) FROM notice"), "no second avviso");
        assertEquals(1, count(server, "SELECT count(*) FROM notice_update WHERE notice_id = ?", notice));
        assertNull(server.app().notices().find(notice).orElseThrow().closedAt(), "still in force, now degraded");
    }

    /** A feed's recovery: an entry that says it is resolved (here Statuspage's history feed, updated in place). */
    @Test
    void aFeedEntryMarkedResolvedProposesTheEndOfTheAvviso() {
        String feed = """
                <?xml version="1.0" encoding="UTF-8"?>
                <feed xml:lang="en-US" xmlns="http://www.w3.org/2005/Atom">
                  <id>tag:status.example.com,2005:/history</id><title>Example Status - Incident History</title>
                  <updated>%1$s</updated>
                  <entry>
                    <id>tag:status.example.com,2005:Incident/%2$s</id><updated>%1$s</updated>
                    <link rel="alternate" type="text/html" href="https://status.example.com/incidents/%2$s"/>
                    <title>Pagamenti non disponibili</title>
                    <content type="html">&lt;p&gt;&lt;small&gt;Dec 7&lt;/small&gt;&lt;br&gt;&lt;strong&gt;%3$s&lt;/strong&gt; - %4$s&lt;/p&gt;</content>
                  </entry>
                </feed>""";
        upstream.serve("/history.atom", "application/atom+xml", feed.formatted("2026-12-07T07:00:00Z", "1", "Resolved", "Old."));
        long source = addSource("feed", "Storico incidenti", upstream.url("/history.atom"), "p" + pagopa, "");
        poll(source);
        assertTrue(open(source).isEmpty(), "where it starts");
        upstream.serve("/history.atom", "application/atom+xml", feed.formatted("2026-12-07T09:00:00Z", "2", "Investigating",
                "We are investigating."));
        poll(source);
        Signal down = open(source).get(0);
        assertFalse(down.recovery());
        Page published = admin.post("/admin/segnalazioni/" + down.id() + "/pubblica", Map.of());
        long notice = Long.parseLong(published.location().replaceAll("^/admin/avvisi/([0-9]+).*$", "$1"));
        // the same entry, updated in place: resolved
        upstream.serve("/history.atom", "application/atom+xml", feed.formatted("2026-12-07T10:00:00Z", "2", "Resolved",
                "This incident has been resolved."));
        poll(source);
        Signal up = open(source).get(0);
        assertTrue(up.recovery(), up.toString());
        var card = admin.get("/admin").doc().getElementById("segnalazione-" + up.id());
        assertTrue(card.text().contains("Chiudi l'avviso"), card.text());
        assertEquals(303, admin.post("/admin/segnalazioni/" + up.id() + "/pubblica", Map.of()).status());
        assertNotNull(server.app().notices().find(notice).orElseThrow().closedAt(), "closed by the feed's recovery");
    }

    @Test
    void anAdministratorEditsPausesAndResumesASourceAndEachChangeIsAudited() {
        upstream.serve("/edit/api/v2/summary.json", "application/json", resource("summary.json"));
        long source = addSource("statuspage", "Da modificare", upstream.url("/edit/api/v2/summary.json"), "p" + cloud, "");
        String edit = "/admin/segnalazioni/fonti/" + source + "/modifica";
        assertEquals(403, editor.get(edit).status());
        assertEquals(403, editor.post(edit, Map.of("name", "x")).status());
        Page form = admin.get(edit);
        assertEquals(200, form.status());
        assertTrue(HtmlChecker.errors(form.body()).isEmpty(), HtmlChecker.errors(form.body()).toString());
        assertEquals("Da modificare", form.value("name"));
        assertEquals("60", form.value("interval"));

        assertEquals(403, admin.postRaw(edit, Map.of("name", "Senza CSRF")).status());
        Page refused = admin.post(edit, Map.of("name", "Modificata", "url", upstream.url("/edit/api/v2/summary.json"),
                "target", "p" + cloud, "state", "limited", "interval", "3"));
        assertEquals(422, refused.status());
        assertEquals("Scrivi un numero intero da 5 a 86400.", refused.fieldError("interval"));
        assertTrue(HtmlChecker.errors(refused.body()).isEmpty(), HtmlChecker.errors(refused.body()).toString());
        Page saved = admin.post(edit, Map.of("name", "Modificata", "url", upstream.url("/edit/api/v2/summary.json"),
                "target", "p" + pagopa, "selector", "ANPR gateway", "state", "limited", "interval", "120", "timeout", "5"));
        assertEquals(303, saved.status(), saved.body());
        Source changed = server.app().signals().sources().find(source).orElseThrow();
        assertEquals("Modificata", changed.name());
        assertEquals(pagopa, changed.providerId());
        assertEquals(120, changed.interval().toSeconds());
        assertEquals("ANPR gateway", changed.selector());
        assertEquals(1, count(server, "SELECT count(*) FROM audit_log WHERE action = 'signal.source.update' AND entity_id = ?", source));

        String detail = "/admin/segnalazioni/fonti/" + source;
        assertEquals(403, admin.postRaw(detail + "/sospendi", Map.of()).status(), "CSRF");
        assertEquals(403, editor.post(detail + "/sospendi", Map.of()).status());
        Page paused = admin.follow(admin.post(detail + "/sospendi", Map.of()));
        assertNotNull(paused.doc().getElementById("paused"), paused.body());
        assertTrue(HtmlChecker.errors(paused.body()).isEmpty(), HtmlChecker.errors(paused.body()).toString());
        assertFalse(server.app().signals().sources().find(source).orElseThrow().enabled());
        assertTrue(admin.get("/admin/segnalazioni").doc().getElementById("fonte-" + source).text().contains("In pausa"));
        admin.post(detail + "/sospendi", Map.of());
        assertEquals(1, count(server, "SELECT count(*) FROM audit_log WHERE action = 'signal.source.pause' AND entity_id = ?", source),
                "pausing what is paused changes nothing");
        Page resumed = admin.follow(admin.post(detail + "/riprendi", Map.of()));
        assertNull(resumed.doc().getElementById("paused"));
        assertTrue(server.app().signals().sources().find(source).orElseThrow().enabled());
        assertEquals(1, count(server, "SELECT count(*) FROM audit_log WHERE action = 'signal.source.resume' AND entity_id = ?", source));
    }

    @Test
    void aClerkMarksWhatAProviderReportsPubliclyWithItsLink() {
        assertEquals(403, admin.postRaw("/admin/segnalazioni/fornitori/" + cloud, Map.of("text", "x")).status(), "CSRF");
        Page saved = editor.post("/admin/segnalazioni/fornitori/" + cloud, Map.of("text", "Degrado dei dischi nel data center di Milano",
                "link", "https://status.nubilia.example/incidents/7", "action", "save"));
        assertEquals(303, saved.status(), saved.body());
        Document service = publicPage("/servizi/" + reachedSlug);
        var reported = service.selectFirst("[data-element=provider-reported]");
        assertNotNull(reported, service.body().toString());
        assertTrue(reported.text().contains("Nubilia Cloud S.p.A.: Degrado dei dischi nel data center di Milano"), reported.text());
        assertEquals("https://status.nubilia.example/incidents/7", reported.selectFirst("a").attr("href"));
        assertTrue(service.text().contains("Segnalato dal fornitore"));
        assertTrue(server.get("/api/semaforo/v1/events.json?after=0&limit=500").body().contains("provider.reported"));
        assertEquals(422, editor.post("/admin/segnalazioni/fornitori/" + cloud, Map.of("text", "x", "link", "javascript:alert(1)")).status());
        assertEquals(303, editor.post("/admin/segnalazioni/fornitori/" + cloud, Map.of("action", "clear")).status());
        assertNull(publicPage("/servizi/" + reachedSlug).selectFirst("[data-element=provider-reported]"));
        assertEquals(2, count(server, "SELECT count(*) FROM audit_log WHERE action = 'provider.report'"));
    }

    @Test
    void onlyAdministratorsConfigureSourcesAndTheFormSaysWhatIsWrong() {
        assertEquals(403, editor.get("/admin/segnalazioni").status());
        assertEquals(403, editor.post("/admin/segnalazioni/fonti", Map.of("kind", "feed")).status());
        Page refused = admin.post("/admin/segnalazioni/fonti", Map.of("kind", "feed", "name", "", "url", "ftp://x", "target", "",
                "state", "operational", "interval", "2"));
        assertEquals(422, refused.status());
        assertEquals("Scrivi un nome per la fonte.", refused.fieldError("name"));
        assertEquals("Scrivi un indirizzo http o https completo.", refused.fieldError("url"));
        assertEquals("Scrivi un numero intero da 5 a 86400.", refused.fieldError("interval"));
        assertTrue(HtmlChecker.errors(refused.body()).isEmpty(), HtmlChecker.errors(refused.body()).toString());
        List<Source> none = server.app().signals().sources().list().stream().filter(s -> s.url().startsWith("ftp")).toList();
        assertTrue(none.isEmpty());
    }
}
