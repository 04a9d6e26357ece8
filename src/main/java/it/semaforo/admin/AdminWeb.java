package it.semaforo.admin;

import it.semaforo.event.Refusal;
import it.semaforo.audit.Actor;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import it.semaforo.db.DatabaseException;
import it.semaforo.http.ClientAddress;
import it.semaforo.http.Errors;
import it.semaforo.log.QuietLog;
import it.semaforo.render.Formats;
import it.semaforo.render.Messages;
import it.semaforo.render.Lang;
import it.semaforo.render.PageContext;
import it.semaforo.render.SecurityHeaders;
import it.semaforo.render.Site;
import it.semaforo.render.Templates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What every page of the clerks' area shares: who is signed in, the CSRF check on every form
 * that changes something, the role check, rendering, the security headers, and turning every
 * refusal into a 4xx page in Italian. Nothing here goes through the public response cache.
 */
final class AdminWeb {
    private static final Logger log = LoggerFactory.getLogger(AdminWeb.class);
    private static final QuietLog QUIET = new QuietLog(log);
    static final String SESSION_COOKIE = "semaforo_sessione";
    static final String LOGIN_COOKIE = "semaforo_accesso";
    static final String HTML = "text/html; charset=utf-8";
    private static final Pattern ID = Pattern.compile("[0-9]{1,18}");
    private static final Pattern FLASH = Pattern.compile("[a-z-]{1,30}");
    /** Outcomes a redirect may announce with ?esito=…; anything else in the parameter is ignored. */
    private static final Set<String> FLASHES = Set.of("accesso", "bozza", "pubblicato", "programmato", "modificato",
            "aggiornamento", "chiuso", "scadenza", "ritirato", "allegato", "gruppo", "servizio", "fornitore", "utente",
            "password", "ordine", "uscita", "revocato", "allegato-rimosso", "immagine", "fonte", "fonte-eliminata", "provata",
            "fonte-modificata", "fonte-sospesa", "fonte-ripresa",
            "ignorata", "segnalato", "sessione", "sessioni", "fattore-rimosso", "fattore-azzerato", "obbligo", "recupero",
            "passkey", "passkey-rimossa", "approvazione", "rifiutato", "verifica", "invito");

    final AdminSettings config;
    final Templates templates;
    final Messages msg;
    final Formats fmt;
    final Accounts accounts;
    final Sessions sessions;

    private final Site site;

    Site site() {
        return site;
    }

    AdminWeb(AdminSettings config, Templates templates, Accounts accounts, Sessions sessions, Site site) {
        this.site = site;
        this.config = config;
        this.templates = templates;
        this.msg = new Messages("i18n.admin", config.language());
        this.fmt = new Formats(config.language(), config.zone());
        this.accounts = accounts;
        this.sessions = sessions;
    }

    /** One request of a signed-in user. */
    record Visit(Context ctx, User user, Sessions.Session session, Actor actor, Form form) {
    }

    @FunctionalInterface
    interface VisitHandler {
        void handle(Visit v) throws Exception;
    }

    private static final Set<Sessions.Stage> SIGNED_IN = EnumSet.of(Sessions.Stage.SIGNED_IN);

    /** A page (GET): without a session, the login page, and back here afterwards. */
    Handler page(Role role, VisitHandler h) {
        return ctx -> guarded(ctx, role, false, SIGNED_IN, h);
    }

    /** A change (POST): session, then CSRF token, then role; any refusal changes nothing. */
    Handler action(Role role, VisitHandler h) {
        return ctx -> guarded(ctx, role, true, SIGNED_IN, h);
    }

    /**
     * A page or change also open to a session that has passed the first factor only (the
     * second-factor step, the enrolment a role requires, logging out). Every other address
     * sends such a session back to its step: it can do nothing else before.
     */
    Handler halfway(Set<Sessions.Stage> stages, boolean change, VisitHandler h) {
        return ctx -> guarded(ctx, Role.EDITOR, change, EnumSet.copyOf(stages), h);
    }

    /** Where a session at this stage is sent when it asks for another page. */
    static String stepOf(Sessions.Stage stage) {
        return switch (stage) {
            case SIGNED_IN -> "/admin";
            case SECOND_FACTOR -> "/admin/verifica";
            case ENROL -> "/admin/sicurezza/totp";
        };
    }

