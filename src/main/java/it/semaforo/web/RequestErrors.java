package it.semaforo.web;

import it.semaforo.http.Answers;
import it.semaforo.http.Http1Connections;
import it.semaforo.http.Problem;
import it.semaforo.log.QuietLog;
import it.semaforo.render.Lang;
import it.semaforo.render.Messages;
import it.semaforo.render.Rendered;
import it.semaforo.render.Site;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The errors Jetty answers itself, before any route (a header with a NUL, 431, a bad path,
 * 413, 414, an unknown HTTP version) or outside Javalin's handlers: in the shape of the
 * surface asked for, never Jetty's own HTML. Under /api/ the API's problem form (Problem);
 * elsewhere the site's error page, in the language of the address or of Accept-Language when
 * Jetty read the headers. Each is logged as one line at most once a minute per status (a
 * client's fault), or in full for a 5xx.
 *
 * <p>Pages are rendered once per status and language and kept: they depend on the
 * configuration only, and a flood of bad requests must cost no rendering.
 */
public final class RequestErrors extends ErrorHandler {
    private static final QuietLog LOG = new QuietLog(LoggerFactory.getLogger(RequestErrors.class));
    /** The target Jetty gives a request whose request line it could not read. */
    private static final String BAD_MESSAGE = "/badMessage";
    /** How long the completion of an answer to a request Jetty's parser refused waits (see handle). */
    private static final long PARSER_ERROR_DELAY_MILLIS = 20;
    private static final HttpField NO_STORE = new HttpField(HttpHeader.CACHE_CONTROL, "no-store");

    private final Answers answers;
    private final ErrorPages errorPages;
    private final Site site;
    private final Map<String, String> securityHeaders;
    /** status and language tag to the page: a few statuses times a few languages. */
    private final Map<String, Rendered> pages = new ConcurrentHashMap<>();

    public RequestErrors(Answers answers, ErrorPages pages, Site site, Map<String, String> securityHeaders) {
        this.answers = answers;
        this.errorPages = pages;
        this.site = site;
        this.securityHeaders = Map.copyOf(securityHeaders);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = status(request, response);
        String path = path(request);
        String reason = request.getAttribute(ERROR_MESSAGE) instanceof String s ? s : HttpStatus.getMessage(status);
        Throwable cause = request.getAttribute(ERROR_EXCEPTION) instanceof Throwable t ? t : null;
        // 501, 505: a method or version the client made up; an EofException: the client went away
        if (status >= 500 && status != 501 && status != 505 && !(cause instanceof EofException)) {
            LOG.failure("status." + status, "answered " + status + " outside the routes on " + shorten(path) + ": " + shorten(reason), cause);
        } else {
            LOG.client("status." + status, "refused before routing: " + status + " " + shorten(reason) + " on " + shorten(path));
        }
        Rendered r;
        try {
            r = path.startsWith("/api/") ? api(status, reason) : page(status, path, request.getHeaders().get(HttpHeader.ACCEPT_LANGUAGE));
        } catch (RuntimeException | Error e) {
            LOG.failure("render", "could not render the error answer " + status, e);
            r = Rendered.of(status, "text/plain; charset=utf-8", (status + " " + HttpStatus.getMessage(status) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        HttpFields.Mutable headers = response.getHeaders();
        // a request line Jetty could not read: nothing after it on the connection can be framed,
        // so the connection closes, and the answer says so
        if (BAD_MESSAGE.equals(rawPath(request))) headers.put(HttpHeader.CONNECTION, "close");
        securityHeaders.forEach(headers::put);
        r.headers().forEach(headers::put);
        headers.put(NO_STORE);
        headers.put(HttpHeader.CONTENT_TYPE, r.contentType());
        headers.put(HttpHeader.CONTENT_LENGTH, r.body().length);
        boolean head = "HEAD".equals(request.getMethod());
        Callback done = callback;
        if (cause instanceof HttpException) {
            // A request Jetty's parser refused. Jetty 12.1 answers it on another thread while the
            // connection's own thread goes on to release the connection's request buffer; when
            // the answer completes first, the connection resumes on a third thread that takes up
            // that same buffer, which then goes back to the pool while in use, and a request of
            // another connection is read from it (seen about once in 10,000 such answers under
            // bench/hostile-load.sh: answers crossing connections, 'already released' buffers).
            // Completing a little later lets the connection's thread finish first.
            done = Callback.from(() -> request.getComponents().getScheduler().schedule(callback::succeeded,
                    PARSER_ERROR_DELAY_MILLIS, TimeUnit.MILLISECONDS), callback::failed);
        }
        response.write(true, head ? null : ByteBuffer.wrap(r.body()), done);
        return true;
    }

    private Rendered api(int status, String reason) {
        Messages m = new Messages(site.defaultLanguage());
        String detail = switch (status) {
            case 413 -> m.t("api.error.request.too.large");
            case 414 -> m.t("api.error.uri.too.long");
            case 431 -> m.t("api.error.headers.too.large");
            default -> status >= 500 ? m.t("api.error.internal") : m.t("api.error.request", shorten(reason));
        };
        return Problem.of(status, detail, null);
    }

    private Rendered page(int status, String path, String acceptLanguage) {
        Lang lang = answers.language(path, acceptLanguage);
        int shown = switch (status) {
            case 404, 413, 414, 431, 503 -> status;
            default -> status >= 500 ? 500 : 400;
        };
        return pages.computeIfAbsent(status + " " + lang.tag() + " " + lang.inPath(), k -> {
            Messages m = new Messages(lang.locale());
            String text = m.t(shown == 400 ? "error.request.text" : "error." + shown + ".text");
            Rendered r = errorPages.error(lang, shown, "error." + shown + ".title", text);
            // the status Jetty chose (a 505, say) with the page of its family
            return new Rendered(status, r.contentType(), r.body(), lang.inPath() ? Map.of() : Map.of("Vary", "Accept-Language"), null);
        });
    }

    private static int status(Request request, Response response) {
        Object s = request.getAttribute(ERROR_STATUS);
        int status = s instanceof Integer i ? i : response.getStatus();
        return status < 400 || status > 599 ? 500 : status;
    }

    private static String rawPath(Request request) {
        try {
            HttpURI uri = request.getHttpURI();
            return uri == null ? null : uri.getPath();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The raw path asked for; "/api/" alone when Jetty kept no request line but it targeted the API (Http1Connections). */
    private static String path(Request request) {
        String path = null;
        try {
            HttpURI uri = request.getHttpURI();
            if (uri != null) {
                path = uri.getPath();
                if (path == null) {
                    // a path Jetty could not decode: the raw target, cut at the query
                    String raw = uri.asString().replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://[^/]*", "");
                    int q = raw.indexOf('?');
                    path = q < 0 ? raw : raw.substring(0, q);
                }
            }
        } catch (RuntimeException e) {
            path = null;
        }
        if (path == null || path.isEmpty() || path.equals(BAD_MESSAGE)) return Http1Connections.api(request) ? "/api/" : "/";
        return path;
    }

    private static String shorten(String text) {
        if (text == null) return "";
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }
}
