package it.semaforo.render;

import it.semaforo.text.FileNames;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/**
 * A response as bytes: what every public output (page, feed, JSON, badge) renders to, and
 * what the response cache keeps per URL. headers are the extra ones the output needs on every
 * answer (CORS for the API, say); validUntil is the instant at which it stops being true by
 * itself (an expiry, a publication time, a maintenance window), null when only a change of
 * data can make it stale. lastModified is the instant its content last changed when the output
 * knows it (a feed: its newest entry), null to let the cache use the time of the last change of
 * data it saw.
 */
public record Rendered(int status, String contentType, byte[] body, Map<String, String> headers, Instant validUntil,
                       Instant lastModified) {
    public static final String HTML = "text/html; charset=utf-8";
    /**
     * Where a page (layout.jte) lets the response cache say that it shows what was true at an
     * earlier time, when it serves the last good copy while the database fails.
     */
    public static final String STALE_MARK = "<!--semaforo:stale-->";
    /** Around the dated banner that the mirror's static copy puts after STALE_MARK ("Copia statica aggiornata al …"). */
    public static final String STATIC_COPY_START = "<!--semaforo:static-copy-->";
    public static final String STATIC_COPY_END = "<!--/semaforo:static-copy-->";

    public Rendered {
        headers = Map.copyOf(headers);
    }

    public Rendered(int status, String contentType, byte[] body, Map<String, String> headers, Instant validUntil) {
        this(status, contentType, body, headers, validUntil, null);
    }

    public static Rendered html(int status, byte[] body) {
        return new Rendered(status, HTML, body, Map.of(), null);
    }

    public static Rendered of(int status, String contentType, byte[] body) {
        return new Rendered(status, contentType, body, Map.of(), null);
    }

    public static Rendered json(int status, String body) {
        return of(status, "application/json; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A stored file as it is downloaded: shown inline under its original name (an ASCII form
     * and the RFC 8187 UTF-8 one), never sniffed as another type.
     */
    public static Rendered file(String contentType, String filename, byte[] body) {
        String shown = FileNames.shown(filename);   // a name stored before format characters were removed
        String ascii = shown.replaceAll("[^A-Za-z0-9._-]", "_");
        return of(200, contentType, body)
                .withHeader("Content-Disposition", "inline; filename=\"" + ascii + "\"; filename*=UTF-8''"
                        + URLEncoder.encode(shown, StandardCharsets.UTF_8).replace("+", "%20"))
                .withHeader("X-Content-Type-Options", "nosniff");
    }

    public Rendered validUntil(Instant instant) {
        return new Rendered(status, contentType, body, headers, instant, lastModified);
    }

    public Rendered lastModified(Instant instant) {
        return new Rendered(status, contentType, body, headers, validUntil, instant);
    }

    public Rendered withHeader(String name, String value) {
        var all = new java.util.LinkedHashMap<>(headers);
        all.put(name, value);
        return new Rendered(status, contentType, body, all, validUntil, lastModified);
    }
}