    private void guarded(Context ctx, Role role, boolean change, Set<Sessions.Stage> stages, VisitHandler h) throws Exception {
        securityHeaders(ctx);
        Visit visit = null;
        try {
            Optional<Visit> found = visit(ctx, change);
            if (found.isPresent() && !stages.contains(found.get().session().stage())) {
                Sessions.Stage stage = found.get().session().stage();
                if (change) throw new AdminProblem(403, msg.t(stage == Sessions.Stage.SIGNED_IN
                        ? "admin.problem.role" : "admin.problem.second.factor"));
                ctx.redirect(stepOf(stage), io.javalin.http.HttpStatus.SEE_OTHER);
                return;
            }
            if (found.isEmpty()) {
                if (change) {
                    // the form is not saved; the browser's Back button still has what was typed
                    throw new AdminProblem(401, msg.t("admin.problem.session.post"));
                }
                ctx.redirect("/admin/login?dopo=" + java.net.URLEncoder.encode(ctx.path(), StandardCharsets.UTF_8),
                        io.javalin.http.HttpStatus.SEE_OTHER);
                return;
            }
            visit = found.get();
            if (change && !sameToken(visit.form().get("csrf"), visit.session().csrfToken())) {
                throw new AdminProblem(403, msg.t("admin.problem.csrf"));
            }
            if (!visit.user().role().allows(role)) throw new AdminProblem(403, msg.t("admin.problem.role"));
            h.handle(visit);
        } catch (AdminProblem p) {
            problem(ctx, visit, p.status(), p.getMessage());
        } catch (Refusal r) {
            AdminProblem p = problem(r);
            problem(ctx, visit, p.status(), p.getMessage());
        } catch (DatabaseException e) {
            log.warn("clerks' area: database failure on {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
            problem(ctx, visit, 503, msg.t("admin.problem.database"));
        } catch (RuntimeException e) {
            // a defect of ours: the transaction has rolled back; say so in Italian, keep the trace in the log
            log.error("clerks' area: unexpected failure on {} {}", ctx.method(), ctx.path(), e);
            problem(ctx, visit, 500, msg.t("admin.problem.internal"));
        }
    }

    /** A refusal of the domain as the clerks' area shows it: its status and its sentence in the clerk's language. */
    AdminProblem problem(Refusal r) {
        int status = switch (r.kind()) {
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case INVALID -> 422;
        };
        Object[] args = r.args().stream().map(a -> a instanceof java.time.Instant t ? fmt.dateTime(t) : a).toArray();
        return new AdminProblem(status, msg.t(r.key(), args));
    }

    private Optional<Visit> visit(Context ctx, boolean change) {
        Optional<Sessions.Session> session = sessions.find(ctx.cookie(SESSION_COOKIE));
        if (session.isEmpty()) return Optional.empty();
        Optional<User> user = accounts.find(session.get().userId()).filter(User::active);
        if (user.isEmpty()) {
            sessions.close(ctx.cookie(SESSION_COOKIE));
            return Optional.empty();
        }
        Form form = change ? readForm(ctx) : Form.of(ctx.queryParamMap());
        return Optional.of(new Visit(ctx, user.get(), session.get(), user.get().actor(address(ctx)), form));
    }

    /** The submitted fields; a body the server will not read becomes a clear 413 or 400. */
    Form readForm(Context ctx) {
        if (ctx.req().getContentLengthLong() > maxRequestBytes(config.attachmentMaxBytes())) {
            // refused on its declared length, before any byte of it is awaited; the connection closes
            QUIET.client("form.declared.too.large", "clerks' area: declared body of " + ctx.req().getContentLengthLong()
                    + " bytes on " + shorten(ctx.path()));
            throw new AdminProblem(413, msg.t("admin.problem.too.large"));
        }
        try {
            return Form.of(ctx.formParamMap());
        } catch (HttpResponseException e) {
            throw new AdminProblem(e.getStatus() == 413 ? 413 : 400,
                    msg.t(e.getStatus() == 413 ? "admin.problem.too.large" : "admin.problem.bad.form"));
        } catch (Exception e) {
            // Jetty's multipart parser refuses an oversized or broken body with assorted
            // exceptions, checked ones included (ServletException), wrapped several times
            boolean size = false;
            for (Throwable t = e; t != null && !size; t = t.getCause()) {
                size = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT).matches("(?s).*(size|exceed|too large).*");
            }
            QUIET.client(size ? "form.too.large" : "form.unreadable", "clerks' area: unreadable form on "
                    + shorten(ctx.path()) + ": " + shorten(String.valueOf(e)));
            // what is left of the body is not read here: the parser that failed may still be
            // releasing its last chunk on another thread, and a second reader of the same
            // connection races it over the connection's buffer. Jetty consumes what has arrived
            // once the answer is written, and closes the connection (saying so) when more is due.
            throw new AdminProblem(size ? 413 : 400, msg.t(size ? "admin.problem.too.large" : "admin.problem.bad.form"));
        }
    }

