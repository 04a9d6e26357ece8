package it.semaforo.rating;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import it.semaforo.http.Answers;
import it.semaforo.http.ClientAddress;
import it.semaforo.render.Lang;
import it.semaforo.render.PageContext;
import it.semaforo.render.Rendered;
import it.semaforo.render.Site;
import it.semaforo.render.Templates;

import java.net.URI;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The answer to "Quanto sono chiare le informazioni su questa pagina?", the form every public
 * page carries (layout.jte): a plain POST, no JavaScript. A resident has no session and the
 * pages are served from the cache, so there is no per-visitor token to check: a cross-site post
 * is refused by what the browser says of its origin (Origin, Sec-Fetch-Site), the worst it could
 * do being one more rating. One answer per page and visitor a day (OncePerVisitor); nothing about
 * the visitor is stored.
 */
public final class RatingRoutes {
    public static final String PATH = "/valutazione";
    public static final int DETAILS_MAX = 200;
    /** A public page's address without language prefix or query, as the form sends it: "/", "/servizi/anagrafe". */
    private static final Pattern PAGE = Pattern.compile("/|(/[a-z0-9-]{1,200}){1,3}");

    private final PageRatings ratings;
    private final Templates templates;
    private final Site site;
    private final Answers answers;
    private final boolean trustProxy;
    private final Clock clock;
    private final OncePerVisitor once = new OncePerVisitor(200_000);

    public RatingRoutes(PageRatings ratings, Templates templates, Site site, Answers answers, boolean trustProxy, Clock clock) {
        this.ratings = ratings;
        this.templates = templates;
        this.site = site;
        this.answers = answers;
        this.trustProxy = trustProxy;
        this.clock = clock;
    }

    public PageRatings ratings() {
        return ratings;
    }

    public void routes(RoutesConfig r) {
        r.post(PATH, this::answer);
        for (Locale l : Lang.SUPPORTED) r.post("/" + l.getLanguage() + PATH, this::answer);
    }

    /** What the answer page shows: a title, a sentence, and the way back to the page rated. */
    public record Outcome(PageContext ctx, String title, String text, String back) {
    }

    private void answer(Context ctx) {
        Lang lang = answers.language(ctx);
        PageContext pc = PageContext.of(site, lang, PATH, "");
        String page = ctx.formParam("pagina");
        boolean known = page != null && PAGE.matcher(page).matches();
        String back = known ? pc.link(page) : pc.link("/");
        if (!sameSite(ctx)) {
            send(ctx, lang, 403, new Outcome(pc, pc.t("rating.refused.title"), pc.t("rating.refused.cross.site"), back));
            return;
        }
        int stars = stars(ctx.formParam("voto"));
        String details = oneLine(ctx.formParam("dettagli"));
        if (!known || stars == 0 || details.codePointCount(0, details.length()) > DETAILS_MAX) {
            String text = !known ? pc.t("rating.refused.page") : stars == 0 ? pc.t("rating.refused.stars")
                    : pc.t("rating.refused.details", DETAILS_MAX);
            send(ctx, lang, 400, new Outcome(pc, pc.t("rating.refused.title"), text, back));
            return;
        }
        if (!once.first(ClientAddress.of(ctx, trustProxy), page)) {
            send(ctx, lang, 429, new Outcome(pc, pc.t("rating.thanks.title"), pc.t("rating.already"), back));
            return;
        }
        Reason reason = Reason.of(ctx.formParam("motivo"), stars).orElse(null);
        ratings.record(new PageRatings.Answer(page, stars, reason, details, LocalDate.now(clock.withZone(site.zone()))));
        send(ctx, lang, 200, new Outcome(pc, pc.t("rating.thanks.title"), pc.t("rating.thanks.text"), back));
    }

    /**
     * A browser says where a form was posted from: Sec-Fetch-Site (same-origin), else Origin,
     * which must be this site's public address. A client that sends neither is not a browser
     * acting for someone else, which is what this guards against.
     */
    private boolean sameSite(Context ctx) {
        String fetchSite = ctx.header("Sec-Fetch-Site");
        if (fetchSite != null) return fetchSite.equals("same-origin") || fetchSite.equals("none");
        String origin = ctx.header("Origin");
        if (origin == null) return true;
        URI base = URI.create(site.baseUrl());
        String own = base.getScheme() + "://" + base.getHost() + (base.getPort() < 0 ? "" : ":" + base.getPort());
        return origin.equalsIgnoreCase(own);
    }

    private static int stars(String value) {
        if (value == null || !value.matches("[1-5]")) return 0;
        return Integer.parseInt(value);
    }

    /** One line of plain text: controls and line breaks become spaces, runs of blanks one. */
    private static String oneLine(String value) {
        if (value == null) return "";
        return value.replaceAll("[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]", " ").replaceAll("\\s+", " ").strip();
    }

    private void send(Context ctx, Lang lang, int status, Outcome outcome) {
        Answers.send(ctx, lang, Rendered.html(status, templates.render("rating/answer.jte", outcome))
                .withHeader("Cache-Control", "no-store"));
    }
}
