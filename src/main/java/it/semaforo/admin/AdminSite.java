package it.semaforo.admin;

import it.semaforo.account.Passkeys;
import it.semaforo.account.SecondFactors;
import it.semaforo.account.Totp;
import it.semaforo.audit.AuditLog;
import io.javalin.config.JavalinConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.config.SizeUnit;
import it.semaforo.admin.AdminWeb.Visit;
import it.semaforo.db.Database;
import it.semaforo.notice.NoticeDesk;
import it.semaforo.notice.AttachmentFiles;
import it.semaforo.notice.NoticeRepository;
import it.semaforo.service.CatalogDesk;
import it.semaforo.render.Formats;
import it.semaforo.render.Messages;
import it.semaforo.service.ServiceCatalog;
import it.semaforo.text.Markdown;
import it.semaforo.render.Site;
import it.semaforo.render.Templates;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * The clerks' area under /admin, built by hand from the configuration like the rest of the
 * application. It owns its routes, its queries and its templates' data; it reaches avvisi
 * and services only through their repositories.
 */
public final class AdminSite {
    private static final int AUDIT_PAGE_SIZE = 50;

    private final AdminWeb web;
    private final Accounts accounts;
    private final AuditLog audit;
    private final UserDesk users;
    private final NoticeDesk notices;
    private final long maxUploadBytes;
    private final AccessRoutes access;
    private final SignIn signIn;
    private final SecurityRoutes security;
    private final PasskeyRoutes passkeyRoutes;
    private final SecondFactors factors;
    private final NoticeRoutes noticeRoutes;
    private final CatalogRoutes catalogRoutes;
    private final UserRoutes userRoutes;
    private final TokenRoutes tokenRoutes;
    private final WriteApi writeApi;
    private final ApiTokens tokens;
    private final AccessReview accessReview;
    /** Single sign-on's routes; null when no identity provider is configured. */
    private final SsoRoutes ssoRoutes;

    private AdminSite(AdminWeb web, Accounts accounts, AuditLog audit, UserDesk users, NoticeDesk notices,
                      long maxUploadBytes, AccessRoutes access, SignIn signIn, SecurityRoutes security,
                      PasskeyRoutes passkeyRoutes, SecondFactors factors, NoticeRoutes noticeRoutes, CatalogRoutes catalogRoutes,
                      UserRoutes userRoutes, TokenRoutes tokenRoutes, WriteApi writeApi,
                      AccessReview accessReview, SsoRoutes ssoRoutes) {
        this.accessReview = accessReview;
        this.ssoRoutes = ssoRoutes;
        this.web = web;
        this.accounts = accounts;
        this.audit = audit;
        this.users = users;
        this.notices = notices;
        this.maxUploadBytes = maxUploadBytes;
        this.access = access;
        this.signIn = signIn;
        this.security = security;
        this.passkeyRoutes = passkeyRoutes;
        this.factors = factors;
        this.noticeRoutes = noticeRoutes;
        this.catalogRoutes = catalogRoutes;
        this.userRoutes = userRoutes;
        this.tokenRoutes = tokenRoutes;
        this.writeApi = writeApi;
        this.tokens = tokenRoutes.tokens();
    }

    /**
     * The clerks' area over the domain's use cases (the same ones the write API calls), built in
     * the application's assembly.
     */
    public static AdminSite create(AdminSettings settings, Clock clock, Database db, AuditLog audit,
                                   NoticeRepository noticeRepository, NoticeDesk noticeDesk, ServiceCatalog services,
                                   CatalogDesk catalogDesk, Templates templates, Markdown markdown, Path attachmentsDir,
                                   Site site) {
        Accounts accounts = new Accounts(db, clock, new Passwords(settings.bcryptCost()));
        Sessions sessions = new Sessions(db, clock, settings.sessionIdle(), settings.sessionMax());
        LoginThrottle throttle = new LoginThrottle(db, clock, settings.loginWindow(), settings.maxFailuresPerAccount(),
                settings.maxFailuresPerAddress());
        AdminWeb web = new AdminWeb(settings, templates, accounts, sessions, site);
        UserDesk users = new UserDesk(db, accounts, sessions, audit, web.msg);
        Uploads uploads = new Uploads(attachmentsDir, settings.attachmentMaxBytes());
        NoticeForms noticeForms = new NoticeForms(web.msg, web.fmt);
        ApiTokens tokens = new ApiTokens(db, audit, clock);
        SecondFactors factors = new SecondFactors(db, clock, new Totp(),
                settings.secondFactorRoles().stream().map(Role::key).collect(java.util.stream.Collectors.toSet()));
        Passkeys passkeys = new Passkeys(db, clock, relyingParty(settings.baseUrl(), site.comune().name()));
        SignIn signIn = new SignIn(web, throttle, users, factors, passkeys);
        SecurityDesk securityDesk = new SecurityDesk(db, accounts, sessions, factors, passkeys, audit, web.msg);
        SecurityRoutes security = new SecurityRoutes(web, securityDesk, signIn, passkeys, site.comune().name() + " – Semaforo");
        PasskeyRoutes passkeyRoutes = new PasskeyRoutes(web, passkeys, securityDesk, signIn, throttle, users, clock);
        Identities identities = new Identities(db, clock, accounts, audit, settings.sso());
        AccessReview accessReview = new AccessReview(db, clock, audit, accounts, sessions, tokens, settings, identities);
        AccessRoutes access = new AccessRoutes(web, throttle, users, signIn);
        SsoRoutes sso = settings.sso().enabled()
                ? new SsoRoutes(web, access, new SingleSignOn(settings.sso(), settings.baseUrl()), identities) : null;
        return new AdminSite(web, accounts, audit, users, noticeDesk, settings.attachmentMaxBytes(),
                access, signIn, security, passkeyRoutes, factors,
                new NoticeRoutes(web, noticeRepository, services, noticeDesk, noticeForms, uploads,
                        markdown, clock, new AttachmentFiles(attachmentsDir), accessReview),
                new CatalogRoutes(web, services, catalogDesk, new CatalogForms(web.msg)),
                new UserRoutes(web, users),
                new TokenRoutes(web, tokens, clock),
                new WriteApi(web, tokens, noticeDesk, noticeForms, noticeRepository, services, clock, settings),
                accessReview, sso);
    }

