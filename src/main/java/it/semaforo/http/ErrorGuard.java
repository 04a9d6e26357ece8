package it.semaforo.http;

import it.semaforo.log.QuietLog;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.ExceptionHandler;
import io.javalin.http.HttpResponseException;
import io.javalin.router.exception.HttpResponseExceptionMapper;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.slf4j.LoggerFactory;

/**
 * Exception handlers that never throw. Javalin runs a failing exception handler's exception
 * through the handlers again, as a new task, for as long as they keep failing: one that fails
 * every time (on a response that can no longer be written, say) loops for ever. Here a
 * handler that fails falls back to a plain 500, once; a response already committed is aborted
 * (the client sees the connection close, never a second answer glued to the first).
 */
public final class ErrorGuard {
    private static final QuietLog LOG = new QuietLog(LoggerFactory.getLogger(ErrorGuard.class));
    private static final String PLAIN_500 = "500 Internal Server Error\n";

    private ErrorGuard() {
    }

    /** handler, which on any failure of its own answers a plain 500 instead of throwing. */
    public static <T extends Exception> ExceptionHandler<T> safely(ExceptionHandler<T> handler) {
        return (e, ctx) -> {
            try {
                handler.handle(e, ctx);
            } catch (Throwable failure) {
                LOG.failure("handler." + e.getClass().getName(), "the exception handler for " + e.getClass().getSimpleName()
                        + " failed on " + path(ctx), failure);
                plain500(ctx, failure);
            }
        };
    }

    /**
     * The handlers of last resort: Javalin's own answers for its HTTP exceptions (404, 405, a
     * refused body…), made safe, and a logged plain 500 for anything else no handler claims.
     */
    public static void register(RoutesConfig r) {
        r.exception(HttpResponseException.class, safely(HttpResponseExceptionMapper.INSTANCE::handle));
        r.exception(Exception.class, safely((e, ctx) -> {
            LOG.failure("unhandled." + e.getClass().getName(), "unexpected failure on " + ctx.method() + " " + path(ctx), e);
            plain500(ctx, e);
        }));
    }

    /** A plain 500, or, when the response was already committed, the connection closed. */
    public static void plain500(Context ctx, Throwable cause) {
        try {
            if (ctx.res().isCommitted()) {
                abort(ctx, cause);
                return;
            }
            ctx.res().resetBuffer();
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.header("Cache-Control", "no-store");
            ctx.status(500).contentType("text/plain; charset=utf-8").result(PLAIN_500);
        } catch (Throwable failure) {
            abort(ctx, failure);
        }
    }

    private static void abort(Context ctx, Throwable cause) {
        try {
            ServletContextRequest request = ServletContextRequest.getServletContextRequest(ctx.req());
            if (request != null) request.getServletChannel().abort(cause);
        } catch (Throwable ignored) {
            // nothing more can be done for this response: Jetty closes it when the request ends
        }
    }

    private static String path(Context ctx) {
        try {
            String path = ctx.path();
            return path.length() > 200 ? path.substring(0, 200) + "…" : path;
        } catch (RuntimeException e) {
            return "?";
        }
    }
}
