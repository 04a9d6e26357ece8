package it.semaforo.feed;

import com.rometools.rome.feed.synd.SyndCategory;
import com.rometools.rome.feed.synd.SyndEnclosure;
import com.rometools.rome.feed.synd.SyndEntry;
import com.rometools.rome.feed.synd.SyndFeed;
import it.semaforo.notice.Impact;
import it.semaforo.notice.NoticeKind;
import it.semaforo.notice.NoticeRepository.NewNotice;
import it.semaforo.notice.NoticeRepository.NewUpdate;
import it.semaforo.notice.NoticeStatus;
import it.semaforo.service.Service;
import it.semaforo.service.ServiceCatalog.NewService;
import it.semaforo.service.ServiceState;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static it.semaforo.feed.FeedDocs.children;
import static it.semaforo.feed.FeedDocs.entries;
import static it.semaforo.feed.FeedDocs.entry;
import static it.semaforo.feed.FeedDocs.header;
import static it.semaforo.feed.FeedDocs.items;
import static it.semaforo.feed.FeedDocs.plain;
import static it.semaforo.feed.FeedDocs.plainText;
import static it.semaforo.feed.FeedDocs.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The feeds over real HTTP against the started server, read with real parsers, on the demo comune. */
class FeedTest {
    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    static final String BASE = "https://stato.comune.example.it";
    static final ZoneId ROME = ZoneId.of("Europe/Rome");
    static final String ATOM_TYPE = "application/atom+xml; charset=utf-8";
    static final String RSS_TYPE = "application/rss+xml; charset=utf-8";
    static MutableClock clock = new MutableClock(NOW);
    @RegisterExtension
    static final TestServer server = TestServer.demo(clock);

    @BeforeEach
    void resetClock() {
        clock.set(NOW);
    }

    /** A feed fetched and checked: 200, its exact Content-Type, well-formed XML. */
    record Fetched(HttpResponse<byte[]> response, Document dom) {
        String etag() {
            return header(response, "ETag");
        }

        String lastModified() {
            return header(response, "Last-Modified");
        }

        String body() {
            return new String(response.body(), StandardCharsets.UTF_8);
        }
    }

    static Fetched fetch(String path, String... headers) {
        HttpResponse<byte[]> r = FeedDocs.get(server.url(path), headers);
        assertEquals(200, r.statusCode(), path + " answered " + r.statusCode() + ": " + new String(r.body(), StandardCharsets.UTF_8));
        assertEquals(path.endsWith(".atom") ? ATOM_TYPE : RSS_TYPE, header(r, "Content-Type"), path);
        return new Fetched(r, FeedDocs.dom(r.body()));
    }

    /** Everything a feed reader and the validators ask of one feed; returns what ROME read. */
    static SyndFeed assertValid(String path) {
        Fetched f = fetch(path);
        SyndFeed rome = FeedDocs.rome(f.response().body());
        if (path.endsWith(".atom")) {
            assertEquals("atom_1.0", rome.getFeedType(), path);
            assertEquals(List.of(), FeedDocs.relaxNgErrors(f.response().body()), path + " against RFC 4287's RELAX NG schema");
            assertEquals(List.of(), FeedDocs.atomViolations(f.dom(), BASE + path, ROME), path);
            assertEquals(entries(f.dom()).size(), rome.getEntries().size(), path);
        } else {
            assertEquals("rss_2.0", rome.getFeedType(), path);
            assertEquals(List.of(), FeedDocs.rssViolations(f.dom(), BASE + path, ROME), path);
            assertEquals(items(f.dom()).size(), rome.getEntries().size(), path);
        }
        for (SyndEntry e : rome.getEntries()) {
            assertTrue(e.getPublishedDate() != null && !e.getTitle().isBlank(), path + ": " + e.getTitle());
            assertTrue(e.getLink().startsWith(BASE + "/avvisi/"), e.getLink());
        }
        return rome;
    }

    static List<String> everyFeed() {
        List<String> paths = new ArrayList<>(List.of("/feed"));
        for (NoticeKind k : NoticeKind.values()) paths.add("/avvisi/tipo/" + k.key() + "/feed");
        for (Service s : server.app().services().load().services()) paths.add("/servizi/" + s.slug() + "/feed");
        List<String> all = new ArrayList<>();
        for (String p : paths) {
            all.add(p + ".atom");
            all.add(p + ".rss");
        }
        return all;
    }

    static void assertAllValid() {
        for (String path : everyFeed()) assertValid(path);
    }

