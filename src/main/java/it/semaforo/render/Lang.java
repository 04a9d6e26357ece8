package it.semaforo.render;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The interface language of one response and how it was chosen. Residents get no cookie, so
 * the choice lives in the address: /en/… is English whatever the browser says (inPath), and
 * an address without a prefix follows Accept-Language, else the configured language. Links
 * inside a page keep the way it was reached: prefix() is "/en" on /en/… pages, "" otherwise.
 */
public record Lang(Locale locale, boolean inPath) {
    /** The languages with a complete message bundle, in the switcher's order. */
    public static final List<Locale> SUPPORTED = List.of(Locale.ITALIAN, Locale.ENGLISH, Locale.GERMAN, Locale.JAPANESE);

    public Lang {
        if (!SUPPORTED.contains(locale)) throw new IllegalArgumentException("unsupported interface language " + locale);
    }

    /** A language in the address, as the switcher links to it. */
    public static Lang pinned(Locale locale) {
        return new Lang(locale, true);
    }

    /** A language negotiated from the request or configured, with unprefixed links. */
    public static Lang negotiated(Locale locale) {
        return new Lang(locale, false);
    }

    public String tag() {
        return locale.getLanguage();
    }

    public String prefix() {
        return inPath ? "/" + tag() : "";
    }

    /**
     * The language of a request: the one in the address, else the browser's preferred supported
     * one, else the site's. From the raw path and Accept-Language alone, so that the cache's fast
     * path picks the same one without Javalin.
     */
    public static Lang of(String rawPath, String acceptLanguage, Locale siteLanguage) {
        return ofPath(rawPath).map(Lang::pinned).orElseGet(() -> negotiated(negotiate(acceptLanguage, siteLanguage)));
    }

    /** The supported language a path starts with (/en, /en/…), if any. */
    public static Optional<Locale> ofPath(String path) {
        for (Locale l : SUPPORTED) {
            String p = "/" + l.getLanguage();
            if (path.equals(p) || path.startsWith(p + "/")) return Optional.of(l);
        }
        return Optional.empty();
    }

    /** The path without its language prefix: /en/avvisi → /avvisi, /en → /. */
    public static String stripPrefix(String path) {
        return ofPath(path).map(l -> {
            String rest = path.substring(1 + l.getLanguage().length());
            return rest.isEmpty() ? "/" : rest;
        }).orElse(path);
    }

    /**
     * The supported language the visitor's browser prefers (RFC 4647 lookup over
     * Accept-Language, so "de-CH, fr;q=0.8" gives German), else the fallback. A malformed
     * header is ignored rather than answered with an error.
     */
    public static Locale negotiate(String acceptLanguage, Locale fallback) {
        if (acceptLanguage == null || acceptLanguage.isBlank()) return fallback;
        try {
            List<Locale.LanguageRange> ranges = Locale.LanguageRange.parse(acceptLanguage);
            Locale best = Locale.lookup(ranges, SUPPORTED);
            return best == null ? fallback : best;
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }

    /** The configured default, checked against the bundles at start-up. */
    public static Locale supportedOrFail(Locale configured) {
        return SUPPORTED.stream().filter(l -> l.getLanguage().equals(configured.getLanguage())).findFirst()
                .orElseThrow(() -> new IllegalStateException("language must be one of it, en, de, ja; got '" + configured + "'"));
    }
}
