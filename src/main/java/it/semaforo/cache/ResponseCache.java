package it.semaforo.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.javalin.http.Context;
import it.semaforo.web.Rendered;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;

/**
 * Public GET responses rendered once per change and kept as bytes, with their gzip form and a
 * strong ETag, keyed by URL and language. The whole cache is dropped when the database
 * announces a change; an entry also dies at the instant its content stops being true by
 * itself (Rendered.validUntil), measured on the injected clock.
 */
public final class ResponseCache {
    /** A CDN or reverse proxy may serve a copy for 30 s, and keep serving it if we die. */
    public static final String CACHE_CONTROL = "public, max-age=30, stale-while-revalidate=60, stale-if-error=86400";
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;

    private final Cache<String, Entry> entries;
    private final Clock clock;
    private volatile Instant lastChange;

    public ResponseCache(Clock clock, long maxBytes) {
        this.clock = clock;
        this.lastChange = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        this.entries = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((String k, Entry e) -> e.body.length + e.gzip.length + k.length() + 256)
                .build();
    }

    /** Called on every committed write: everything public may have changed. */
    public void invalidateAll() {
        lastChange = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        entries.invalidateAll();
    }

    /**
     * Answers a public GET from the cache, rendering it on a miss. Conditional requests get
     * 304; clients that accept gzip get the precompressed bytes. Only 200 and 410 answers are
     * kept (a 404 for every random address would fill the cache).
     */
    public void respond(Context ctx, String language, Supplier<Rendered> render) {
        respond(ctx, language, false, render);
    }

    /**
     * As above; varyByLanguage when the language was negotiated from Accept-Language (the
     * address alone does not decide it), so shared caches keep one copy per language.
     */
    public void respond(Context ctx, String language, boolean varyByLanguage, Supplier<Rendered> render) {
        String key = ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString()) + "|" + language;
        Instant now = clock.instant();
        Entry entry = entries.getIfPresent(key);
        if (entry == null || entry.staleAt(now)) {
            Rendered r = render.get();
            entry = Entry.of(r, lastChange);
            if (r.status() == 200 || r.status() == 410) entries.put(key, entry);
        }
        send(ctx, entry, varyByLanguage);
    }

    private static void send(Context ctx, Entry e, boolean varyByLanguage) {
        ctx.status(e.rendered.status());
        e.rendered.headers().forEach(ctx::header);
        ctx.header("ETag", e.etag);
        ctx.header("Last-Modified", e.lastModified);
        ctx.header("Cache-Control", CACHE_CONTROL);
        ctx.header("Vary", varyByLanguage ? "Accept-Encoding, Accept-Language" : "Accept-Encoding");
        if (notModified(ctx, e)) {
            ctx.status(304);
            return;
        }
        ctx.contentType(e.rendered.contentType());
        String accept = ctx.header("Accept-Encoding");
        if (accept != null && accept.contains("gzip") && e.gzip.length < e.body.length) {
            ctx.header("Content-Encoding", "gzip");   // Javalin leaves already-encoded bodies alone
            ctx.result(e.gzip);
        } else {
            ctx.result(e.body);
        }
    }

    private static boolean notModified(Context ctx, Entry e) {
        String ifNoneMatch = ctx.header("If-None-Match");
        if (ifNoneMatch != null) {
            for (String tag : ifNoneMatch.split(",")) {
                String t = tag.strip();
                if (t.equals("*") || t.equals(e.etag) || t.equals("W/" + e.etag)) return true;
            }
            return false;   // If-None-Match wins over If-Modified-Since (RFC 9110 §13.1.3)
        }
        String since = ctx.header("If-Modified-Since");
        if (since != null) {
            try {
                Instant t = ZonedDateTime.parse(since, HTTP_DATE).toInstant();
                return !e.lastModifiedInstant.isAfter(t);
            } catch (DateTimeParseException ignored) {
                return false;
            }
        }
        return false;
    }

    private record Entry(Rendered rendered, byte[] body, byte[] gzip, String etag, Instant lastModifiedInstant,
                         String lastModified) {
        static Entry of(Rendered r, Instant lastChange) {
            return new Entry(r, r.body(), ResponseCache.gzip(r.body()), ResponseCache.etag(r), lastChange,
                    HTTP_DATE.format(lastChange.atZone(ZoneOffset.UTC)));
        }

        boolean staleAt(Instant now) {
            return rendered.validUntil() != null && !now.isBefore(rendered.validUntil());
        }
    }

    /** Strong ETag: a digest of everything that makes the answer, body and type. */
    static String etag(Rendered r) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(r.contentType().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(r.body());
            for (Map.Entry<String, String> h : new java.util.TreeMap<>(r.headers()).entrySet()) {
                sha.update((h.getKey() + ":" + h.getValue()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            return '"' + Base64.getUrlEncoder().withoutPadding().encodeToString(sha.digest()).substring(0, 22) + '"';
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] gzip(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 3 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
