package it.semaforo.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import it.semaforo.cache.Validators;
import it.semaforo.render.Assets;

/** The static files of Assets over HTTP: fingerprinted for a year, the unversioned names briefly. */
final class AssetRoutes {
    static final String IMMUTABLE = "public, max-age=31536000, immutable";
    /** The unversioned /static/ addresses stay alive for pages cached elsewhere, briefly cacheable. */
    static final String SHORT = "public, max-age=300";

    private AssetRoutes() {
    }

    static void routes(RoutesConfig r, Assets assets) {
        // GET /assets/{hash}/{name}: only the exact current address answers
        r.get(Assets.PREFIX + "<path>", ctx -> send(ctx, assets.atUrl(ctx.path()).orElseThrow(NotFoundResponse::new), IMMUTABLE));
        r.get(Assets.STATIC + "<path>", ctx -> send(ctx, assets.unversioned(ctx.path()).orElseThrow(NotFoundResponse::new), SHORT));
    }

    private static void send(Context ctx, Assets.Asset a, String cacheControl) {
        ctx.header("Cache-Control", cacheControl);
        ctx.header("ETag", a.etag());
        ctx.header("X-Content-Type-Options", "nosniff");
        if (a.gzip() != null) ctx.header("Vary", "Accept-Encoding");
        if (Validators.notModified(a.etag(), null, ctx.header("If-None-Match"), null)) {   // the cache's rule
            ctx.status(304);
            return;
        }
        ctx.contentType(a.contentType());
        String accept = ctx.header("Accept-Encoding");
        if (a.gzip() != null && accept != null && accept.contains("gzip")) {
            ctx.header("Content-Encoding", "gzip");   // Javalin leaves already-encoded bodies alone
            ctx.result(a.gzip());
        } else {
            ctx.result(a.body());
        }
    }
}
