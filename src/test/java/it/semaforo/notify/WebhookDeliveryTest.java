package it.semaforo.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import com.sun.net.httpserver.HttpServer;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static it.semaforo.notify.MailTesting.sleep;
import static it.semaforo.notify.OutboxDeliveryTest.publish;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Webhooks against a loopback receiver (allowed with webhooks.allow.private=true): each public
 * event in scope arrives once, in the change log's shape, with a signature that Standard
 * Webhooks' own library verifies; failures are retried with the same webhook-id; redirects are
 * not followed; an endpoint failing for the whole retry period is disabled; private
 * destinations are refused without the setting.
 */
class WebhookDeliveryTest {
    // the receiver's library checks the timestamp against real time (5 minutes' tolerance)
    static final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    @RegisterExtension
    static final TestServer server = TestServer.demo(clock, Map.of("webhooks.allow.private", "true"));
    static final ObjectMapper JSON = new ObjectMapper();

    record Received(String path, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.get(name).get(0);
        }
    }

    static final List<Received> received = new CopyOnWriteArrayList<>();
    static final AtomicInteger failuresLeft = new AtomicInteger();
    static final HttpServer receiver = receiver();

    static HttpServer receiver() {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            s.createContext("/", ex -> {
                Map<String, List<String>> headers = new TreeMap<>();
                ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
                String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                received.add(new Received(ex.getRequestURI().getPath(), headers, body));
                int status = 200;
                if (ex.getRequestURI().getPath().startsWith("/redirect")) {
                    ex.getResponseHeaders().add("Location", "/elsewhere");
                    status = 302;
                } else if (ex.getRequestURI().getPath().startsWith("/down") || failuresLeft.getAndDecrement() > 0) {
                    status = 500;
                }
                ex.sendResponseHeaders(status, -1);
                ex.close();
            });
            s.start();
            return s;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stopReceiver() {
        receiver.stop(0);
    }

    static String url(String path) {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
    }

    static List<Received> at(String path, int atLeast) {
        long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (received.stream().filter(r -> r.path().equals(path)).count() < atLeast && System.nanoTime() < end) sleep(50);
        List<Received> got = received.stream().filter(r -> r.path().equals(path)).toList();
        assertTrue(got.size() >= atLeast, "expected " + atLeast + " deliveries to " + path + ", got " + got.size());
        return got;
    }

    static String type(String body) {
        try {
            return JSON.readTree(body).get("type").asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static Webhooks webhooks() {
        return server.app().notifications().webhooks();
    }

    @Test
    void eachPublicEventArrivesSignedInTheChangeLogShape() throws Exception {
        Webhooks.Endpoint cms = webhooks().create(url("/cms"), "the comune's CMS", Choices.all());
        assertTrue(cms.secret().startsWith("whsec_"));
        publish(server, "Guasto per il webhook");
        List<Received> got = at("/cms", 1);
        Webhook verifier = new Webhook(cms.secret());
        JsonNode log = JSON.readTree(server.get("/api/semaforo/v1/events.json?after=0&limit=500").body()).get("events");
        Map<Long, JsonNode> byId = new TreeMap<>();
        log.forEach(e -> byId.put(e.get("id").asLong(), e));
        for (Received r : got) {
            verifier.verify(r.body(), r.headers());   // throws when the signature or timestamp is wrong
            JsonNode event = JSON.readTree(r.body());
            assertEquals(byId.get(event.get("id").asLong()), event, "exactly the change log's shape");
            assertEquals("application/json", r.header("content-type"));
        }
        assertEquals("notice.published", type(got.get(0).body()));
        // a tampered body or another secret does not verify
        Received first = got.get(0);
        assertThrows(WebhookVerificationException.class, () -> verifier.verify(first.body().replace("Guasto", "Guasta"), first.headers()));
        assertThrows(WebhookVerificationException.class, () -> new Webhook("whsec_" + java.util.Base64.getEncoder()
                .encodeToString(new byte[24])).verify(first.body(), first.headers()));
        webhooks().delete(cms.id());
    }

    @Test
    void aFailedDeliveryIsRetriedWithTheSameIdAndARedirectIsNotFollowed() throws Exception {
        Webhooks.Endpoint flaky = webhooks().create(url("/flaky"), "", Choices.all());
        Webhooks.Endpoint moved = webhooks().create(url("/redirect"), "", Choices.all());
        failuresLeft.set(1);
        publish(server, "Secondo guasto");
        at("/flaky", 1);
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        // both first attempts failed before the clock moves (else one would be due only after the new time)
        while ((webhooks().deliveries(flaky.id(), 10).stream().noneMatch(d -> "HTTP 500".equals(d.lastError()))
                || webhooks().deliveries(moved.id(), 10).stream().noneMatch(d -> d.lastError() != null))
                && System.nanoTime() < until) sleep(20);
        clock.advance(Duration.ofMinutes(2));   // past the first backoff (30 s, at most 45 with jitter)
        List<Received> all = at("/flaky", 2);
        Map<String, Long> ids = all.stream().collect(Collectors.groupingBy(r -> r.header("webhook-id"), Collectors.counting()));
        assertTrue(ids.containsValue(2L), "the failed one came again with the same webhook-id: " + ids);
        at("/redirect", 2);
        sleep(300);
        assertEquals(0, received.stream().filter(r -> r.path().equals("/elsewhere")).count(), "no redirect followed");
        List<Webhooks.Delivery> log = webhooks().deliveries(moved.id(), 10);
        assertTrue(log.stream().allMatch(d -> d.lastError() != null && d.lastError().startsWith("HTTP 302")), log.toString());
        webhooks().delete(flaky.id());
        webhooks().delete(moved.id());
    }

    @Test
    void anEndpointFailingForTheWholeRetryPeriodIsDisabled() {
        Webhooks.Endpoint down = webhooks().create(url("/down"), "", Choices.all());
        publish(server, "Terzo guasto");
        at("/down", 1);
        for (int i = 0; i < 80 && webhooks().find(down.id()).orElseThrow().enabled(); i++) {
            clock.advance(Duration.ofHours(1).plusMinutes(31));
            int before = received.size();
            server.app().notifications().webhookSender().wake();   // the retry is due now: no need to wait for its next look
            long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (received.size() == before && System.nanoTime() < end) sleep(20);
        }
        Webhooks.Endpoint after = webhooks().find(down.id()).orElseThrow();
        assertFalse(after.enabled(), "disabled");
        assertTrue(after.disabledReason().contains("HTTP 500"), after.disabledReason());
        int before = received.size();
        int queuedBefore = webhooks().deliveries(down.id(), 1000).size();
        // a witness enabled alongside: the event reaches it, and the same transaction queued nothing for the disabled one
        Webhooks.Endpoint witness = webhooks().create(url("/witness"), "", Choices.all());
        publish(server, "Quarto guasto");
        at("/witness", 1);
        assertEquals(queuedBefore, webhooks().deliveries(down.id(), 1000).size(), "nothing queued for a disabled endpoint");
        assertEquals(0, received.subList(before, received.size()).stream().filter(r -> r.path().equals("/down")).count(),
                "nothing more to a disabled endpoint");
        webhooks().delete(witness.id());
    }

    @Test
    void withoutSmtpHostSubscriptionsAreHidden() {
        assertFalse(server.get("/").body().contains("/iscrizione"));
        assertFalse(server.get("/servizi/albo-pretorio").body().contains("/iscrizione"));
        assertEquals(404, server.get("/iscrizione").statusCode());
        assertEquals(404, server.get("/en/iscrizione").statusCode());
    }

    @Test
    void privateDestinationsAreRefusedUnlessAllowed() {
        Webhooks strict = new Webhooks(null, null, null, clock, false);
        for (String u : new String[]{"http://127.0.0.1/x", "http://localhost/x", "http://10.1.2.3/x", "http://192.168.1.1/",
                "http://172.16.0.1/", "http://169.254.169.254/latest/meta-data", "http://[::1]/", "http://[fd00::1]/",
                "http://0.0.0.0/", "http://100.64.0.1/", "ftp://example.org/", "https://user:pw@example.org/",
                "javascript:alert(1)"}) {
            assertTrue(strict.refusal(u).isPresent(), u);
        }
        assertThrows(IllegalArgumentException.class, () -> new Webhooks(null, null, null, clock, false)
                .create("http://127.0.0.1:9/x", "", Choices.all()));
    }

    /**
     * DNS rebinding: a name that answered a public address when the endpoint was registered and
     * answers loopback when a delivery is sent. The sender's client resolves the name itself and
     * checks the address it connects to: refused, and the receiver never hears from it, unless
     * the operator allowed private destinations (webhooks.allow.private), which the tests' own
     * loopback receiver needs.
     */
    @Test
    void aNameThatRebindsToAPrivateAddressIsRefusedAtSendTimeUnlessAllowed() throws Exception {
        InetAddress documentation = InetAddress.getByName("192.0.2.1");   // TEST-NET-1: public for our rule
        AtomicInteger lookups = new AtomicInteger();
        it.semaforo.net.GuardedHttp.Lookup rebinding = host -> {
            if (!host.equals("hooks.example")) return InetAddress.getAllByName(host);
            return new InetAddress[]{lookups.getAndIncrement() == 0 ? documentation : InetAddress.getLoopbackAddress()};
        };
        var app = server.app();
        Webhooks strict = new Webhooks(app.database(), app.notifications().outbox(), app.services(), clock, false, rebinding);
        String url = "http://hooks.example:" + receiver.getAddress().getPort() + "/rebound";
        // a scope that no event reaches: the server's own sender never queues for it, this test sends by hand
        Webhooks.Endpoint endpoint = strict.create(url, "", new Choices(false, java.util.Set.of(-1L), java.util.Set.of(),
                java.util.Set.of()));   // the public answer: accepted
        assertEquals(1, lookups.get());
        publish(server, "Guasto per il DNS");
        long seq = app.domain().events().after(0, 100_000, false).stream().mapToLong(e -> e.seq()).max().orElseThrow();
        Outbox.Row row = new Outbox.Row(1_000_000, "webhook", null, endpoint.id(), "[" + seq + "]", clock.instant(), 0);
        int heard = received.size();

        WebhookSender guarded = new WebhookSender(strict, app.domain().events(), e -> "{}", app.notifications().settings(),
                clock, null, WebhookSender.client(false, rebinding));
        OutboxWorker.Outcome refused = guarded.send(row);
        guarded.close();
        assertInstanceOf(OutboxWorker.Outcome.Failed.class, refused);
        assertTrue(((OutboxWorker.Outcome.Failed) refused).error()
                .contains("refused destination: hooks.example resolves to 127.0.0.1"), refused.toString());
        assertEquals(2, lookups.get(), "resolved again when sending, by the client that connects");
        sleep(200);
        assertEquals(0, received.subList(heard, received.size()).stream().filter(r -> r.path().equals("/rebound")).count(),
                "nothing reached the loopback receiver");

        // the operator allows private destinations: the same name now reaches the loopback receiver
        WebhookSender allowed = new WebhookSender(strict, app.domain().events(), e -> "{}", app.notifications().settings(),
                clock, null, WebhookSender.client(true, rebinding));
        OutboxWorker.Outcome sent = allowed.send(row);
        allowed.close();
        assertInstanceOf(OutboxWorker.Outcome.Sent.class, sent, sent.toString());
        assertEquals(1, at("/rebound", 1).size());
        webhooks().delete(endpoint.id());
    }
}
