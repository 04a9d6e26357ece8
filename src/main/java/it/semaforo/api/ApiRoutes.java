package it.semaforo.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import it.semaforo.http.Answers;
import it.semaforo.http.Errors;
import it.semaforo.status.ReadModel;
import it.semaforo.status.StatusService;
import it.semaforo.http.ErrorGuard;
import it.semaforo.render.Messages;
import it.semaforo.notice.Notice;
import it.semaforo.service.Service;
import it.semaforo.render.PublicAddress;
import it.semaforo.render.PublicOutput;
import it.semaforo.render.Rendered;
import it.semaforo.render.Site;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.Locale;
import java.util.function.BiFunction;

/**
 * The public API's routes: Statuspage v2 under /api/v2, Semaforo's own under
 * /api/semaforo/v1, the OpenAPI document at /api/openapi.json. Every answer goes through the
 * response cache with its CORS headers; every error is JSON ({"error", "field"}).
 */
public final class ApiRoutes implements PublicOutput {
    public static final String OPENAPI = "/api/openapi.json";

    /**
     * Every route, as written in the OpenAPI document (the tests hold the two equal): GET,
     * and POST on notices.json and the two write-only paths (admin.WriteApi).
     */
    public static final List<String> PATHS = List.of(
            "/api/v2/summary.json",
            "/api/v2/status.json",
            "/api/v2/components.json",
            "/api/v2/incidents.json",
            "/api/v2/incidents/unresolved.json",
            "/api/v2/scheduled-maintenances.json",
            "/api/v2/scheduled-maintenances/upcoming.json",
            "/api/v2/scheduled-maintenances/active.json",
            SemaforoApi.BASE + "/services.json",
            SemaforoApi.BASE + "/services/{slug}.json",
            SemaforoApi.BASE + "/providers.json",
            SemaforoApi.BASE + "/notices.json",
            SemaforoApi.BASE + "/notices/{id}.json",
            SemaforoApi.BASE + "/notices/{id}/updates.json",
            SemaforoApi.BASE + "/notices/{id}/close.json",
            ChangeLog.PATH,
            OPENAPI);

    private final StatusService status;
    private final StatuspageApi statuspage;
    private final SemaforoApi own;
    private final Answers answers;
    private final Rendered openApi;
    private final Locale language;
    private final ChangeLog changeLog;

    public ApiRoutes(StatusService status, StatuspageApi statuspage, SemaforoApi own, ChangeLog changeLog, Site site,
                     Answers answers) {
        this.status = status;
        this.changeLog = changeLog;
        this.statuspage = statuspage;
        this.own = own;
        this.answers = answers;
        this.openApi = Json.rendered(200, openApiDocument(site));
        this.language = site.defaultLanguage();
    }

    /** The answers at fixed addresses, each a function of the read model: for the routes and the static export. */
    private Map<String, Endpoint> fixed() {
        Map<String, Endpoint> e = new LinkedHashMap<>();
        e.put("/api/v2/summary.json", statuspage::summary);
        e.put("/api/v2/status.json", statuspage::status);
        e.put("/api/v2/components.json", statuspage::components);
        e.put("/api/v2/incidents.json", statuspage::incidents);
        e.put("/api/v2/incidents/unresolved.json", statuspage::unresolvedIncidents);
        e.put("/api/v2/scheduled-maintenances.json", statuspage::scheduledMaintenances);
        e.put("/api/v2/scheduled-maintenances/upcoming.json", statuspage::upcomingMaintenances);
        e.put("/api/v2/scheduled-maintenances/active.json", statuspage::activeMaintenances);
        e.put(SemaforoApi.BASE + "/services.json", own::services);
        e.put(SemaforoApi.BASE + "/providers.json", own::providers);
        return e;
    }

    public void routes(RoutesConfig r) {
        fixed().forEach((path, endpoint) -> json(r, path, endpoint));
        String base = SemaforoApi.BASE;
        // each parameter is read now: the cache renders the answer again later, without the request
        r.get(base + "/services/{slug}.json", ctx -> {
            String slug = ctx.pathParam("slug");
            answer(ctx, (m, lang) -> own.service(m, lang, slug));
        });
        r.get(base + "/notices.json", ctx -> {
            String selection = ctx.queryParam(ServiceSelection.PARAM);
            answer(ctx, (m, lang) -> own.notices(m, lang, selection));
        });
        r.get(base + "/notices/{id}.json", ctx -> {
            String id = ctx.pathParam("id");
            answer(ctx, (m, lang) -> own.notice(m, lang, id));
        });
        r.get(ChangeLog.PATH, ctx -> {
            long after = whole(ctx, "after", 0, Long.MAX_VALUE, 0);
            int limit = (int) whole(ctx, "limit", 1, ChangeLog.MAX_LIMIT, ChangeLog.DEFAULT_LIMIT);
            // cached like every answer: a follower asking again gets 304 until a public change
            answers.cachedInSiteLanguage(ctx, lang -> Json.rendered(200, changeLog.page(after, limit)));
        });
        r.get(OPENAPI, ctx -> answers.cachedInSiteLanguage(ctx, lang -> openApi));

        // A browser asks before it sends If-None-Match (or, later, Authorization) cross-origin.
        r.options("/api/*", ApiRoutes::preflight);
        r.exception(ApiError.class, ErrorGuard.safely((e, ctx) -> {
            Answers.send(ctx, e.rendered());
            Errors.answered(ctx);
        }));
    }

