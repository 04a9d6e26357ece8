package it.semaforo.embed;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.NotFoundResponse;
import it.semaforo.api.ApiError;
import it.semaforo.api.Json;
import it.semaforo.api.SemaforoApi;
import it.semaforo.api.ServiceSelection;
import it.semaforo.http.Answers;
import it.semaforo.notice.Notice;
import it.semaforo.service.Service;
import it.semaforo.service.ServiceState;
import it.semaforo.status.ReadModel;
import it.semaforo.status.StatusService;
import it.semaforo.text.JsonText;
import it.semaforo.render.Messages;
import it.semaforo.render.Lang;
import it.semaforo.render.PageContext;
import it.semaforo.render.PublicAddress;
import it.semaforo.render.PublicOutput;
import it.semaforo.render.Rendered;
import it.semaforo.render.SecurityHeaders;
import it.semaforo.render.Site;
import it.semaforo.render.Templates;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What other websites put in their pages: the banner of the avvisi in force (a script and a
 * page for an iframe) and SVG badges. None of it sets a cookie or loads anything from
 * another site; the banner page is the only page that may be framed.
 */
public final class EmbedRoutes implements PublicOutput {
    /** At most this many avvisi in a banner: it sits in another site's header. */
    static final int MAX_NOTICES = 3;

    private final StatusService status;
    private final Templates templates;
    private final Site site;
    private final Answers answers;
    private final String css;
    private final String script;
    private final Map<String, String> bannerHeaders;

    public EmbedRoutes(StatusService status, Templates templates, Site site, Answers answers) {
        this.status = status;
        this.templates = templates;
        this.site = site;
        this.answers = answers;
        this.css = resource("/embed/banner.css");
        this.script = resource("/embed/banner.js");
        this.bannerHeaders = SecurityHeaders.framable(sha256(css));
    }

    public void routes(RoutesConfig r) {
        r.get("/embed/banner.js", ctx -> answers.cachedInSiteLanguage(ctx, this::script));
        r.get("/embed/banner", ctx -> {
            String selection = ctx.queryParam(ServiceSelection.PARAM);   // read now: the cache renders again later
            answers.cachedInSiteLanguage(ctx, lang -> banner(lang, selection));
        });
        r.get("/embed/badge.svg", ctx -> answers.cachedInSiteLanguage(ctx, this::pageBadge));
        r.get("/embed/badge/{file}", ctx -> {
            String file = ctx.pathParam("file");
            answers.cachedInSiteLanguage(ctx, lang -> serviceBadge(lang, file));
        });
    }

    /** The script, the banner of the whole page, the page's badge and each service's. */
    @Override
    public Stream<PublicAddress> addresses(ReadModel m, List<Notice> notices) {
        Locale lang = site.defaultLanguage();   // as cachedInSiteLanguage answers
        List<PublicAddress> all = new ArrayList<>(List.of(
                new PublicAddress("/embed/banner.js", () -> script(lang)),
                new PublicAddress("/embed/banner", () -> banner(lang, null)),
                new PublicAddress("/embed/badge.svg", () -> pageBadge(lang))));
        for (Service s : m.catalog().services()) {
            String file = s.slug() + ".svg";
            all.add(new PublicAddress("/embed/badge/" + file, () -> serviceBadge(lang, file), java.util.Set.of(PublicAddress.service(s.slug()))));
        }
        return all.stream();
    }

    // ---- banner -----------------------------------------------------------------------

    Rendered script(Locale lang) {
        Messages msg = new Messages(lang);
        String name = site.comune().name();
        ObjectNode strings = Json.object();
        strings.put("lang", msg.lang());
        strings.put("api", SemaforoApi.BASE + "/notices.json");
        strings.put("max", MAX_NOTICES);
        strings.put("region", msg.t("embed.region", name));
        strings.put("heading", msg.t("embed.heading", name));
        strings.put("more", msg.t("embed.more", name));
        strings.put("css", css);
        // JSON is a JavaScript expression; written safe for a script element all the same, should anyone inline it
        String json = JsonText.forScript(strings);
        byte[] body = script.replace("/*STRINGS*/{}", json).getBytes(StandardCharsets.UTF_8);
        return new Rendered(200, "text/javascript; charset=utf-8", body, Json.PUBLIC_HEADERS, null);
    }

    Rendered banner(Locale lang, String servizi) {
        ReadModel m = status.now();
        PageContext ctx = PageContext.of(site, Lang.negotiated(lang), "/embed/banner", "");
        List<Service> chosen;
        try {
            chosen = ServiceSelection.parse(servizi, m.catalog(), ctx.msg());
        } catch (ApiError e) {
            return new Rendered(e.status(), Rendered.HTML,
                    templates.render("embed/error.jte", new EmbedPages.Error(ctx, css, e.getMessage())), bannerHeaders, null);
        }
        List<Notice> notices = SemaforoApi.inForceFor(m, chosen).stream().limit(MAX_NOTICES).toList();
        List<EmbedPages.ServiceLine> lines = chosen.stream().map(s -> new EmbedPages.ServiceLine(s, m.status(s))).toList();
        ServiceState worst = chosen.isEmpty() ? m.overall()
                : lines.stream().map(l -> l.status().state()).reduce(ServiceState.OPERATIONAL, ServiceState::worst);
        String headline = chosen.isEmpty() ? ctx.t(bannerKey(worst)) : ctx.t("embed.selection");
        byte[] body = templates.render("embed/banner.jte", new EmbedPages.Banner(ctx, css, worst, headline, lines, notices));
        return new Rendered(200, Rendered.HTML, body, bannerHeaders, m.validUntil());
    }

    /** The headline of the home page's banner for the worst state. */
    static String bannerKey(ServiceState worst) {
        return switch (worst) {
            case OPERATIONAL -> "banner.operational";
            case MAINTENANCE -> "banner.maintenance";
            case SUSPENDED -> "banner.suspended";
            default -> "banner.degraded";
        };
    }

    // ---- badges -----------------------------------------------------------------------

    /** Any site may show a badge; opened on its own, it may run nothing and load nothing. */
    private static final Map<String, String> BADGE_HEADERS = Map.copyOf(SecurityHeaders.merge(SecurityHeaders.IMAGE,
            Map.of("Access-Control-Allow-Origin", "*")));

    Rendered pageBadge(Locale lang) {
        ReadModel m = status.now();
        Messages msg = new Messages(lang);
        ServiceState overall = m.overall();
        return svg(Badge.svg(msg.t("badge.label"), msg.t("badge.overall." + overall.key()), overall), m);
    }

    Rendered serviceBadge(Locale lang, String file) {
        if (!file.endsWith(".svg")) throw new NotFoundResponse();
        ReadModel m = status.now();
        Service s = m.catalog().service(file.substring(0, file.length() - ".svg".length()))
                .orElseThrow(NotFoundResponse::new);
        ServiceState state = m.status(s).state();
        return svg(Badge.svg(s.name(), new Messages(lang).t("state." + state.key()), state), m);
    }

    private static Rendered svg(byte[] body, ReadModel m) {
        return new Rendered(200, "image/svg+xml; charset=utf-8", body, BADGE_HEADERS, m.validUntil());
    }

    // ---- helpers ----------------------------------------------------------------------

    private static String resource(String path) {
        try (InputStream in = EmbedRoutes.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException(path + " is missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
