package it.semaforo.render;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every security header of the application, in one place. The site-wide set every answer
 * carries (the fast path's cached entries and Javalin's answers alike, see app.Semaforo): a
 * Content-Security-Policy without 'unsafe-inline' (pages load only their own styles, scripts,
 * images and fonts), no sniffing, no referrer to other sites, no powerful features, no framing,
 * and HSTS when the public address is https. An output overrides one by naming it in
 * Rendered.headers (an empty value there removes it): the banner meant to be framed and the
 * badges do, with the sets below; the clerks' area puts its stricter set over it.
 */
public final class SecurityHeaders {
    public static final String CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            + "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
            + "frame-ancestors 'none'";

    private SecurityHeaders() {
    }

    public static Map<String, String> forBaseUrl(String baseUrl) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Security-Policy", CSP);
        h.put("X-Content-Type-Options", "nosniff");
        h.put("Referrer-Policy", "strict-origin-when-cross-origin");
        h.put("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()");
        h.put("X-Frame-Options", "DENY");
        h.put("Cross-Origin-Opener-Policy", "same-origin");
        if (baseUrl.startsWith("https://")) h.put("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
        return Map.copyOf(h);
    }

    /**
     * The clerks' pages: never stored by a browser or proxy, no script at all, no referrer
     * outside the site, forms only to the site itself.
     */
    public static final Map<String, String> CLERKS = orderedCopy(
            "Cache-Control", "no-store",
            "X-Content-Type-Options", "nosniff",
            "X-Frame-Options", "DENY",
            "Referrer-Policy", "same-origin",
            "Content-Security-Policy", "default-src 'self'; img-src 'self' data:; font-src 'self' data:; style-src 'self'; "
                    + "script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");

    /**
     * The clerks' pages that offer passkeys: the same, but running scripts from this host (the
     * one passkey script, no inline code) and sending requests to it.
     */
    public static final String CLERKS_WITH_OWN_SCRIPT = "default-src 'self'; img-src 'self' data:; font-src 'self' data:; "
            + "style-src 'self'; script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";

    /** An SVG image, which opened on its own is a document: it may run nothing and load nothing. */
    public static final Map<String, String> IMAGE = Map.of(
            "X-Content-Type-Options", "nosniff",
            "Content-Security-Policy", "default-src 'none'");

    /**
     * A page other sites put in an iframe (the banner): framable from anywhere, and nothing else,
     * its one inline style allowed by its digest ("sha256-…"), no script, no request to any origin.
     */
    public static Map<String, String> framable(String styleDigest) {
        return Map.of(
                "Content-Security-Policy", "default-src 'none'; style-src '" + styleDigest + "'; base-uri 'none'; "
                        + "form-action 'none'; frame-ancestors *",
                "X-Frame-Options", "",   // drops the site-wide DENY: this page exists to be framed
                "X-Content-Type-Options", "nosniff",
                "Referrer-Policy", "strict-origin-when-cross-origin");
    }

    /** The defaults with an output's own headers on top; an empty value drops the header. */
    private static Map<String, String> orderedCopy(String... namesAndValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) m.put(namesAndValues[i], namesAndValues[i + 1]);
        return java.util.Collections.unmodifiableMap(m);
    }

    public static Map<String, String> merge(Map<String, String> defaults, Map<String, String> own) {
        Map<String, String> all = new LinkedHashMap<>(defaults);
        all.putAll(own);
        all.values().removeIf(String::isEmpty);
        return all;
    }
}
