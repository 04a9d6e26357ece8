package it.semaforo.cache;

import it.semaforo.notice.Impact;
import it.semaforo.notice.NoticeKind;
import it.semaforo.notice.NoticeRepository.NewNotice;
import it.semaforo.notice.NoticeStatus;
import it.semaforo.service.ServiceState;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rendered once per change: ETags, 304, gzip, and invalidation by writes and by the clock. */
class ResponseCacheTest {
    static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
    static MutableClock clock = new MutableClock(NOW);
    @RegisterExtension
    static final TestServer server = TestServer.demo(clock);

    @Test
    void conditionalRequestsGet304WithoutABody() {
        HttpResponse<String> first = server.get("/");
        String etag = first.headers().firstValue("ETag").orElseThrow();
        assertTrue(etag.matches("\"[A-Za-z0-9_-]{22}\""), etag);
        String lastModified = first.headers().firstValue("Last-Modified").orElseThrow();
        assertTrue(first.headers().firstValue("Cache-Control").orElse("").contains("stale-if-error"));
        assertEquals(etag, server.get("/").headers().firstValue("ETag").orElseThrow(), "same bytes, same tag");

        HttpResponse<String> byTag = server.get("/", "If-None-Match", etag);
        assertEquals(304, byTag.statusCode());
        assertEquals("", byTag.body());
        assertEquals(304, server.get("/", "If-Modified-Since", lastModified).statusCode());
        assertEquals(200, server.get("/", "If-None-Match", "\"something-else\"").statusCode());
    }

    @Test
    void gzipIsServedToClientsThatAcceptIt() throws IOException, InterruptedException {
        HttpResponse<byte[]> plain = server.getBytes("/avvisi");
        HttpResponse<byte[]> zipped = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url("/avvisi")))
                        .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals("gzip", zipped.headers().firstValue("Content-Encoding").orElse(""));
        assertEquals(plain.headers().firstValue("ETag"), zipped.headers().firstValue("ETag"));
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped.body()))) {
            assertArrayEquals(plain.body(), in.readAllBytes());
        }
    }

    @Test
    void aPublicationAndAnExpiryChangeTheTag() {
        clock.set(NOW);
        String before = server.get("/").headers().firstValue("ETag").orElseThrow();
        long portal = server.app().services().load().service("albo-pretorio").orElseThrow().id();
        long id = server.app().notices().create(new NewNotice(NoticeKind.OUTAGE, NoticeStatus.PUBLISHED,
                "Albo pretorio irraggiungibile", "", "", "it", NOW, NOW.plus(Duration.ofMinutes(30)), null, null,
                "test", List.of(Impact.onService(portal, ServiceState.SUSPENDED, "giù"))));
        try {
            HttpResponse<String> published = server.get("/");
            assertTrue(published.body().contains("Albo pretorio irraggiungibile"), "a write reaches the next request");
            String during = published.headers().firstValue("ETag").orElseThrow();
            assertNotEquals(before, during);
            clock.advance(Duration.ofMinutes(30));
            HttpResponse<String> expired = server.get("/", "If-None-Match", during);
            assertEquals(200, expired.statusCode(), "the cache never serves a banner after its expiry");
            assertTrue(!expired.body().contains("Albo pretorio irraggiungibile"));
        } finally {
            server.app().notices().withdraw(id);
            clock.set(NOW);
        }
    }

    @Test
    void lastModifiedMovesWhenAnExpiryChangesAPageByItself() {
        clock.set(NOW);
        long office = server.app().services().load().service("protocollo").orElseThrow().id();
        long id = server.app().notices().create(new NewNotice(NoticeKind.OUTAGE, NoticeStatus.PUBLISHED,
                "PEC non raggiungibile", "", "", "it", NOW, NOW.plus(Duration.ofMinutes(45)), null, null,
                "test", List.of(Impact.onService(office, ServiceState.SUSPENDED, "giù"))));
        try {
            HttpResponse<String> during = server.get("/");
            String lastModified = during.headers().firstValue("Last-Modified").orElseThrow();
            assertEquals(httpDate(NOW), lastModified, "the last write");
            clock.advance(Duration.ofMinutes(45));
            // a client that only remembers the date must not be told that nothing changed
            HttpResponse<String> expired = server.get("/", "If-Modified-Since", lastModified);
            assertEquals(200, expired.statusCode());
            assertTrue(!expired.body().contains("PEC non raggiungibile"));
            String moved = expired.headers().firstValue("Last-Modified").orElseThrow();
            assertEquals(httpDate(NOW.plus(Duration.ofMinutes(45))), moved, "the instant the page changed by itself");
            assertEquals(304, server.get("/", "If-Modified-Since", moved).statusCode());
        } finally {
            server.app().notices().withdraw(id);
            clock.set(NOW);
        }
    }

    private static String httpDate(Instant t) {
        return java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(t.atZone(java.time.ZoneOffset.UTC));
    }

    @Test
    void entriesAreCompressedOnceAndSmaller() {
        byte[] body = "Tutti i servizi sono attivi ".repeat(100).getBytes(StandardCharsets.UTF_8);
        assertTrue(ResponseCache.gzip(body).length < body.length / 5);
    }
}