    /** Passkeys belong to the host of the public address (the RP id) and its origin; never to what a request claims. */
    static Passkeys.RelyingParty relyingParty(String baseUrl, String name) {
        java.net.URI u = java.net.URI.create(baseUrl);
        String origin = u.getScheme() + "://" + u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "");
        return new Passkeys.RelyingParty(u.getHost(), origin, name);
    }

    private NotifyRoutes notifyRoutes;
    private RatingResultsRoutes ratingRoutes;

    /** The page ratings' results (/admin/valutazioni): set by the application's assembly before routes(). */
    public void ratings(it.semaforo.rating.PageRatings ratings) {
        this.ratingRoutes = new RatingResultsRoutes(web, ratings);
    }

    /** The static copies' state for the dashboard (lag, last error): set by the application's assembly when there are copies. */
    public void copies(java.util.function.Supplier<java.util.List<AdminPages.CopyState>> copies) {
        noticeRoutes.copies(copies);
    }

    private SignalRoutes signalRoutes;

    /**
     * Signals in (/admin/segnalazioni, and the open signals on the dashboard): set by the
     * application's assembly before routes(). pollNow polls a source at once ("Prova ora").
     */
    public void signals(it.semaforo.signal.SignalDesk desk, ServiceCatalog services, java.util.function.LongPredicate pollNow,
                        Clock clock, java.time.Duration defaultInterval, java.time.Duration defaultTimeout) {
        this.signalRoutes = new SignalRoutes(web, desk, services, pollNow, clock, defaultInterval, defaultTimeout);
        noticeRoutes.signalCards(signalRoutes::cards);
    }

    /** The words of signals' proposals and audit lines, in the clerks' area's language. */
    public static it.semaforo.signal.SignalDesk.Wording signalWording(AdminSettings settings) {
        Messages msg = new Messages("i18n.admin", settings.language());
        return new it.semaforo.signal.SignalDesk.Wording() {
            public String title(String source, String upstreamTitle) {
                return msg.t("admin.signals.wording.title", source, upstreamTitle);
            }

            public String body(String source, String text, String link) {
                return msg.t("admin.signals.wording.body", source, quote(text), link.isEmpty() ? "" : "<" + link + ">").strip();
            }

            public String closing(String source, String text, String link) {
                return msg.t("admin.signals.wording.closing", source, quote(text), link.isEmpty() ? "" : "<" + link + ">").strip();
            }

            public String reason(String source) {
                return msg.t("admin.signals.wording.reason", source);
            }

            public String audit(String action, String subject) {
                return msg.t("admin.signals.audit." + action, subject);
            }

            public String probeDown(String source, int failures) {
                return msg.t("admin.signals.wording.probe.down", source, failures);
            }

            public String probeUp(String source, int successes) {
                return msg.t("admin.signals.wording.probe.up", source, successes);
            }

            public String error(String stored) {
                String[] parts = stored.split("\n");
                try {
                    return msg.t(parts[0], (Object[]) java.util.Arrays.copyOfRange(parts, 1, parts.length));
                } catch (RuntimeException e) {
                    return stored.replace('\n', ' ');
                }
            }
        };
    }

    /** The upstream's words as a Markdown quote: each line quoted, nothing in them taken as our markup. */
    private static String quote(String text) {
        if (text == null || text.isBlank()) return "";
        StringBuilder b = new StringBuilder();
        for (String line : text.strip().split("\n")) {
            b.append("> ").append(line.replaceAll("([\\`*_\\[\\]<>#!|])", "\\\\$1")).append('\n');
        }
        return b.toString();
    }

    private ProfileRoutes profileRoutes;

    /** The notify feature's page (/admin/notifiche): set by the application's assembly before routes(). */
    public void notifications(it.semaforo.notify.Notify notify, ServiceCatalog services, Database db) {
        this.notifyRoutes = new NotifyRoutes(web, notify, services, audit, db);
        this.profileRoutes = new ProfileRoutes(web, notify.clerkAlerts());
    }

    /** Who approves avvisi under review (two pairs of eyes): an active administrator. */
    public static it.semaforo.notice.NoticeReview.Approvers approvers() {
        return (c, actor) -> actor.userId() != null && Accounts.isActiveAdministrator(c, actor.userId());
    }

    /** The audit log's summaries of changes to avvisi, in the clerks' area's language. */
    public static NoticeDesk.Wording auditWording(AdminSettings settings) {
        Messages msg = new Messages("i18n.admin", settings.language());
        Formats fmt = new Formats(settings.language(), settings.zone());
        return new NoticeDesk.Wording() {
            public String updateNumber(int number) {
                return msg.t("admin.audit.update.number", number);
            }

            public String expiry(java.time.Instant expiresAt) {
                return expiresAt == null ? msg.t("admin.audit.expiry.none") : fmt.dateTime(expiresAt);
            }
        };
    }

    /**
     * Multipart limits: a file up to the configured size must reach our own check (which
     * answers with a message next to the field); only far larger bodies are cut by Jetty.
     */
    public void configure(JavalinConfig c) {
        long hardLimit = AdminWeb.maxRequestBytes(maxUploadBytes);
        c.jetty.multipartConfig.maxFileSize(hardLimit - 64 * 1024, SizeUnit.BYTES);
        c.jetty.multipartConfig.maxTotalRequestSize(hardLimit, SizeUnit.BYTES);
        c.jetty.multipartConfig.maxInMemoryFileSize(256 * 1024, SizeUnit.BYTES);
    }

    public void routes(RoutesConfig r) {
        access.routes(r);
        signIn.routes(r);
        security.routes(r);
        passkeyRoutes.routes(r);
        noticeRoutes.routes(r);
        catalogRoutes.routes(r);
        userRoutes.routes(r);
        tokenRoutes.routes(r);
        if (notifyRoutes != null) notifyRoutes.routes(r);
        if (ratingRoutes != null) ratingRoutes.routes(r);
        if (signalRoutes != null) signalRoutes.routes(r);
        new AccessReviewRoutes(web, accessReview).routes(r);
        if (ssoRoutes != null) ssoRoutes.routes(r);
        if (profileRoutes != null) profileRoutes.routes(r);
        r.get("/admin/registro", web.page(Role.ADMINISTRATOR, this::auditPage));
    }

    /** Any other address under /admin is a 404 of this area, in Italian (see http.Errors). */
    public void notFound(io.javalin.http.Context ctx) {
        web.problem(ctx, null, 404, web.msg.t("admin.problem.missing"));
    }

    /** For the command line and for tests: accounts are otherwise made only by administrators. */
    public Accounts accounts() {
        return accounts;
    }

    /** The access review; its suspension of unused accounts runs on each day's first event (app.Semaforo). */
    public AccessReview accessReview() {
        return accessReview;
    }

    public UserDesk users() {
        return users;
    }

    /** The clerks' second factors (for tests: the secret being enrolled). */
    public SecondFactors factors() {
        return factors;
    }

    public AuditLog audit() {
        return audit;
    }

    /** The write API's tokens (made on /admin/token; here for tests). */
    public ApiTokens tokens() {
        return tokens;
    }

    /** The write API under /api/semaforo/v1 (its routes go before the public API's). */
    public WriteApi writeApi() {
        return writeApi;
    }

    /** The avvisi operations with their checks and audit: the seam for the write API. */
    public NoticeDesk notices() {
        return notices;
    }

    private void auditPage(Visit v) {
        int page = web.pageNumber(v.ctx());
        int total = audit.count();
        int pages = Math.max(1, (total + AUDIT_PAGE_SIZE - 1) / AUDIT_PAGE_SIZE);
        if (page > pages) throw new AdminProblem(404, web.msg.t("admin.problem.page"));
        List<AdminPages.AuditLine> lines = audit.page(page, AUDIT_PAGE_SIZE).stream()
                .map(e -> new AdminPages.AuditLine(e, actionLabel(e.action()), link(e))).toList();
        web.render(v.ctx(), 200, "admin/audit.jte", new AdminPages.Audit(web.frame(v.ctx(), v, "audit"), lines, page, pages,
                page > 1 ? "/admin/registro?pagina=" + (page - 1) : null,
                page < pages ? "/admin/registro?pagina=" + (page + 1) : null));
    }

    private String actionLabel(String action) {
        try {
            return web.msg.t("admin.audit.action." + action);
        } catch (IllegalStateException e) {
            return action;   // an action recorded by a later version: shown as stored
        }
    }

    /** The page of the record an entry is about, when there is one. */
    private static String link(AuditLog.Entry e) {
        if (e.entityId() == null) return null;
        return switch (e.entity()) {
            case "notice" -> "/admin/avvisi/" + e.entityId();
            case "service" -> "/admin/servizi/" + e.entityId();
            case "provider" -> "/admin/fornitori/" + e.entityId();
            case "user" -> "/admin/utenti/" + e.entityId();
            case "signal_source" -> "/admin/segnalazioni/fonti/" + e.entityId();
            default -> null;
        };
    }
}