    /** The largest body the area reads: an attachment at its limit, twice over for encodings, and the other fields. */
    static long maxRequestBytes(long maxUploadBytes) {
        return maxUploadBytes * 2 + 1024 * 1024 + 64 * 1024;
    }

    static String shorten(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }

    static boolean sameToken(String given, String expected) {
        if (given == null || expected == null || given.isEmpty()) return false;
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }

    /** The client's address, for throttling and the audit log (http.ClientAddress: proxy.trusted decides). */
    String address(Context ctx) {
        return ClientAddress.of(ctx, config.trustProxy());
    }

    /** HTTPS: the public address says so, the connection is TLS, or a trusted proxy says it was. */
    boolean https(Context ctx) {
        return config.baseUrl().startsWith("https://") || "https".equalsIgnoreCase(ctx.req().getScheme())
                || config.trustProxy() && "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
    }

    /** Cookies of the area live under /admin only: a resident's browser never sends them to the public pages. */
    void setCookie(Context ctx, String name, String value, Integer maxAgeSeconds) {
        StringBuilder c = new StringBuilder(name).append('=').append(value).append("; Path=/admin; HttpOnly; SameSite=Lax");
        if (maxAgeSeconds != null) c.append("; Max-Age=").append(maxAgeSeconds);
        if (https(ctx)) c.append("; Secure");
        ctx.res().addHeader("Set-Cookie", c.toString());
    }

    void clearCookie(Context ctx, String name) {
        setCookie(ctx, name, "", 0);
    }

    static void securityHeaders(Context ctx) {
        SecurityHeaders.CLERKS.forEach(ctx::header);
    }

    // ---- rendering ----------------------------------------------------------------------

    AdminPages.Frame frame(Context ctx, Visit v, String section) {
        String flash = null;
        String outcome = ctx.queryParam("esito");
        if (outcome != null && FLASH.matcher(outcome).matches() && FLASHES.contains(outcome)) {
            flash = msg.t("admin.flash." + outcome);
        }
        // halfway through signing in, the menu is not shown: none of its pages would open
        return new AdminPages.Frame(context(ctx.path()), v == null || !v.session().signedIn() ? null : v.user(),
                v == null ? null : v.session().csrfToken(), section, flash, false);
    }

    PageContext context(String path) {
        return new PageContext(msg, fmt, site, Lang.negotiated(site.defaultLanguage()), path, "");
    }

    void render(Context ctx, int status, String template, Object page) {
        securityHeaders(ctx);
        ctx.status(status).contentType(HTML).result(templates.render(template, page));
    }

    void problem(Context ctx, Visit v, int status, String text) {
        AdminPages.Frame frame = new AdminPages.Frame(context(ctx.path()), v == null || !v.session().signedIn() ? null : v.user(),
                v == null ? null : v.session().csrfToken(), "", null, false);
        String title = msg.t(switch (status) {
            case 401 -> "admin.problem.title.401";
            case 403 -> "admin.problem.title.403";
            case 404 -> "admin.problem.title.404";
            case 409 -> "admin.problem.title.409";
            case 413 -> "admin.problem.title.413";
            case 429 -> "admin.problem.title.429";
            case 500 -> "admin.problem.title.500";
            case 503 -> "admin.problem.title.503";
            default -> "admin.problem.title.400";
        });
        String back = v == null ? "/admin/login" : "/admin";
        render(ctx, status, "admin/problem.jte", new AdminPages.Problem(frame, title, text, back));
        Errors.answered(ctx);   // this page says what is missing: the not-found path leaves it

    }

    /** After a change: the page to see, with the outcome announced (POST, redirect, GET). */
    static void seeOther(Context ctx, String path) {
        ctx.redirect(path, io.javalin.http.HttpStatus.SEE_OTHER);
    }

    long id(Context ctx, String param) {
        String raw = ctx.pathParam(param);
        if (!ID.matcher(raw).matches()) throw new AdminProblem(404, msg.t("admin.problem.missing"));
        return Long.parseLong(raw);
    }

    /** ?pagina=N, 1 when absent; anything else is a 400, never a 500. */
    int pageNumber(Context ctx) {
        String p = ctx.queryParam("pagina");
        if (p == null || p.isEmpty()) return 1;
        if (!p.matches("[0-9]{1,6}") || Integer.parseInt(p) < 1) throw new AdminProblem(400, msg.t("admin.problem.page"));
        return Integer.parseInt(p);
    }
}
