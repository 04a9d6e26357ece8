package it.semaforo.signal.poll;

import it.semaforo.service.ServiceState;
import it.semaforo.signal.Reading;
import it.semaforo.testing.Upstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The readers and the fetcher against real payloads and a real loopback upstream: Statuspage v2
 * summaries as docs/statuspage-v2.md describes them (every component status, groups, incidents,
 * maintenances, fields we do not know), Atom and RSS as providers publish them, XML that tries
 * to read a file or to expand itself, and upstreams that redirect where they should not.
 */
class ReadersTest {
    static final Upstream upstream = Upstream.start();
    static final PollSettings OPEN = new PollSettings(true, Duration.ofSeconds(2), 1024 * 1024, 2, "test", false);

    @AfterAll
    static void stop() {
        upstream.close();
    }

    static byte[] resource(String name) {
        try (InputStream in = ReadersTest.class.getResourceAsStream("/signals/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void everyComponentStatusMapsToOurStates() throws FetchFailure {
        byte[] page = resource("summary.json");
        assertEquals(ServiceState.SUSPENDED, StatuspageReader.read(page, "ANPR gateway", "x").state());
        assertEquals(ServiceState.DEGRADED, StatuspageReader.read(page, "cmp000000002", "x").state());
        assertEquals(ServiceState.MAINTENANCE, StatuspageReader.read(page, "Protocollo", "x").state());
        assertEquals(ServiceState.OPERATIONAL, StatuspageReader.read(page, "tributi", "x").state(), "names match without case");
        // a group: the worst of itself and its members
        assertEquals(ServiceState.SUSPENDED, StatuspageReader.read(page, "Servizi demografici", "x").state());
        // the page's rollup when no component is chosen: major is a partial outage
        assertEquals(ServiceState.LIMITED, StatuspageReader.read(page, "", "x").state());
        assertEquals(ServiceState.LIMITED, StatuspageReader.state("partial_outage"));
        // a status this version does not know proposes nothing, and says what it was
        Reading unknown = StatuspageReader.read(page, "Sperimentale", "x");
        assertNull(unknown.state());
        assertTrue(unknown.text().contains("some_future_status"), unknown.text());
        FetchFailure missing = assertThrows(FetchFailure.class, () -> StatuspageReader.read(page, "Nessuno", "x"));
        assertEquals("signals.error.component", missing.key());
    }

    @Test
    void theIncidentTouchingTheComponentIsQuotedAsPlainTextWithItsLink() throws FetchFailure {
        Reading r = StatuspageReader.read(resource("summary.json"), "ANPR gateway", "x");
        assertEquals("Disservizio del gateway ANPR", r.title());
        assertEquals("Abbiamo individuato la causa.\nIl ripristino è previsto entro le 12:00 & seguiranno aggiornamenti.", r.text(),
                "the newest update, <br /> as a line break, entities decoded");
        assertEquals("https://stspg.io/abc123", r.link());
        Reading m = StatuspageReader.read(resource("summary.json"), "Protocollo", "x");
        assertEquals("Aggiornamento del protocollo", m.title(), "the maintenance in progress, not the scheduled one");
        assertEquals("Manutenzione in corso.", m.text());
        Reading calm = StatuspageReader.read(resource("summary.json"), "Tributi", "x");
        assertEquals("https://status.pa-digitale.example", calm.link(), "no incident: the page itself");
    }

    @Test
    void notStatuspageIsAClearError() {
        assertEquals("signals.error.json", assertThrows(FetchFailure.class,
                () -> StatuspageReader.read("{\"page\": ".getBytes(StandardCharsets.UTF_8), "", "x")).key());
        assertEquals("signals.error.statuspage", assertThrows(FetchFailure.class,
                () -> StatuspageReader.read("[1, 2]".getBytes(StandardCharsets.UTF_8), "", "x")).key());
    }

    @Test
    void atomWithHtmlAndRelativeLinks() throws FetchFailure {
        Reading r = FeedReader.read(resource("atom.xml"), URI.create("https://pagopa.example/feed/stato.atom"));
        assertEquals("Rallentamenti sui pagamenti con carta", r.title(), "HTML in the title taken out");
        assertTrue(r.text().startsWith("Alcuni pagamenti con carta non vanno a buon fine."), r.text());
        assertTrue(r.text().contains("Stiamo lavorando & aggiorneremo."), r.text());
        assertFalse(r.text().contains("alert"), "a script is no text");
        assertEquals("https://pagopa.example/stato/incidenti/42", r.link(), "relative to the feed's address");
        assertEquals("tag:pagopa.example,2026:incidente-42@" + java.time.Instant.parse("2026-12-07T09:00:00Z").toEpochMilli(), r.key(),
                "its id with its date: an entry updated in place is news again");
        assertNull(r.state(), "not a recovery: the source's chosen state is proposed");
    }

    /**
     * What a recovery is in a feed: Statuspage's history feed updates an incident's entry in place,
     * its content beginning with the newest update ("Resolved - ..."); Italian providers title it.
     */
    @Test
    void aFeedEntryThatSaysResolvedIsARecovery() throws FetchFailure {
        String statuspage = """
                <?xml version="1.0" encoding="UTF-8"?>
                <feed xml:lang="en-US" xmlns="http://www.w3.org/2005/Atom">
                  <id>tag:status.example.com,2005:/history</id><title>Example Status - Incident History</title>
                  <updated>2026-12-07T10:20:00Z</updated>
                  <entry>
                    <id>tag:status.example.com,2005:Incident/123</id>
                    <published>2026-12-07T09:00:00Z</published><updated>2026-12-07T10:20:00Z</updated>
                    <link rel="alternate" type="text/html" href="https://status.example.com/incidents/abc"/>
                    <title>Login failures</title>
                    <content type="html">&lt;p&gt;&lt;small&gt;Dec &lt;var data-var='date'&gt; 7&lt;/var&gt;, &lt;var data-var='time'&gt;10:20&lt;/var&gt; UTC&lt;/small&gt;&lt;br&gt;&lt;strong&gt;%s&lt;/strong&gt; - %s&lt;/p&gt;&lt;p&gt;&lt;small&gt;Dec 7, 09:00 UTC&lt;/small&gt;&lt;br&gt;&lt;strong&gt;Investigating&lt;/strong&gt; - We are investigating.&lt;/p&gt;</content>
                  </entry>
                </feed>""";
        URI uri = URI.create("https://status.example.com/history.atom");
        Reading resolved = FeedReader.read(statuspage.formatted("Resolved", "This incident has been resolved.")
                .getBytes(StandardCharsets.UTF_8), uri);
        assertEquals(ServiceState.OPERATIONAL, resolved.state(), resolved.text());
        Reading monitoring = FeedReader.read(statuspage.formatted("Monitoring", "A fix has been implemented.")
                .getBytes(StandardCharsets.UTF_8), uri);
        assertNull(monitoring.state(), monitoring.text());
        String italian = """
                <?xml version="1.0" encoding="UTF-8"?>
                <rss version="2.0"><channel><title>Avvisi</title><link>https://idp.example/</link><description>x</description>
                <item><title>%s</title><guid>x-1</guid><description>Dettagli.</description></item>
                </channel></rss>""";
        assertEquals(ServiceState.OPERATIONAL, FeedReader.read(italian.formatted("Accesso con SPID: problema risolto")
                .getBytes(StandardCharsets.UTF_8), uri).state());
        assertNull(FeedReader.read(italian.formatted("Accesso con SPID: problema non risolto")
                .getBytes(StandardCharsets.UTF_8), uri).state());
    }

    @Test
    void rssWithoutDatesTakesTheFirstItem() throws FetchFailure {
        Reading r = FeedReader.read(resource("rss.xml"), URI.create("https://idp.example/feed.rss"));
        assertEquals("Accesso con SPID non disponibile", r.title());
        assertEquals("L'accesso con SPID non è disponibile.\nRiprovare più tardi.", r.text());
        assertEquals("https://idp.example/avvisi/2026/12/accesso-non-disponibile.html", r.link());
        assertEquals("idp-2026-12-07-1", r.key());
    }

    @Test
    void externalEntitiesAndBillionLaughsAreRefusedBeforeAnythingIsRead() {
        FetchFailure xxe = assertThrows(FetchFailure.class, () -> FeedReader.read(resource("xxe.xml"), URI.create("https://x.example/")));
        assertEquals("signals.error.doctype", xxe.key());
        assertFalse(String.valueOf(xxe.args()).contains("root:"), "nothing of the file");
        long start = System.nanoTime();
        FetchFailure laughs = assertThrows(FetchFailure.class, () -> FeedReader.read(resource("laughs.xml"), URI.create("https://x.example/")));
        assertEquals("signals.error.doctype", laughs.key());
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "refused, not expanded");
    }

    @Test
    void conditionalRequestsAnswer304() throws FetchFailure {
        upstream.serve("/api/v2/summary.json", "application/json", new String(resource("summary.json"), StandardCharsets.UTF_8));
        Fetcher f = new Fetcher(OPEN);
        Fetcher.Answer first = f.get(upstream.url("/api/v2/summary.json"), Duration.ofSeconds(5), null, null, "application/json");
        assertEquals(200, first.status());
        assertNotNull(first.etag());
        Fetcher.Answer again = f.get(upstream.url("/api/v2/summary.json"), Duration.ofSeconds(5), first.etag(), first.lastModified(),
                "application/json");
        assertTrue(again.notModified());
    }

    @Test
    void hostileUpstreamsFailWithinTheirLimits() {
        Fetcher f = new Fetcher(OPEN);
        // a slow drip: a byte every 100 ms, for far longer than the deadline
        upstream.handle("/drip", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 600; i++) {
                    out.write('x');
                    out.flush();
                    Thread.sleep(100);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        long start = System.nanoTime();
        assertEquals("signals.error.timeout", assertThrows(FetchFailure.class,
                () -> f.get(upstream.url("/drip"), Duration.ofSeconds(2), null, null, "*/*")).key());
        assertTrue(System.nanoTime() - start < 10_000_000_000L, "cut at the deadline, not after the drip");
        // 50 MB, announced and not: read no further than the cap
        upstream.handle("/huge", exchange -> {
            exchange.sendResponseHeaders(200, 50L * 1024 * 1024);
            try (OutputStream out = exchange.getResponseBody()) {
                byte[] chunk = new byte[64 * 1024];
                for (int i = 0; i < 800; i++) out.write(chunk);
            }
        });
        assertEquals("signals.error.too.large", assertThrows(FetchFailure.class,
                () -> f.get(upstream.url("/huge"), Duration.ofSeconds(10), null, null, "*/*")).key());
        upstream.handle("/huge-chunked", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                byte[] chunk = new byte[64 * 1024];
                for (int i = 0; i < 800; i++) out.write(chunk);
            }
        });
        assertEquals("signals.error.too.large", assertThrows(FetchFailure.class,
                () -> f.get(upstream.url("/huge-chunked"), Duration.ofSeconds(10), null, null, "*/*")).key());
        // a redirect loop
        upstream.handle("/loop", exchange -> {
            exchange.getResponseHeaders().set("Location", "/loop");
            exchange.sendResponseHeaders(302, -1);
        });
        assertEquals("signals.error.redirects", assertThrows(FetchFailure.class,
                () -> f.get(upstream.url("/loop"), Duration.ofSeconds(5), null, null, "*/*")).key());
        // TLS with a server that answers in plain HTTP at once
        try (java.net.ServerSocket plain = new java.net.ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            java.util.concurrent.CompletableFuture.runAsync(() -> {
                try (java.net.Socket s = plain.accept()) {
                    s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
                    s.getInputStream().read(new byte[1024]);
                } catch (IOException e) {
                    // the client gave up: expected
                }
            });
            assertEquals("signals.error.tls", assertThrows(FetchFailure.class,
                    () -> f.get("https://127.0.0.1:" + plain.getLocalPort() + "/", Duration.ofSeconds(5), null, null, "*/*")).key());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void privateAddressesAreRefusedFirstAndAfterARedirect() {
        // as configured by default: the loopback upstream itself is refused, before any connection
        FetchFailure first = assertThrows(FetchFailure.class, () -> new Fetcher(new PollSettings(false, Duration.ofSeconds(2),
                1024, 1, "test", false)).get(upstream.url("/x"), Duration.ofSeconds(2), null, null, "*/*"));
        assertEquals("signals.error.private", first.key());
        // refusing private ranges but not this test's loopback: a redirect there is refused before it is followed
        Fetcher f = new Fetcher(OPEN, InetAddress::isSiteLocalAddress);
        upstream.handle("/to-private", exchange -> {
            exchange.getResponseHeaders().set("Location", "http://10.20.30.40/admin");
            exchange.sendResponseHeaders(301, -1);
        });
        FetchFailure redirected = assertThrows(FetchFailure.class,
                () -> f.get(upstream.url("/to-private"), Duration.ofSeconds(2), null, null, "*/*"));
        assertEquals("signals.error.private", redirected.key());
        assertEquals("10.20.30.40", redirected.args().get(1));
        upstream.handle("/to-file", exchange -> {
            exchange.getResponseHeaders().set("Location", "file:///etc/passwd");
            exchange.sendResponseHeaders(302, -1);
        });
        assertEquals("signals.error.scheme", assertThrows(FetchFailure.class,
                () -> f.get(upstream.url("/to-file"), Duration.ofSeconds(2), null, null, "*/*")).key());
    }

    /**
     * DNS rebinding: a name that answers a public address when checked and a private one a moment
     * later. The fetcher resolves once and connects to the address it checked, so the second
     * answer is never asked for and the loopback upstream never hears from it.
     */
    @Test
    void aNameThatRebindsToAPrivateAddressIsNeverConnectedToThere() throws Exception {
        InetAddress documentation = InetAddress.getByName("192.0.2.1");   // TEST-NET-1: public for our rule, routes nowhere
        java.util.concurrent.atomic.AtomicInteger lookups = new java.util.concurrent.atomic.AtomicInteger();
        it.semaforo.net.GuardedHttp.Lookup rebinding = host -> new InetAddress[]{lookups.getAndIncrement() == 0 ? documentation
                : InetAddress.getLoopbackAddress()};
        Fetcher f = new Fetcher(new PollSettings(false, Duration.ofSeconds(1), 1024, 1, "test", false),
                it.semaforo.net.PrivateAddresses::isPrivate, rebinding);
        upstream.handle("/rebound", exchange -> Upstream.send(exchange, 200, "text/plain", "inside"));
        int heard = upstream.requests.size();
        String url = "http://rebinding.example:" + URI.create(upstream.url("/")).getPort() + "/rebound";
        FetchFailure failed = assertThrows(FetchFailure.class, () -> f.get(url, Duration.ofSeconds(2), null, null, "*/*"));
        assertNotEquals("signals.error.private", failed.key(), "the checked, public address was the one tried: " + failed);
        assertEquals(1, lookups.get(), "resolved once");
        assertEquals(heard, upstream.requests.size(), "nothing reached the loopback upstream");
        // and the next request, which now gets the private answer, is refused before any connection
        FetchFailure refused = assertThrows(FetchFailure.class, () -> f.get(url, Duration.ofSeconds(2), null, null, "*/*"));
        assertEquals("signals.error.private", refused.key());
        assertEquals("127.0.0.1", refused.args().get(1));
        assertEquals(heard, upstream.requests.size());
        f.close();
    }

    @Test
    void backoffGrowsWithJitterUpToItsCap() {
        long minute = Duration.ofSeconds(60).toNanos();
        for (int i = 0; i < 50; i++) {
            long one = Poller.backoff(minute, 1);
            assertTrue(one >= minute * 3 / 4 && one <= minute * 5 / 4, "first failure: about the interval");
            long three = Poller.backoff(minute, 3);
            assertTrue(three >= minute * 3 && three <= minute * 5, "third: about four intervals");
            long many = Poller.backoff(minute, 40);
            assertTrue(many <= Duration.ofMinutes(30).toNanos() * 5 / 4, "at most 30 minutes, with jitter");
        }
    }
}
