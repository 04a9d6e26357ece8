package it.semaforo.web;

import it.semaforo.http.ErrorGuard;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import it.semaforo.http.Answers;
import it.semaforo.render.ErrorPage;
import it.semaforo.render.Formats;
import it.semaforo.render.Lang;
import it.semaforo.render.Messages;
import it.semaforo.render.PageContext;
import it.semaforo.render.Rendered;
import it.semaforo.render.Site;
import it.semaforo.render.Templates;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;

/**
 * The public site's error pages, in the visitor's language: the 400 of a query a visitor can
 * correct, the 404, the 410 traces of what the comune took down, the 503 of a failed
 * database; and the notice a page served from its last good copy carries.
 */
public final class ErrorPages implements ErrorPage {
    private final Templates templates;
    private final Site site;
    private final Answers answers;

    public ErrorPages(Templates templates, Site site, Answers answers) {
        this.templates = templates;
        this.site = site;
        this.answers = answers;
    }

    public void routes(RoutesConfig r) {
        r.exception(BadRequest.class, ErrorGuard.safely((e, ctx) -> {
            Lang lang = answers.language(ctx);
            Answers.send(ctx, lang, error(lang, 400, "error.400.title", e.text(new Messages(lang.locale()))));
        }));
    }

    /** The 404 of the public addresses (http.Errors sends every not-found here but the API's and the clerks'). */
    public void notFound(Context ctx) {
        Lang lang = answers.language(ctx);
        Answers.send(ctx, lang, error(lang, 404, "error.404.title", new Messages(lang.locale()).t("error.404.text")));
    }

    /** The database fails and there is no earlier copy of this page: say so, in the visitor's language. */
    public void unavailable(Context ctx) {
        Lang lang = answers.language(ctx);
        Answers.send(ctx, lang, error(lang, 503, "error.503.title", new Messages(lang.locale()).t("error.503.text")));
    }

    @Override
    public Rendered error(Lang lang, int status, String titleKey, String text) {
        return error(lang, "/", status, titleKey, text);
    }

    /** The 410 trace of what the comune took down at an instant: its text says by whom ({0}) and when ({1}). */
    Rendered gone(Lang lang, String path, String titleKey, String textKey, Instant at) {
        PageContext ctx = PageContext.of(site, lang, path, "");
        return error(lang, path, 410, titleKey, ctx.t(textKey, site.comune().name(), ctx.dateTime(at)));
    }

    /** path: where the language switcher leads, the same page in another language. */
    private Rendered error(Lang lang, String path, int status, String titleKey, String text) {
        PageContext ctx = PageContext.of(site, lang, path, "");
        return Rendered.html(status, templates.render("error.jte", new Pages.Error(ctx, ctx.t(titleKey), text)));
    }

    /** The HTML the cache puts at Rendered.STALE_MARK of a page served from its copy of an earlier time. */
    public String staleNotice(String language, Instant at) {
        Locale locale = Locale.forLanguageTag(language);
        String text = new Messages(locale).t("stale.notice", new Formats(locale, site.zone()).dateTime(at));
        return new String(templates.render("tag/staleNotice.jte", text), StandardCharsets.UTF_8).strip();
    }

    /**
     * The dated banner of the mirror's static copy, put at Rendered.STALE_MARK: between the two
     * comments of Rendered.STATIC_COPY_START and STATIC_COPY_END, the only bytes in which a copy's
     * page differs from the server's.
     */
    public String staticCopyNotice(String language, Instant at) {
        Locale locale = Locale.forLanguageTag(language);
        String text = new Messages(locale).t("static.copy.notice", new Formats(locale, site.zone()).dateTime(at));
        return Rendered.STATIC_COPY_START + new String(templates.render("tag/staticCopyNotice.jte", text),
                StandardCharsets.UTF_8).strip() + Rendered.STATIC_COPY_END;
    }
}