    /** Unknown addresses under /api/ answer JSON too (see http.Errors). */
    public void notFound(Context ctx) {
        Answers.send(ctx, ApiError.rendered(404, new Messages(language).t("api.error.not.found", shorten(ctx.path())), null));
    }

    /** The database fails and there is no earlier copy of this answer: the API's clients read JSON errors. */
    public void unavailable(Context ctx) {
        Answers.send(ctx, ApiError.rendered(503, new Messages(language).t("error.503.text"), null));
    }

    private interface Endpoint extends BiFunction<ReadModel, Locale, ObjectNode> {
    }

    private void json(RoutesConfig r, String path, Endpoint endpoint) {
        r.get(path, ctx -> answer(ctx, endpoint));
    }

    private void answer(Context ctx, BiFunction<ReadModel, Locale, ObjectNode> endpoint) {
        answers.cachedInSiteLanguage(ctx, lang -> render(lang, endpoint));
    }

    private Rendered render(Locale lang, BiFunction<ReadModel, Locale, ObjectNode> endpoint) {
        ReadModel m = status.now();
        return Json.rendered(200, endpoint.apply(m, lang)).validUntil(m.validUntil());
    }

    /**
     * Every GET address without a query: the fixed ones, the OpenAPI document, each service and
     * each public avviso (a withdrawn one answers its JSON 410, as the route's error handler does).
     */
    @Override
    public Stream<PublicAddress> addresses(ReadModel model, List<Notice> notices) {
        Locale siteLanguage = language;   // as cachedInSiteLanguage answers
        List<PublicAddress> all = new ArrayList<>();
        fixed().forEach((path, endpoint) -> all.add(new PublicAddress(path, () -> render(siteLanguage, endpoint))));
        all.add(new PublicAddress(SemaforoApi.BASE + "/notices.json", () -> render(siteLanguage, (m, lang) -> own.notices(m, lang, null))));
        all.add(new PublicAddress(OPENAPI, () -> openApi, java.util.Set.of(PublicAddress.FIXED)));
        for (Service s : model.catalog().services()) {
            all.add(new PublicAddress(SemaforoApi.BASE + "/services/" + s.slug() + ".json",
                    () -> render(siteLanguage, (m, lang) -> own.service(m, lang, s.slug())),
                    java.util.Set.of(PublicAddress.service(s.slug()))));
        }
        for (Notice n : notices) {
            all.add(new PublicAddress(SemaforoApi.BASE + "/notices/" + n.id() + ".json", () -> {
                try {
                    return render(siteLanguage, (m, lang) -> own.notice(m, lang, n));
                } catch (ApiError e) {
                    return e.rendered();
                }
            }, PublicAddress.noticeTopics(model, n)));
        }
        return all.stream();
    }

    /** A whole-number query parameter in [min, max], or fallback when absent; else a 400 naming it. */
    private long whole(Context ctx, String name, long min, long max, long fallback) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isEmpty()) return fallback;
        try {
            // ASCII digits only: Long.parseLong would take full-width ones
            if (raw.chars().allMatch(ch -> ch >= '0' && ch <= '9') && raw.length() <= 19) {
                long v = Long.parseLong(raw);
                if (v >= min && v <= max) return v;
            }
        } catch (NumberFormatException ignored) {
            // refused below
        }
        throw new ApiError(400, new Messages(language).t("api.error.whole.number", name, String.valueOf(min),
                max == Long.MAX_VALUE ? "∞" : String.valueOf(max)), name);
    }

    private static String shorten(String path) {
        return path.length() > 200 ? path.substring(0, 200) + "…" : path;
    }

    private static void preflight(Context ctx) {
        Json.PUBLIC_HEADERS.forEach(ctx::header);
        ctx.header("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS");
        ctx.header("Access-Control-Allow-Headers", "If-None-Match, If-Modified-Since, Authorization, Content-Type");
        ctx.header("Access-Control-Max-Age", "86400");
        ctx.status(204);
    }

    /** The document as written in the jar, with this site's public address as its server. */
    private static JsonNode openApiDocument(Site site) {
        try (InputStream in = ApiRoutes.class.getResourceAsStream("/api/openapi.json")) {
            if (in == null) throw new IllegalStateException("api/openapi.json is missing from the jar");
            ObjectNode doc = (ObjectNode) Json.MAPPER.readTree(in);
            ObjectNode server = Json.object();
            server.put("url", site.baseUrl());
            server.put("description", site.comune().name());
            doc.putArray("servers").add(server);
            return doc;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
