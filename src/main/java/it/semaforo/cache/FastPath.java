package it.semaforo.cache;

import it.semaforo.log.QuietLog;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;

/**
 * A Jetty handler in front of Javalin that answers GET and HEAD for cached entries straight
 * from their bytes: no routing, no template, no SQLite. Anything else (a miss, another method,
 * a stale entry) falls through to Javalin unchanged, which renders and fills the cache.
 *
 * <p>A hit never blocks (a lookup and a write of bytes already in memory), so the handler
 * tells Jetty it is non-blocking: Jetty then answers hits on the thread that read the
 * request, with no hand-off to another thread per request (measured: the difference between
 * about 0.5 and 0.7 of nginx's throughput on two cores). Everything else may block (SQLite,
 * templates, servlet reads of a form), so it is handed to the thread pool first.
 */
public final class FastPath extends Handler.Wrapper {
    private static final QuietLog LOG = new QuietLog(LoggerFactory.getLogger(FastPath.class));
    private static final String MULTIPART = MultiPartFormData.class.getName();
    private static final PreEncodedHttpField GZIP = new PreEncodedHttpField(HttpHeader.CONTENT_ENCODING, "gzip");

    private final ResponseCache cache;
    private final BiFunction<String, String, String> languageOf;

    /** languageOf: (raw path, Accept-Language) to the language tag Javalin's handlers would pick. */
    public FastPath(ResponseCache cache, BiFunction<String, String, String> languageOf) {
        this.cache = cache;
        this.languageOf = languageOf;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String method = request.getMethod();
        boolean head = "HEAD".equals(method);
        if (!head && !"GET".equals(method)) return dispatch(request, response, callback);
        HttpURI uri = request.getHttpURI();
        HttpFields headers = request.getHeaders();
        String language = languageOf.apply(uri.getPath(), headers.get(HttpHeader.ACCEPT_LANGUAGE));
        ResponseCache.Entry e = cache.fresh(ResponseCache.key(uri.getPath(), uri.getQuery(), language));
        if (e == null) return dispatch(request, response, callback);

        HttpFields.Mutable out = response.getHeaders();
        for (var f : e.fields) out.add(f);
        boolean gzip = ResponseCache.acceptsGzip(headers.get(HttpHeader.ACCEPT_ENCODING)) && e.gzipSmaller();
        // a 304 carries the length a 200 would have had (RFC 9110 §8.6), never a false 0
        out.add(gzip ? e.gzipLength : e.bodyLength);
        if (e.notModified(headers.get(HttpHeader.IF_NONE_MATCH), headers.get(HttpHeader.IF_MODIFIED_SINCE))) {
            response.setStatus(304);
            response.write(true, null, callback);
            return true;
        }
        response.setStatus(e.rendered.status());
        if (gzip) out.add(GZIP);
        response.write(true, head ? null : (gzip ? e.gzipBuffer : e.bodyBuffer).duplicate(), callback);
        return true;
    }

    @Override
    public Invocable.InvocationType getInvocationType() {
        return Invocable.InvocationType.NON_BLOCKING;
    }

    /** Javalin's handling, on a thread of the pool: the thread that read the request must not block. */
    private boolean dispatch(Request request, Response response, Callback callback) {
        getServer().getThreadPool().execute(new Handoff(request, response, callback));
        return true;
    }

    /**
     * Javalin's handling of one request on a pool thread, whose completion reaches Jetty only
     * once that handling has returned.
     *
     * <p>Why: this handler returns true to the selector thread at once, so Jetty no longer knows
     * that a thread is still inside the request. Completing Jetty's callback completes the
     * HTTP/1.1 exchange, and the connection then starts the next pipelined request on another
     * thread. That request reuses the connection's servlet objects (Jetty keeps one
     * ServletChannel per connection, recycled when an exchange completes and associated with
     * the next one). Jetty's own servlet layer completes the callback from inside its handle
     * loop and may still run afterwards: when completing throws (Jetty 12.1 throws from
     * completeStream after a failed multipart parse, once the stream is already complete), it
     * handles that exception, re-dispatches and runs exception handlers on a channel that by
     * then belongs to the next request, which looped for ever. Holding the completion until
     * handle() has returned restores what Jetty guarantees when it calls handlers itself: a
     * pipelined request never starts while the previous one's handler is still running.
     */
    private final class Handoff implements Runnable, Callback {
        private static final int RETURNED = 1;
        private static final int COMPLETED = 2;

