package it.semaforo.cache;

import it.semaforo.render.Rendered;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * What lets a client that has a copy ask whether it is still current (RFC 9110 §13): an
 * answer's strong ETag and its Last-Modified, and the one rule by which a conditional request
 * matches them, for the cached answers and the static assets alike.
 */
public final class Validators {
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;

    private Validators() {
    }

    /** Strong ETag: a digest of everything that makes the answer: type, headers, body. */
    static String etag(Rendered r) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(r.contentType().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            for (Map.Entry<String, String> h : new TreeMap<>(r.headers()).entrySet()) {
                sha.update((h.getKey() + ":" + h.getValue() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            sha.update(r.body());
            return '"' + Base64.getUrlEncoder().withoutPadding().encodeToString(sha.digest()).substring(0, 22) + '"';
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The Last-Modified header's value. */
    static String httpDate(Instant t) {
        return HTTP_DATE.format(t.atZone(ZoneOffset.UTC));
    }

    /**
     * Whether the client's copy is current: any of If-None-Match's tags (weak or strong, or *)
     * is the ETag; else, without If-None-Match, nothing changed since If-Modified-Since.
     * lastModified null: only the ETag counts.
     */
    public static boolean notModified(String etag, Instant lastModified, String ifNoneMatch, String ifModifiedSince) {
        if (ifNoneMatch != null) {
            for (String tag : ifNoneMatch.split(",")) {
                String t = tag.strip();
                if (t.equals("*") || t.equals(etag) || t.equals("W/" + etag)) return true;
            }
            return false;   // If-None-Match wins over If-Modified-Since (RFC 9110 §13.1.3)
        }
        if (ifModifiedSince != null && lastModified != null) {
            try {
                return !lastModified.isAfter(ZonedDateTime.parse(ifModifiedSince, HTTP_DATE).toInstant());
            } catch (DateTimeParseException ignored) {
                return false;
            }
        }
        return false;
    }
}
