package it.semaforo.http;

import io.javalin.http.Context;
import it.semaforo.cache.ResponseCache;
import it.semaforo.render.Lang;
import it.semaforo.render.Rendered;

import java.util.Locale;
import java.util.function.Function;

/**
 * How the public outputs answer a request: in which language, from the response cache
 * (rendering on a miss), or, for what is never cached (errors, files, /health), by sending the
 * rendered bytes as they are. The one place where a Rendered becomes a Javalin answer.
 */
public final class Answers {
    private final ResponseCache cache;
    private final Locale siteLanguage;

    public Answers(ResponseCache cache, Locale siteLanguage) {
        this.cache = cache;
        this.siteLanguage = siteLanguage;
    }

    /** The configured language: that of the feeds, the API and the embeds. */
    public Locale siteLanguage() {
        return siteLanguage;
    }

    public Lang language(Context ctx) {
        return language(ctx.path(), ctx.header("Accept-Language"));
    }

    /** See Lang.of: the fast path asks the same question with the same answer. */
    public Lang language(String rawPath, String acceptLanguage) {
        return Lang.of(rawPath, acceptLanguage, siteLanguage);
    }

    /**
     * Answers from the response cache, rendering in the visitor's language on a miss. An
     * unprefixed address depends on Accept-Language, and says so to caches with Vary. render
     * must not read ctx: the cache calls it again after writes (read what it needs first).
     */
    public void cached(Context ctx, Function<Lang, Rendered> render) {
        Lang lang = language(ctx);
        errorAnswered(ctx, cache.respond(ctx, lang.tag(), !lang.inPath(), () -> render.apply(lang)));
    }

    /**
     * Answers from the response cache in the configured language, whatever the browser says:
     * for feeds, the API and the embeds, whose language is the site's (no Vary). render must not
     * read ctx, as above.
     */
    public void cachedInSiteLanguage(Context ctx, Function<Locale, Rendered> render) {
        errorAnswered(ctx, cache.respond(ctx, siteLanguage.getLanguage(), false, () -> render.apply(siteLanguage)));
    }

    /**
     * Renders the answer at path in the language a browser without Accept-Language gets into
     * the cache, before anyone asks (the home page, beside the server's start).
     */
    public void warm(String path, Function<Lang, Rendered> render) {
        Lang lang = language(path, null);
        cache.warm(ResponseCache.key(path, null, lang.tag()), lang.tag(), !lang.inPath(), () -> render.apply(lang));
    }

    /** An error the output answered itself (a 404 that says what is missing) is not replaced by the generic page. */
    private static void errorAnswered(Context ctx, int status) {
        if (status >= 400) Errors.answered(ctx);
    }

    /**
     * Sends bytes that bypass the cache. Their headers go over the defaults set before (the
     * security headers); an empty value removes one.
     */
    public static void send(Context ctx, Rendered r) {
        r.headers().forEach((name, value) -> {
            if (value.isEmpty()) ctx.res().setHeader(name, null);
            else ctx.header(name, value);
        });
        ctx.status(r.status()).contentType(r.contentType()).result(r.body());
    }

    /** As above, in a language that was negotiated unless the address said it (then caches must vary). */
    public static void send(Context ctx, Lang lang, Rendered r) {
        if (!lang.inPath()) ctx.header("Vary", "Accept-Language");
        send(ctx, r);
    }
}
