package it.semaforo.render;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The headers every answer carries: a Content-Security-Policy without 'unsafe-inline' (pages
 * load only their own styles, scripts, images and fonts), no sniffing, no referrer to other
 * sites, no powerful features, no framing (the embeddable banner overrides that), and HSTS
 * when the public address is https. An output overrides one by naming it in Rendered.headers;
 * an empty value there removes it.
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

    /** The defaults with an output's own headers on top; an empty value drops the header. */
    public static Map<String, String> merge(Map<String, String> defaults, Map<String, String> own) {
        Map<String, String> all = new LinkedHashMap<>(defaults);
        all.putAll(own);
        all.values().removeIf(String::isEmpty);
        return all;
    }
}
