package it.semaforo.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import it.semaforo.db.DatabaseException;

import java.util.List;
import java.util.function.Consumer;

/**
 * The one not-found path, and the one answer to a failed database, for every address: each
 * area of the site says it its own way (the API in JSON under /api/, the clerks' area in
 * Italian under /admin, the public pages in the visitor's language everywhere else), chosen
 * here by the address. An output that already answered with an error of its own (a feed of an
 * unknown service, an API error, a clerk's page of a missing avviso) marks the request with
 * {@link #answered}, and is left alone.
 */
public final class Errors {
    private static final String ANSWERED = "semaforo.errorAnswered";

    /** Who answers the errors of the addresses that start with prefix ("" for every other one). */
    public record Area(String prefix, Consumer<Context> notFound, Consumer<Context> unavailable) {
    }

    private final List<Area> areas;

    /** areas: looked at in order, the first whose prefix the path starts with answers; the last must be "". */
    public Errors(List<Area> areas) {
        if (areas.isEmpty() || !areas.get(areas.size() - 1).prefix().isEmpty()) {
            throw new IllegalArgumentException("the last area answers every other address: its prefix is \"\"");
        }
        this.areas = List.copyOf(areas);
    }

    /** This request's error has been answered by the output itself. */
    public static void answered(Context ctx) {
        ctx.attribute(ANSWERED, Boolean.TRUE);
    }

    public void routes(RoutesConfig r) {
        r.error(404, ctx -> {
            if (ctx.attribute(ANSWERED) == null) area(ctx.path()).notFound().accept(ctx);
        });
        // the database fails and there is no earlier copy of this answer: say so, and when to come back
        r.exception(DatabaseException.class, ErrorGuard.safely((e, ctx) -> {
            ctx.header("Retry-After", "30");
            area(ctx.path()).unavailable().accept(ctx);
        }));
    }

    private Area area(String path) {
        for (Area a : areas) {
            if (path.startsWith(a.prefix())) return a;
        }
        throw new IllegalStateException("no area for " + path);   // unreachable: the last prefix is ""
    }
}