    static String rfc3339(Instant t) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t.atZone(ROME));
    }

    static String httpDate(Instant t) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(t.atZone(ZoneOffset.UTC));
    }

    static long serviceId(String slug) {
        return server.app().services().load().service(slug).orElseThrow().id();
    }

    static long publish(NoticeKind kind, String title, String summary, String body, String language, Instant published,
                        Instant expires, Impact... impacts) {
        return server.app().notices().create(new NewNotice(kind, NoticeStatus.PUBLISHED, title, summary, body, language,
                published, expires, null, null, "test", List.of(impacts)));
    }

    // ---- validity -----------------------------------------------------------------------------

    @Test
    void everyFeedIsValidAtomOrRssAndReadByAFeedLibrary() {
        assertAllValid();
        SyndFeed all = assertValid("/feed.atom");
        // 7 avvisi of the demo and their 7 numbered updates, newest change first
        assertEquals(14, all.getEntries().size());
        assertEquals("Stato dei servizi – Comune di Roccaverde", all.getTitle());
        assertEquals("Servizi online sospesi per l'attacco informatico al fornitore cloud (aggiornamento n. 3)",
                all.getEntries().get(0).getTitle());
        SyndFeed rss = assertValid("/feed.rss");
        assertEquals(14, rss.getEntries().size());
        assertEquals("it", rss.getLanguage());
        List<Instant> updated = all.getEntries().stream().map(e -> e.getUpdatedDate().toInstant()).toList();
        assertEquals(updated.stream().sorted(java.util.Comparator.reverseOrder()).toList(), updated, "newest first");
    }

    @Test
    void anAvvisoEntryCarriesIdDatesAuthorCategoriesContentAndEnclosure() {
        Fetched atom = fetch("/feed.atom");
        Element e = entries(atom.dom()).stream()
                .filter(x -> text(x, "title").equals("Servizi online sospesi per l'attacco informatico al fornitore cloud"))
                .findFirst().orElseThrow();
        String id = text(e, "id");
        assertTrue(id.matches("tag:stato\\.comune\\.example\\.it,2026-11-24:avviso-[0-9]+"), id);
        assertEquals("2026-11-12T10:19:00+01:00", text(e, "published"), "RFC 3339 with Rome's offset");
        assertEquals("2026-11-12T10:19:00+01:00", text(e, "updated"), "updates are entries of their own");
        assertEquals("it", e.getAttributeNS("http://www.w3.org/XML/1998/namespace", "lang"));
        assertEquals("Comune di Roccaverde", text(children(e, "author").get(0), "name"));
        String page = children(e, "link").stream().filter(l -> l.getAttribute("rel").equals("alternate")).findFirst()
                .orElseThrow().getAttribute("href");
        assertTrue(page.matches(BASE + "/avvisi/[0-9]+-servizi-online-sospesi-per-l-attacco-informatico-al-fornitore-cloud"), page);
        List<String> terms = children(e, "category").stream().map(c -> c.getAttribute("term")).toList();
        assertTrue(terms.containsAll(List.of("disservizio", "anagrafe", "stato-civile", "sportello-telematico")), terms.toString());
        Element kind = children(e, "category").get(0);
        assertEquals("Disservizio", kind.getAttribute("label"));
        assertEquals(BASE + "/avvisi/tipo/", kind.getAttribute("scheme"));
        assertTrue(text(e, "summary").startsWith("I servizi online del Comune sono temporaneamente disattivati."));

        var content = Jsoup.parseBodyFragment(text(e, "content"));
        assertTrue(content.text().contains("Stato dell'avviso: In corso"), content.text());
        assertTrue(content.text().contains("Data scadenza: 30 novembre 2026, 11:00"), content.text());
        assertTrue(content.text().contains("Ultimo aggiornamento: 23 novembre 2026, 15:00"), content.text());
        assertEquals(1, content.select("table").size(), "the body's Markdown table");
        assertEquals(List.of("Aggiornamento n. 3", "Aggiornamento n. 2", "Aggiornamento n. 1"),
                content.select("a[href*=#aggiornamento-]").eachText());
        assertEquals(page + "#aggiornamento-3", content.selectFirst("a[href*=#aggiornamento-]").attr("href"));

        Element enclosure = children(e, "link").stream().filter(l -> l.getAttribute("rel").equals("enclosure"))
                .findFirst().orElseThrow();
        assertEquals("application/pdf", enclosure.getAttribute("type"));
        String pdf = enclosure.getAttribute("href");
        assertTrue(pdf.startsWith(BASE + "/allegati/"), pdf);
        HttpResponse<byte[]> file = server.getBytes(pdf.substring(BASE.length()));
        assertEquals(200, file.statusCode());
        assertEquals(String.valueOf(file.body().length), enclosure.getAttribute("length"), "length is the real size");

        // the same avviso in RSS, and as ROME reads it
        Fetched rss = fetch("/feed.rss");
        Element item = items(rss.dom()).stream().filter(i -> plainText(i, "guid").equals(id)).findFirst().orElseThrow();
        assertEquals("false", plain(item, "guid").get(0).getAttribute("isPermaLink"), "a tag: URI is no permalink");
        assertEquals("Thu, 12 Nov 2026 10:19:00 +0100", plainText(item, "pubDate"), "RFC 822 with Rome's offset");
        assertEquals(page, plainText(item, "link"));
        Element rssEnclosure = plain(item, "enclosure").get(0);
        assertEquals(pdf, rssEnclosure.getAttribute("url"));
        assertEquals(String.valueOf(file.body().length), rssEnclosure.getAttribute("length"));
        SyndEntry read = FeedDocs.rome(rss.response().body()).getEntries().stream()
                .filter(x -> x.getUri().equals(id)).findFirst().orElseThrow();
        assertEquals(Instant.parse("2026-11-12T09:19:00Z"), read.getPublishedDate().toInstant());
        assertEquals("Comune di Roccaverde", read.getAuthor());
        assertTrue(read.getCategories().stream().map(SyndCategory::getName).toList().contains("Stato civile"));
        SyndEnclosure enc = read.getEnclosures().get(0);
        assertEquals(file.body().length, enc.getLength());
    }

    @Test
    void eachNumberedUpdateIsAnEntryOfItsOwn() {
        Fetched atom = fetch("/feed.atom");
        Element avviso = entries(atom.dom()).stream()
                .filter(x -> text(x, "title").equals("Servizi online sospesi per l'attacco informatico al fornitore cloud"))
                .findFirst().orElseThrow();
        String id = text(avviso, "id");
        Element third = entry(atom.dom(), id.substring(id.indexOf(':', 4) + 1) + "/aggiornamento-3");
        assertEquals(id + "/aggiornamento-3", text(third, "id"));
        assertEquals("Servizi online sospesi per l'attacco informatico al fornitore cloud (aggiornamento n. 3)", text(third, "title"));
        assertEquals("2026-11-23T15:00:00+01:00", text(third, "updated"));
        assertEquals(text(third, "updated"), text(third, "published"));
        var html = Jsoup.parseBodyFragment(text(third, "content"));
        assertTrue(html.text().contains("Protocollo e PEC: Rallentato – Registrazione dei documenti arretrati in corso"), html.text());
        assertTrue(html.text().contains("Albo pretorio online: Attivo"), html.text());

        // a closing update says so in its title
        Element closing = entries(atom.dom()).stream().filter(x -> text(x, "title").startsWith("Accesso con SPID e CIE"))
                .filter(x -> text(x, "id").endsWith("/aggiornamento-1")).findFirst().orElseThrow();
        assertEquals("Accesso con SPID e CIE non disponibile (aggiornamento n. 1: avviso chiuso)", text(closing, "title"));
    }

    // ---- any language, any character ------------------------------------------------------

    @Test
    void japaneseTextFromTheAdachiSeedTravelsIntact() {
        String title = "足立区の委託業者へのサイバー攻撃（第三報）";
        String body = """
                足立区役所が契約している保守・コンサルティング会社へのサイバー攻撃があり、足立区役所の保有している個人情報をはじめとする情報が外部に流出している可能性があるとのことです。

                | 委託件名 | 契約年度 | 所管 | 成果品に記載されていた個人情報等 |
                | --- | --- | --- | --- |
                | 不燃化特区全戸訪問業務委託 | 平成30年度から令和元年 | 密集地域整備課 | 土地建物登記情報アンケート |
                | 住宅マスタープラン改定調査業務委託 | 平成27年度から平成29年度 | 住宅課 | 会議の議事録 |
                """;
        long id = publish(NoticeKind.DATA_BREACH, title, "情報流出の可能性があります。", body, "ja",
                NOW.minus(Duration.ofHours(3)), null);
        server.app().notices().addUpdate(id, new NewUpdate("""
                事業者から、以下の対策を講じる予定である旨の報告がありました。

                1. 新たな相談窓口の設置
                2. 対策会議の設置
                3. 情報セキュリティマネジメントシステムの構築
                """, List.of(), false, "test", NOW.minus(Duration.ofHours(1))));
        try {
            SyndFeed rome = assertValid("/avvisi/tipo/violazione-dati/feed.atom");
            SyndEntry first = rome.getEntries().get(0);
            assertEquals(title + " (aggiornamento n. 1)", first.getTitle());
            assertTrue(first.getContents().get(0).getValue().contains("新たな相談窓口の設置"));
            SyndEntry avviso = rome.getEntries().get(1);
            assertEquals(title, avviso.getTitle());
            assertEquals("情報流出の可能性があります。", avviso.getDescription().getValue());
            var html = Jsoup.parseBodyFragment(avviso.getContents().get(0).getValue());
            assertEquals("委託件名", html.selectFirst("th").text());
            assertEquals("ja", html.selectFirst("table").parent().attr("lang"), "the body is marked as Japanese");
            assertEquals("it", html.selectFirst("p").parent().attr("lang"), "the interface labels stay Italian");

            Fetched atom = fetch("/avvisi/tipo/violazione-dati/feed.atom");
            assertEquals("ja", entries(atom.dom()).get(1).getAttributeNS("http://www.w3.org/XML/1998/namespace", "lang"));
            assertTrue(atom.body().contains("足立区の委託業者"), "UTF-8 characters, not references");

            SyndFeed rss = assertValid("/avvisi/tipo/violazione-dati/feed.rss");
            assertEquals(title, rss.getEntries().get(1).getTitle());
            assertTrue(rss.getEntries().get(1).getDescription().getValue().contains("住宅マスタープラン改定調査業務委託"));
            assertAllValid();
        } finally {
            server.app().notices().withdraw(id);
        }
    }

    @Test
    void charactersXmlForbidsAreDroppedNeverABrokenFeed() {
        long portal = serviceId("albo-pretorio");
        String title = "Albo\u0001 pretorio\u0008 irraggiungibile\uFFFE\u001B\u0085";
        long id = publish(NoticeKind.OUTAGE, title, "Riepilogo\u000B con\uFFFF controlli\u007F",
                "Testo con \u0002 e \u000C e \uD83D\uDE00 e \uFDD0 fine.", "it", NOW.minus(Duration.ofMinutes(30)), null,
                Impact.onService(portal, ServiceState.SUSPENDED, "motivo\u0003"));
        try {
            for (String path : List.of("/servizi/albo-pretorio/feed.atom", "/servizi/albo-pretorio/feed.rss", "/feed.atom")) {
                SyndFeed rome = assertValid(path);
                SyndEntry e = rome.getEntries().get(0);
                assertEquals("Albo pretorio irraggiungibile", e.getTitle(), path);
                String content = e.getContents().isEmpty() ? e.getDescription().getValue() : e.getContents().get(0).getValue();
                String text = Jsoup.parseBodyFragment(content).text();
                assertTrue(text.contains("Testo con e e \uD83D\uDE00 e fine."), "emoji kept, controls dropped: " + text);
                assertTrue(text.contains("Riepilogo con controlli"), text);
            }
        } finally {
            server.app().notices().withdraw(id);
        }
    }

    @Test
    void relativeLinksInTheBodyBecomeAbsoluteInTheFeed() {
        long id = publish(NoticeKind.INFORMATION, "Nuovi orari dello sportello", "",
                "Vedi il [modulo](/allegati/modulo.pdf), i [contatti](#contatti), [l'anagrafe](../servizi/anagrafe), "
                        + "<a href=\"/avvisi\">l'archivio</a>, [scrivici](mailto:urp@comune.roccaverde.example) "
                        + "e [il sito](https://www.comune.roccaverde.example/). [no](javascript:alert(1))",
                "it", NOW.minus(Duration.ofMinutes(20)), null);
        try {
            SyndFeed rome = assertValid("/avvisi/tipo/informazione/feed.atom");
            String page = rome.getEntries().get(0).getLink();
            var html = Jsoup.parseBodyFragment(rome.getEntries().get(0).getContents().get(0).getValue());
            List<String> hrefs = html.select("a").eachAttr("href");
            assertTrue(hrefs.containsAll(List.of(BASE + "/allegati/modulo.pdf", page + "#contatti", BASE + "/servizi/anagrafe",
                    BASE + "/avvisi", "mailto:urp@comune.roccaverde.example", "https://www.comune.roccaverde.example/")), hrefs.toString());
            assertFalse(hrefs.stream().anyMatch(h -> h.startsWith("javascript")), hrefs.toString());
            assertValid("/avvisi/tipo/informazione/feed.rss");
            // the page itself keeps the links as written
            var onPage = Jsoup.parse(server.get(page.substring(BASE.length())).body());
            assertTrue(onPage.select(".notice-body a").eachAttr("href").contains("/allegati/modulo.pdf"));
        } finally {
            server.app().notices().withdraw(id);
        }
    }

    @Test
    void datesCarryTheZonesOffsetOfTheirOwnInstantAcrossDaylightSaving() {
        Instant july = Instant.parse("2026-07-15T08:00:00Z");
        long id = publish(NoticeKind.INFORMATION, "Chiusura estiva della biblioteca", "", "Chiusa ad agosto.", "it", july,
                Instant.parse("2026-08-31T22:00:00Z"));
        try {
            Fetched atom = fetch("/avvisi/tipo/informazione/feed.atom");
            Element e = entries(atom.dom()).stream().filter(x -> text(x, "title").startsWith("Chiusura estiva")).findFirst().orElseThrow();
            assertEquals("2026-07-15T10:00:00+02:00", text(e, "published"), "summer time in Rome");
            assertEquals("2026-09-01T00:00:00+02:00", text(e, "updated"), "its expiry, the last event of its own");
            Fetched rss = fetch("/avvisi/tipo/informazione/feed.rss");
            Element item = items(rss.dom()).stream().filter(x -> plainText(x, "title").startsWith("Chiusura estiva")).findFirst().orElseThrow();
            assertEquals("Wed, 15 Jul 2026 10:00:00 +0200", plainText(item, "pubDate"));
            assertEquals(List.of(), FeedDocs.rssViolations(rss.dom(), BASE + "/avvisi/tipo/informazione/feed.rss", ROME));
        } finally {
            server.app().notices().withdraw(id);
        }
    }

    @Test
    void idsNeverChangeWhenTheTitleIsEdited() {
        long id = publish(NoticeKind.INFORMATION, "Titolo di prima", "", "Testo.", "it", NOW.minus(Duration.ofMinutes(10)), null);
        try {
            Element before = entries(fetch("/avvisi/tipo/informazione/feed.atom").dom()).get(0);
            server.app().domain().noticeDesk().editText(it.semaforo.audit.Actor.commandLine(), id,
                    new it.semaforo.notice.TextInput("Titolo corretto", "", "Testo.", "it"), null);
            Element after = entries(fetch("/avvisi/tipo/informazione/feed.atom").dom()).get(0);
            assertEquals("Titolo corretto", text(after, "title"));
            assertEquals(text(before, "id"), text(after, "id"));
            assertFalse(text(after, "id").contains("titolo"), "never built from the title");
            assertTrue(children(after, "link").get(0).getAttribute("href").endsWith("/avvisi/" + id + "-titolo-corretto"));
        } finally {
            server.app().notices().withdraw(id);
        }
    }

    // ---- changes: an expiry, an update, conditional GET -------------------------------------

    @Test
    void anExpiryChangesTheFeedItsETagAndLastModified() {
        long cards = serviceId("carta-identita");
        Instant published = NOW.minus(Duration.ofHours(1));
        Instant expires = NOW.plus(Duration.ofHours(2));
        long id = publish(NoticeKind.OUTAGE, "Prenotazioni CIE sospese", "", "Agenda nazionale non disponibile.", "it",
                published, expires, Impact.onService(cards, ServiceState.SUSPENDED, "Agenda non disponibile"));
        try {
            String path = "/servizi/carta-identita/feed.atom";
            Fetched before = fetch(path);
            Element e = entries(before.dom()).get(0);
            assertEquals(rfc3339(published), text(e, "updated"));
            assertTrue(Jsoup.parseBodyFragment(text(e, "content")).text().contains("Stato dell'avviso: In corso"));
            assertEquals(304, FeedDocs.get(server.url(path), "If-None-Match", before.etag()).statusCode());

            clock.set(expires.minusSeconds(1));
            assertEquals(304, FeedDocs.get(server.url(path), "If-None-Match", before.etag()).statusCode(), "nothing changed yet");

            clock.set(expires);
            HttpResponse<byte[]> after = FeedDocs.get(server.url(path), "If-None-Match", before.etag());
            assertEquals(200, after.statusCode(), "the cached feed dies at the expiry");
            assertNotEquals(before.etag(), header(after, "ETag"));
            assertEquals(httpDate(expires), header(after, "Last-Modified"), "the feed's own change, not the last write");
            Document doc = FeedDocs.dom(after.body());
            assertEquals(rfc3339(expires), text(doc.getDocumentElement(), "updated"));
            Element expired = entries(doc).get(0);
            assertEquals(rfc3339(expires), text(expired, "updated"));
            assertEquals(rfc3339(published), text(expired, "published"));
            assertTrue(Jsoup.parseBodyFragment(text(expired, "content")).text().contains("Stato dell'avviso: Scaduto il 24 novembre 2026, 13:00"));
            assertEquals(200, FeedDocs.get(server.url(path), "If-Modified-Since", before.lastModified()).statusCode());

            Fetched rss = fetch("/servizi/carta-identita/feed.rss");
            assertEquals(FeedDates.rfc822(expires, ROME), plainText(plain(rss.dom().getDocumentElement(), "channel").get(0), "lastBuildDate"));
            assertValid(path);
            assertValid("/servizi/carta-identita/feed.rss");
        } finally {
            server.app().notices().withdraw(id);
        }
    }

    @Test
    void publishingAnUpdateAddsAnEntryAndChangesTheETag() {
        long civil = serviceId("carta-identita");
        long id = publish(NoticeKind.OUTAGE, "Rilascio CIE rallentato", "", "Il sistema risponde lentamente.", "it",
                NOW.minus(Duration.ofHours(2)), null, Impact.onService(civil, ServiceState.DEGRADED, "Lentezze"));
        try {
            String path = "/servizi/carta-identita/feed.atom";
            Fetched before = fetch(path);
            assertEquals(1, entries(before.dom()).size());
            String avvisoId = text(entries(before.dom()).get(0), "id");

            clock.advance(Duration.ofMinutes(10));
            server.app().notices().addUpdate(id, new NewUpdate("Il sistema funziona di nuovo.",
                    List.of(Impact.onService(civil, ServiceState.OPERATIONAL, "")), true, "test", null));
            HttpResponse<byte[]> r = FeedDocs.get(server.url(path), "If-None-Match", before.etag());
            assertEquals(200, r.statusCode());
            assertNotEquals(before.etag(), header(r, "ETag"));
            Document after = FeedDocs.dom(r.body());
            assertEquals(2, entries(after).size());
            Element update = entries(after).get(0);
            assertEquals(avvisoId + "/aggiornamento-1", text(update, "id"));
            assertEquals("Rilascio CIE rallentato (aggiornamento n. 1: avviso chiuso)", text(update, "title"));
            assertEquals(rfc3339(NOW.plus(Duration.ofMinutes(10))), text(update, "updated"));
            assertEquals(httpDate(NOW.plus(Duration.ofMinutes(10))), header(r, "Last-Modified"));
            assertTrue(Jsoup.parseBodyFragment(text(update, "content")).text().contains("Carta d'identità elettronica: Attivo"));
            Element avviso = entries(after).get(1);
            assertEquals(avvisoId, text(avviso, "id"));
            assertEquals(text(entries(before.dom()).get(0), "updated"), text(avviso, "updated"), "the avviso keeps its own time");
            var content = Jsoup.parseBodyFragment(text(avviso, "content")).text();
            assertTrue(content.contains("Stato dell'avviso: Chiuso il 24 novembre 2026, 11:10"), content);
            assertTrue(content.contains("Aggiornamento n. 1"), content);

            SyndFeed rss = assertValid("/servizi/carta-identita/feed.rss");
            assertEquals("Rilascio CIE rallentato (aggiornamento n. 1: avviso chiuso)", rss.getEntries().get(0).getTitle());
            assertValid(path);
        } finally {
            server.app().notices().withdraw(id);
        }
    }

    @Test
    void conditionalGetAnswers304WithNoBody() {
        for (String path : List.of("/feed.atom", "/feed.rss", "/servizi/anagrafe/feed.atom", "/avvisi/tipo/sicurezza/feed.rss")) {
            Fetched f = fetch(path);
            assertTrue(f.etag().matches("\"[A-Za-z0-9_-]{22}\""), f.etag());
            assertEquals(f.etag(), fetch(path).etag(), "same bytes, same tag");
            HttpResponse<byte[]> byTag = FeedDocs.get(server.url(path), "If-None-Match", f.etag());
            assertEquals(304, byTag.statusCode(), path);
            assertEquals(0, byTag.body().length);
            HttpResponse<byte[]> byDate = FeedDocs.get(server.url(path), "If-Modified-Since", f.lastModified());
            assertEquals(304, byDate.statusCode(), path);
            assertEquals(0, byDate.body().length);
            assertEquals(200, FeedDocs.get(server.url(path), "If-Modified-Since",
                    httpDate(ZonedDateTime.parse(f.lastModified(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().minusSeconds(1))).statusCode());
            assertEquals(200, FeedDocs.get(server.url(path), "If-None-Match", "\"altro\"").statusCode());
            assertEquals("*", header(f.response(), "Access-Control-Allow-Origin"));
        }
        // Last-Modified is the feed's own updated time
        Fetched atom = fetch("/feed.atom");
        assertEquals(httpDate(FeedDocs.instant(text(atom.dom().getDocumentElement(), "updated"))), atom.lastModified());
    }

    @Test
    void lastModifiedIsTheFeedsOwnChangeNotTheLastWriteAnywhere() {
        String path = "/avvisi/tipo/sicurezza/feed.atom";
        Fetched before = fetch(path);
        String home = server.get("/").headers().firstValue("Last-Modified").orElseThrow();
        clock.advance(Duration.ofMinutes(7));
        long other = publish(NoticeKind.INFORMATION, "Mercato spostato in piazza Garibaldi", "", "", "it",
                NOW.plus(Duration.ofMinutes(6)), null);
        try {
            assertNotEquals(home, server.get("/").headers().firstValue("Last-Modified").orElseThrow(), "the home page did change");
            Fetched after = fetch(path);
            assertEquals(before.etag(), after.etag(), "same bytes");
            assertEquals(before.lastModified(), after.lastModified(), "a write elsewhere is no change of this feed");
            assertEquals(304, FeedDocs.get(server.url(path), "If-Modified-Since", before.lastModified()).statusCode());
        } finally {
            server.app().notices().withdraw(other);
        }
        // a withdrawal removes an entry: that is a change of the feed
        long gone = publish(NoticeKind.SECURITY, "Avviso pubblicato per errore", "", "", "it", NOW.plus(Duration.ofMinutes(5)), null);
        assertEquals("Avviso pubblicato per errore", FeedDocs.rome(fetch(path).response().body()).getEntries().get(0).getTitle());
        clock.advance(Duration.ofMinutes(1));
        server.app().notices().withdraw(gone);
        Fetched withdrawn = fetch(path);
        assertFalse(withdrawn.body().contains("pubblicato per errore"));
        assertEquals(httpDate(NOW.plus(Duration.ofMinutes(8))), withdrawn.lastModified());
        assertEquals(200, FeedDocs.get(server.url(path), "If-Modified-Since", before.lastModified()).statusCode());
    }

    // ---- addresses ------------------------------------------------------------------------------

    @Test
    void addressesComeFromTheConfigurationNeverFromTheHostHeader() {
        for (String path : List.of("/feed.atom", "/feed.rss", "/servizi/anagrafe/feed.atom")) {
            HttpResponse<String> r = server.get(path, "Host", "evil.example", "X-Forwarded-Host", "evil.example");
            assertEquals(200, r.statusCode());
            assertFalse(r.body().contains("evil.example"), path);
        }
        Fetched atom = fetch("/servizi/anagrafe/feed.atom");
        Element self = children(atom.dom().getDocumentElement(), "link").stream()
                .filter(l -> l.getAttribute("rel").equals("self")).findFirst().orElseThrow();
        assertEquals(BASE + "/servizi/anagrafe/feed.atom", self.getAttribute("href"));
        assertEquals(BASE + "/servizi/anagrafe/feed.atom", text(atom.dom().getDocumentElement(), "id"));
    }

    @Test
    void languageZoneAndAddressesFollowTheConfiguration() {
        String base = "https://status.example.org/stato";
        ZoneId newYork = ZoneId.of("America/New_York");
        try (TestServer other = TestServer.start(new MutableClock(NOW), true,
                Map.of("base.url", base + "/", "time.zone", newYork.getId(), "language", "en"))) {
            HttpResponse<byte[]> atom = FeedDocs.get(other.url("/feed.atom"));
            Document d = FeedDocs.dom(atom.body());
            assertEquals("en", d.getDocumentElement().getAttributeNS("http://www.w3.org/XML/1998/namespace", "lang"));
            assertEquals(List.of(), FeedDocs.atomViolations(d, base + "/feed.atom", newYork), "self link, offsets -05:00");
            assertEquals(List.of(), FeedDocs.relaxNgErrors(atom.body()));
            assertTrue(text(entries(d).get(0), "id").startsWith("tag:status.example.org,2026-11-24:avviso-"));
            assertTrue(text(entries(d).get(0), "updated").endsWith("-05:00"));
            assertTrue(children(entries(d).get(0), "link").get(0).getAttribute("href").startsWith(base + "/avvisi/"));
            HttpResponse<byte[]> rss = FeedDocs.get(other.url("/servizi/anagrafe/feed.rss"));
            Document r = FeedDocs.dom(rss.body());
            assertEquals("en", plainText(plain(r.getDocumentElement(), "channel").get(0), "language"));
            assertEquals(List.of(), FeedDocs.rssViolations(r, base + "/servizi/anagrafe/feed.rss", newYork));
            assertFalse(new String(rss.body(), StandardCharsets.UTF_8).contains("stato.comune.example.it"));
        }
    }

    @Test
    void beyondFiftyAvvisiAnOldOneWhoseExpiryIsTheLatestActivityStillLeadsTheFeed() {
        // more avvisi than a feed lists: the newest publications bound the list (NoticeRepository.latestActivity),
        // and an avviso published long before that bound but expired a minute ago is still the latest activity
        try (TestServer other = TestServer.start(new MutableClock(NOW), false, Map.of())) {
            var notices = other.app().notices();
            // a service's feed is read another way (by the service's own avvisi): the same holds there,
            // for its provider's avvisi too, and an update is activity as much as an expiry
            var services = other.app().services();
            long group = services.createGroup("Anagrafe", 1);
            long cloud = services.createProvider("cloud", "Cloud", "");
            long registry = services.createService(new NewService("anagrafe", "Anagrafe", "", group, 1, List.of(), Set.of(cloud)));
            Instant old = NOW.minus(Duration.ofDays(40));
            notices.create(new NewNotice(NoticeKind.INFORMATION, NoticeStatus.PUBLISHED, "Anagrafe: avviso vecchio scaduto", "", "",
                    "it", old, NOW.minus(Duration.ofMinutes(210)), null, null, "test",
                    List.of(Impact.onService(registry, ServiceState.DEGRADED, ""))));
            long updated = notices.create(new NewNotice(NoticeKind.INFORMATION, NoticeStatus.PUBLISHED,
                    "Cloud: avviso vecchio aggiornato", "", "", "it", old, null, null, null, "test",
                    List.of(Impact.onProvider(cloud, ServiceState.DEGRADED, ""))));
            notices.addUpdate(updated, new NewUpdate("Ancora in corso.", List.of(), false, "test", NOW.minus(Duration.ofMinutes(220))));
            for (int i = 0; i < 60; i++) {
                notices.create(new NewNotice(NoticeKind.INFORMATION, NoticeStatus.PUBLISHED, "Anagrafe " + i, "", "", "it",
                        NOW.minus(Duration.ofDays(10)).plus(Duration.ofHours(i)), null, null, null, "test",
                        List.of(Impact.onService(registry, ServiceState.DEGRADED, ""))));
            }

            notices.create(new NewNotice(NoticeKind.INFORMATION, NoticeStatus.PUBLISHED, "Avviso vecchio scaduto ora", "", "",
                    "it", NOW.minus(Duration.ofDays(30)), NOW.minus(Duration.ofMinutes(1)), null, null, "test", List.of()));
            for (int i = 0; i < 60; i++) {
                notices.create(new NewNotice(NoticeKind.INFORMATION, NoticeStatus.PUBLISHED, "Avviso recente " + i, "", "", "it",
                        NOW.minus(Duration.ofHours(3)).plus(Duration.ofMinutes(i)), null, null, null, "test", List.of()));
            }
            List<String> titles = entries(FeedDocs.dom(FeedDocs.get(other.url("/feed.atom")).body())).stream()
                    .map(e -> text(e, "title")).toList();
            assertTrue(titles.get(0).startsWith("Avviso vecchio scaduto ora"), titles.toString());
            assertEquals("Avviso recente 59", titles.get(1));
            assertFalse(titles.contains("Avviso recente 10"), "the 50 latest only: " + titles.size());
            List<String> registryTitles = entries(FeedDocs.dom(FeedDocs.get(other.url("/servizi/anagrafe/feed.atom")).body()))
                    .stream().map(e -> text(e, "title")).toList();
            assertTrue(registryTitles.get(0).startsWith("Anagrafe: avviso vecchio scaduto"), registryTitles.toString());
            assertTrue(registryTitles.get(1).contains("Cloud: avviso vecchio aggiornato"), registryTitles.toString());
            assertEquals("Anagrafe 59", registryTitles.get(2));
            assertFalse(registryTitles.contains("Anagrafe 10"), "the 50 latest only: " + registryTitles.size());
            assertFalse(registryTitles.stream().anyMatch(t -> t.startsWith("Avviso recente")), "not the service's: " + registryTitles);
        }
    }

    @Test
    void serviceAndKindFeedsHoldTheirOwnAvvisi() {
        List<String> spid = FeedDocs.rome(fetch("/servizi/certificati-online/feed.atom").response().body()).getEntries()
                .stream().map(SyndEntry::getTitle).toList();
        assertTrue(spid.contains("Accesso con SPID e CIE non disponibile"), "through the SPID provider: " + spid);
        assertTrue(spid.contains("Servizi online sospesi per l'attacco informatico al fornitore cloud"),
                "through the vendor carried by the cloud provider: " + spid);
        assertFalse(spid.stream().anyMatch(t -> t.startsWith("Uffici chiusi")), spid.toString());
        assertEquals("Certificati anagrafici online – Stato dei servizi – Comune di Roccaverde",
                FeedDocs.rome(fetch("/servizi/certificati-online/feed.rss").response().body()).getTitle());

        Fetched security = fetch("/avvisi/tipo/sicurezza/feed.atom");
        assertEquals(1, entries(security.dom()).size());
        for (String kind : List.of("disservizio", "manutenzione", "sicurezza", "violazione-dati", "informazione")) {
            Document d = fetch("/avvisi/tipo/" + kind + "/feed.atom").dom();
            for (Element e : entries(d)) assertEquals(kind, children(e, "category").get(0).getAttribute("term"));
        }
        assertTrue(entries(fetch("/servizi/carta-identita/feed.atom").dom()).isEmpty(), "no avviso yet: an empty, valid feed");
    }

    @Test
    void anUnknownServiceOrKindAnswers404WithAClearMessage() {
        HttpResponse<String> service = server.get("/servizi/non-esiste/feed.atom");
        assertEquals(404, service.statusCode());
        assertTrue(service.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(Jsoup.parse(service.body()).text().contains("Non c'è un servizio con questo indirizzo"), service.body());
        HttpResponse<String> kind = server.get("/avvisi/tipo/nessuno/feed.rss");
        assertEquals(404, kind.statusCode());
        assertTrue(Jsoup.parse(kind.body()).text().contains("I tipi sono: disservizio, manutenzione, sicurezza, violazione-dati, informazione."));
        assertEquals(404, server.get("/avvisi/tipo/sicurezza/feed.json").statusCode());
        assertEquals(404, server.get("/avvisi/tipo/%3Cscript%3E/feed.atom").statusCode());
        assertFalse(server.get("/avvisi/tipo/%3Cscript%3E/feed.atom").body().contains("<script>"));
    }

    @Test
    void pagesWithAFeedOfferItForAutodiscoveryAndVisibly() {
        Map<String, String> pages = Map.of(
                "/", "/feed",
                "/servizi/anagrafe", "/servizi/anagrafe/feed",
                "/avvisi/tipo/sicurezza", "/avvisi/tipo/sicurezza/feed",
                "/avvisi/tipo/sicurezza/anno/2026", "/avvisi/tipo/sicurezza/feed",
                "/avvisi/servizio/stato-civile", "/servizi/stato-civile/feed",
                "/avvisi", "/feed");
        pages.forEach((page, feed) -> {
            var doc = Jsoup.parse(server.get(page).body());
            assertEquals(BASE + feed + ".atom", doc.selectFirst("head link[rel=alternate][type=application/atom+xml]").attr("href"), page);
            assertEquals(BASE + feed + ".rss", doc.selectFirst("head link[rel=alternate][type=application/rss+xml]").attr("href"), page);
            assertFalse(doc.selectFirst("head link[rel=alternate][type=application/atom+xml]").attr("title").isBlank());
            var visible = doc.selectFirst("main .feed-links");
            assertEquals("Segui via RSS/Atom", visible.text(), page);
            assertEquals(List.of(BASE + feed + ".rss", BASE + feed + ".atom"), visible.select("a").eachAttr("href"), page);
            assertValid(feed + ".atom");
        });
        var notice = Jsoup.parse(server.get("/avvisi/tipo/sicurezza").body()).selectFirst(".notice-title a").attr("href");
        assertEquals(BASE + "/feed.atom", Jsoup.parse(server.get(notice).body())
                .selectFirst("head link[type=application/atom+xml]").attr("href"), "an avviso page offers the site's feed");
    }

    // ---- the checks themselves ------------------------------------------------------------------

    @Test
    void theChecksCatchWhatTheValidatorWarnsAbout() {
        Fetched atom = fetch("/feed.atom");
        Document d = atom.dom();
        Element feed = d.getDocumentElement();
        children(feed, "link").get(0).setAttribute("href", "https://stato.comune.example.it/altro.atom");
        feed.removeChild(children(feed, "author").get(0));
        Element first = entries(d).get(0);
        first.removeChild(children(first, "author").get(0));
        children(first, "content").get(0).setTextContent("<p><a href=\"/relativo\">x</a></p>");
        children(first, "id").get(0).setTextContent("avviso 1");
        children(entries(d).get(1), "updated").get(0).setTextContent(text(first, "updated"));
        children(entries(d).get(2), "updated").get(0).setTextContent("2026-11-24 10:00");
        String found = String.join("\n", FeedDocs.atomViolations(d, BASE + "/feed.atom", ROME));
        for (String rule : List.of("SelfDoesntMatchLocation", "MissingAuthor", "ContainsRelRef", "InvalidIRI", "DuplicateUpdated", "InvalidRFC3339Date")) {
            assertTrue(found.contains(rule), rule + " not found in:\n" + found);
        }
        assertEquals(List.of(), FeedDocs.atomViolations(fetch("/feed.atom").dom(), BASE + "/feed.atom", ROME));
        assertFalse(FeedDocs.relaxNgErrors("<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>x</title></feed>"
                .getBytes(StandardCharsets.UTF_8)).isEmpty(), "Jing rejects a feed without id and updated");

        Document rss = fetch("/feed.rss").dom();
        Element item = items(rss).get(0);
        plain(item, "guid").get(0).removeAttribute("isPermaLink");
        Element channel = plain(rss.getDocumentElement(), "channel").get(0);
        channel.removeChild(children(channel, "link").get(0));
        item.appendChild(rss.createElementNS(null, "enclosure"));
        item.appendChild(rss.createElementNS(null, "enclosure"));
        plain(item, "pubDate").get(0).setTextContent("2026-11-24T10:00:00Z");
        String rssFound = String.join("\n", FeedDocs.rssViolations(rss, BASE + "/feed.rss", ROME));
        for (String rule : List.of("InvalidHttpGUID", "MissingAtomSelfLink", "DuplicateEnclosure", "InvalidRFC2822Date")) {
            assertTrue(rssFound.contains(rule), rule + " not found in:\n" + rssFound);
        }
    }
}
