package it.semaforo.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import it.semaforo.app.Config;
import it.semaforo.status.ReadModel;
import it.semaforo.status.StatusService;
import it.semaforo.web.ErrorGuard;
import it.semaforo.web.Messages;
import it.semaforo.notice.Notice;
import it.semaforo.service.Service;
import it.semaforo.web.PublicAddress;
import it.semaforo.web.PublicOutput;
import it.semaforo.web.PublicSite;
import it.semaforo.web.Rendered;

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
            OPENAPI);

    /** Set on a request whose JSON error has been written, so that the 404 fallback leaves it alone. */
    private static final String ANSWERED = "semaforo.api.error";

    private final StatusService status;
    private final StatuspageApi statuspage;
    private final SemaforoApi own;
    private final PublicSite site;
    private final Rendered openApi;
    private final Locale language;

    public ApiRoutes(StatusService status, StatuspageApi statuspage, SemaforoApi own, PublicSite site, Config config) {
        this.status = status;
        this.statuspage = statuspage;
        this.own = own;
        this.site = site;
        this.openApi = Json.rendered(200, openApiDocument(config));
        this.language = config.language();
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
        r.get(OPENAPI, ctx -> site.cachedInSiteLanguage(ctx, lang -> openApi));

        // A browser asks before it sends If-None-Match (or, later, Authorization) cross-origin.
        r.options("/api/*", ApiRoutes::preflight);
        r.exception(ApiError.class, ErrorGuard.safely((e, ctx) -> {
            send(ctx, e.rendered());
            ctx.attribute(ANSWERED, true);
        }));
        // Unknown addresses under /api/ answer JSON too (the site's HTML 404 page leaves them to us).
        r.error(404, ctx -> {
            if (!ctx.path().startsWith("/api/") || ctx.attribute(ANSWERED) != null) return;
            send(ctx, ApiError.rendered(404, new Messages(language).t("api.error.not.found", shorten(ctx.path())), null));
        });
    }

    private interface Endpoint extends BiFunction<ReadModel, Locale, ObjectNode> {
    }

    private void json(RoutesConfig r, String path, Endpoint endpoint) {
        r.get(path, ctx -> answer(ctx, endpoint));
    }

    private void answer(Context ctx, BiFunction<ReadModel, Locale, ObjectNode> endpoint) {
        site.cachedInSiteLanguage(ctx, lang -> render(lang, endpoint));
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
        Locale siteLanguage = site.site().defaultLanguage();   // as cachedInSiteLanguage answers
        List<PublicAddress> all = new ArrayList<>();
        fixed().forEach((path, endpoint) -> all.add(new PublicAddress(path, () -> render(siteLanguage, endpoint))));
        all.add(new PublicAddress(SemaforoApi.BASE + "/notices.json", () -> render(siteLanguage, (m, lang) -> own.notices(m, lang, null))));
        all.add(new PublicAddress(OPENAPI, () -> openApi));
        for (Service s : model.catalog().services()) {
            all.add(new PublicAddress(SemaforoApi.BASE + "/services/" + s.slug() + ".json",
                    () -> render(siteLanguage, (m, lang) -> own.service(m, lang, s.slug()))));
        }
        for (Notice n : notices) {
            all.add(new PublicAddress(SemaforoApi.BASE + "/notices/" + n.id() + ".json", () -> {
                try {
                    return render(siteLanguage, (m, lang) -> own.notice(m, lang, n));
                } catch (ApiError e) {
                    return e.rendered();
                }
            }));
        }
        return all.stream();
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

    private static void send(Context ctx, Rendered r) {
        r.headers().forEach(ctx::header);
        ctx.status(r.status()).contentType(r.contentType()).result(r.body());
    }

    /** The document as written in the jar, with this site's public address as its server. */
    private static JsonNode openApiDocument(Config config) {
        try (InputStream in = ApiRoutes.class.getResourceAsStream("/api/openapi.json")) {
            if (in == null) throw new IllegalStateException("api/openapi.json is missing from the jar");
            ObjectNode doc = (ObjectNode) Json.MAPPER.readTree(in);
            ObjectNode server = Json.object();
            server.put("url", config.baseUrl());
            server.put("description", config.comune().name());
            doc.putArray("servers").add(server);
            return doc;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