        private final Request request;
        private final Response response;
        private final Callback callback;
        private final AtomicInteger state = new AtomicInteger();
        /** The first outcome the handler gave: null until then, DONE for success, else its failure. */
        private final AtomicReference<Throwable> outcome = new AtomicReference<>();

        Handoff(Request request, Response response, Callback callback) {
            this.request = request;
            this.response = response;
            this.callback = callback;
        }

        @Override
        public void run() {
            Throwable thrown = null;
            boolean handled;
            try {
                handled = FastPath.super.handle(request, response, this);
            } catch (Throwable failure) {
                thrown = failure;
                handled = false;
            }
            if (!handled && outcome.get() == null) {
                // nobody answered (or the handler threw before answering): one error answer, by Jetty;
                // its completion comes back here and is forwarded below, now that handle() returned
                if (thrown != null) LOG.failure("handler", "unexpected failure before any answer on " + path(request), thrown);
                Response.writeError(request, response, this, thrown == null ? 404 : 500);
            } else if (thrown != null) {
                // after the answer was given: nothing may be written again, the log says what happened
                LOG.failure("handler.after", "failure after the answer on " + path(request), thrown);
            }
            if ((state.getAndUpdate(s -> s | RETURNED) & COMPLETED) != 0) forward();
        }

        @Override
        public void succeeded() {
            complete(DONE);
        }

        @Override
        public void failed(Throwable failure) {
            complete(failure == null ? new IllegalStateException("failed without a cause") : failure);
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.BLOCKING;
        }

        private void complete(Throwable result) {
            if (!outcome.compareAndSet(null, result)) return;   // a second completion: the first one counts
            if ((state.getAndUpdate(s -> s | COMPLETED) & RETURNED) != 0) forward();
        }

        /** Completes Jetty's callback, exactly once, after handle() returned and the handler completed. */
        private void forward() {
            dropFailedMultipart(request);
            String path = path(request);   // read now: after completion the request may be recycled
            Throwable result = outcome.get();
            try {
                if (result == DONE) callback.succeeded();
                else callback.failed(result);
            } catch (Throwable failure) {
                // the exchange is over either way: nothing of this request may run any more
                LOG.failure("complete", "completing " + path + " failed", failure);
            }
        }
    }

    private static String path(Request request) {
        try {
            String path = request.getHttpURI().getPath();
            return path == null ? "" : path.length() > 200 ? path.substring(0, 200) + "…" : path;
        } catch (RuntimeException e) {
            return "?";
        }
    }

    /** Marks a successful outcome (a shared instance: never thrown, no stack trace filled in). */
    private static final Throwable DONE = new Throwable("done", null, false, false) {
    };

    /**
     * A multipart body that failed to parse leaves its failed future among the request's
     * attributes, and Jetty 12.1's clean-up at completion joins it and throws (the stream
     * completed regardless). The parser already deleted its files when it failed, so nothing is
     * left to clean up: the attribute is dropped so that completion runs to its end.
     */
    private static void dropFailedMultipart(Request request) {
        try {
            if (request.getAttribute(MULTIPART) instanceof CompletableFuture<?> parts && parts.isCompletedExceptionally()) {
                request.removeAttribute(MULTIPART);
            }
        } catch (RuntimeException ignored) {
            // a request already recycled has no attributes to clean
        }
    }
}
