package it.semaforo.web;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/**
 * A response as bytes: what every public output (page, feed, JSON, badge) renders to, and
 * what the response cache keeps per URL. headers are the extra ones the output needs on every
 * answer (CORS for the API, say); validUntil is the instant at which it stops being true by
 * itself (an expiry, a publication time, a maintenance window), null when only a change of
 * data can make it stale.
 */
public record Rendered(int status, String contentType, byte[] body, Map<String, String> headers, Instant validUntil) {
    public static final String HTML = "text/html; charset=utf-8";

    public Rendered {
        headers = Map.copyOf(headers);
    }

    /**
     * Pages may not be framed by another site (clickjacking); only the embeddable banner,
     * which sets its own headers, may.
     */
    public static final Map<String, String> NOT_FRAMEABLE = Map.of(
            "X-Frame-Options", "DENY",
            "Content-Security-Policy", "frame-ancestors 'none'");

    public static Rendered html(int status, byte[] body) {
        return new Rendered(status, HTML, body, NOT_FRAMEABLE, null);
    }

    public static Rendered of(int status, String contentType, byte[] body) {
        return new Rendered(status, contentType, body, Map.of(), null);
    }

    public static Rendered json(int status, String body) {
        return of(status, "application/json; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }

    public Rendered validUntil(Instant instant) {
        return new Rendered(status, contentType, body, headers, instant);
    }

    public Rendered withHeader(String name, String value) {
        var all = new java.util.LinkedHashMap<>(headers);
        all.put(name, value);
        return new Rendered(status, contentType, body, all, validUntil);
    }
}
