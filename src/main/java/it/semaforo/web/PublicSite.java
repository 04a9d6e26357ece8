package it.semaforo.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import it.semaforo.app.Config;
import it.semaforo.cache.ResponseCache;
import it.semaforo.db.Database;
import it.semaforo.notice.ArchiveQuery;
import it.semaforo.notice.Attachment;
import it.semaforo.notice.Notice;
import it.semaforo.notice.NoticeKind;
import it.semaforo.notice.NoticeRepository;
import it.semaforo.notice.NoticeStatus;
import it.semaforo.service.Service;
import it.semaforo.service.ServiceState;
import it.semaforo.status.DayStatus;
import it.semaforo.status.ReadModel;
import it.semaforo.status.StatusService;
import it.semaforo.text.FileNames;
import it.semaforo.text.Markdown;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.Year;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The pages a resident reads: each one a function from the read model to bytes. */
public final class PublicSite implements PublicOutput {
    private static final Pattern NOTICE_PATH = Pattern.compile("([0-9]{1,18})(?:-(.*))?");
    private static final Pattern STORED_NAME = Pattern.compile("[A-Za-z0-9_-]{16,64}(\\.[a-z0-9]{1,5})?");
    private static final int PAGE_SIZE = 10;
    /** Every page at its plain address (language negotiated) and under /it, /en, /de, /ja (language chosen). */
    private static final List<String> PREFIXES = Stream.concat(Stream.of(""),
            Lang.SUPPORTED.stream().map(l -> "/" + l.getLanguage())).toList();

    private final StatusService status;
    private final NoticeRepository notices;
    private final Templates templates;
    private final Markdown markdown;
    private final Config config;
    private final Site site;
    private final Database db;
    private final Path attachmentsDir;
    private final ResponseCache cache;

    public PublicSite(StatusService status, NoticeRepository notices, Templates templates, Markdown markdown,
                      Config config, Assets assets, Database db, Path attachmentsDir, ResponseCache cache) {
        this.cache = cache;
        this.status = status;
        this.notices = notices;
        this.templates = templates;
        this.markdown = markdown;
        this.config = config;
        this.site = Site.of(config, assets);
        this.db = db;
        this.attachmentsDir = attachmentsDir;
        cache.staleNotice((language, at) -> {
            Locale locale = Locale.forLanguageTag(language);
            String text = new Messages(locale).t("stale.notice", new Formats(locale, config.zone()).dateTime(at));
            return "<p class=\"alert alert-warning stale-notice\" role=\"status\">"
                    + text.replace("&", "&amp;").replace("<", "&lt;") + "</p>";
        });
    }

    public void routes(RoutesConfig r) {
        for (String prefix : PREFIXES) {
            r.get(prefix.isEmpty() ? "/" : prefix, ctx -> cached(ctx, this::home));   // "/en" also answers "/en/"
            // what a rendering needs from the request is read first: the cache renders it again later
            r.get(prefix + "/servizi/{slug}", ctx -> {
                String slug = ctx.pathParam("slug");
                cached(ctx, lang -> service(lang, slug));
            });
            r.get(prefix + "/avvisi", ctx -> {
                Map<String, List<String>> query = ctx.queryParamMap();
                cached(ctx, lang -> archive(lang, query));
            });
            r.get(prefix + "/avvisi/{ref}", ctx -> {
                String ref = ctx.pathParam("ref");
                cached(ctx, lang -> notice(lang, ref));
            });
        }
        r.get(Assets.PREFIX + "<path>", site.assets()::serveFingerprinted);
        r.get("/static/<path>", site.assets()::serveUnversioned);
        r.get("/allegati/{name}", ctx -> {
            String name = ctx.pathParam("name");
            Rendered file;
            try {
                file = attachment(name);
            } catch (NotFoundResponse missing) {
                // a published address does not die: a file a clerk removed says when (looked up only on a miss)
                Optional<Instant> removed = STORED_NAME.matcher(name).matches() ? notices.attachmentRemovedAt(name) : Optional.empty();
                if (removed.isEmpty()) throw missing;
                Lang lang = language(ctx);
                send(ctx, lang, gone(lang, "/", "attachment.removed.title", "attachment.removed.text", removed.get()));
                return;
            }
            file.headers().forEach(ctx::header);
            ctx.contentType(file.contentType()).result(file.body());
        });
        r.get("/health", this::health);
        r.exception(BadRequest.class, ErrorGuard.safely((e, ctx) -> {
            Lang lang = language(ctx);
            send(ctx, lang, error(lang, 400, "error.400.title", e.text(new Messages(lang.locale()))));
        }));
        // the database fails and there is no earlier copy of this page: say so, in the visitor's language
        r.exception(it.semaforo.db.DatabaseException.class, ErrorGuard.safely((e, ctx) -> {
            Lang lang = language(ctx);
            ctx.header("Retry-After", "30");
            String text = new Messages(lang.locale()).t("error.503.text");
            if (ctx.path().startsWith("/api/")) {   // the API's clients read its problem form
                send(ctx, lang, Problem.of(503, text, null));
                return;
            }
            send(ctx, lang, error(lang, 503, "error.503.title", text));
        }));
        r.error(404, ctx -> {
            if (ctx.path().startsWith("/admin")) return;   // the clerks' area answers its own 404s
            if (ctx.path().startsWith("/api/")) return;   // the API answers its own errors, in JSON
            if (ctx.attribute(OWN_ERROR_PAGE) != null) return;   // a handler already said what is missing
            Lang lang = language(ctx);
            send(ctx, lang, error(lang, 404, "error.404.title", new Messages(lang.locale()).t("error.404.text")));
        });
    }

    /** Marks a request answered with an error page of its own, which the generic 404 page must not replace. */
    private static final String OWN_ERROR_PAGE = "semaforo.ownErrorPage";

    /**
     * Answers from the response cache, rendering in the visitor's language on a miss. An
     * unprefixed address depends on Accept-Language, and says so to caches with Vary. render
     * must not read ctx: the cache calls it again after writes (read what it needs first).
     */
    public void cached(Context ctx, java.util.function.Function<Lang, Rendered> render) {
        Lang lang = language(ctx);
        ownErrorPage(ctx, cache.respond(ctx, lang.tag(), !lang.inPath(), () -> render.apply(lang)));
    }

    /**
     * Answers from the response cache in the configured language, whatever the browser says:
     * for feeds, the API and the embeds, whose language is the site's (no Vary). render must not
     * read ctx, as above.
     */
    public void cachedInSiteLanguage(Context ctx, java.util.function.Function<Locale, Rendered> render) {
        Locale lang = site.defaultLanguage();
        ownErrorPage(ctx, cache.respond(ctx, lang.getLanguage(), false, () -> render.apply(lang)));
    }

    /** An error answered by the output itself (a 404 that says what is missing) is not replaced by the generic page. */
    private static void ownErrorPage(Context ctx, int status) {
        if (status >= 400) ctx.attribute(OWN_ERROR_PAGE, Boolean.TRUE);
    }

    /**
     * Renders the home page in the site's language into the cache, as a browser without
     * Accept-Language gets it: run beside the server's start, so that the first resident after
     * a restart does not wait for a first rendering (templates, read model) on a cold JVM.
     */
    public void warmUp() {
        Lang lang = language("/", null);
        cache.warm(ResponseCache.key("/", null, lang.tag()), lang.tag(), !lang.inPath(), () -> home(lang));
    }

    /** The site as every page shows it: comune, links, assets, base address, language, zone. */
    public Site site() {
        return site;
    }

    public Lang language(Context ctx) {
        return language(ctx.path(), ctx.header("Accept-Language"));
    }

    /**
     * The language in the address, else the browser's preferred supported one, else the
     * configured one: from the raw path and Accept-Language alone, so that the cache's fast
     * path picks the same one without Javalin.
     */
    public Lang language(String rawPath, String acceptLanguage) {
        return Lang.ofPath(rawPath).map(Lang::pinned)
                .orElseGet(() -> Lang.negotiated(Lang.negotiate(acceptLanguage, site.defaultLanguage())));
    }

    PageContext context(Lang lang, String path) {
        return context(lang, path, "");
    }

    PageContext context(Lang lang, String path, String query) {
        return PageContext.of(site, lang, path, query);
    }

    static void send(Context ctx, Lang lang, Rendered r) {
        r.headers().forEach((name, value) -> {
            if (value.isEmpty()) ctx.res().setHeader(name, null);   // an output removing a default header
            else ctx.header(name, value);
        });
        if (!lang.inPath()) ctx.header("Vary", "Accept-Language");
        ctx.status(r.status()).contentType(r.contentType()).result(r.body());
    }

    // ---- pages ------------------------------------------------------------------------

    public Rendered home(Lang lang) {
        ReadModel m = status.now();
        PageContext ctx = context(lang, "/");
        List<Pages.GroupLines> groups = m.catalog().groups().stream()
                .map(g -> new Pages.GroupLines(g, m.catalog().servicesOf(g).stream()
                        .map(s -> new Pages.ServiceLine(s, m.status(s))).toList()))
                .filter(g -> !g.services().isEmpty())
                .toList();
        long notFullyActive = m.catalog().services().stream()
                .filter(s -> m.status(s).state() != ServiceState.OPERATIONAL).count();
        List<Pages.NoticeCard> cards = m.inForce().stream().filter(n -> !m.isUpcoming(n)).map(n -> card(m, n)).toList();
        List<Pages.NoticeCard> upcoming = m.inForce().stream().filter(m::isUpcoming).map(n -> card(m, n)).toList();
        return Rendered.html(200, templates.render("home.jte", new Pages.Home(ctx, m.now(), m.overall(), notFullyActive,
                m.catalog().services().size(), cards, upcoming, groups))).validUntil(m.validUntil());
    }

    public Rendered service(Lang lang, String slug) {
        ReadModel m = status.now();
        Service s = m.catalog().service(slug).orElseThrow(NotFoundResponse::new);
        List<DayStatus> history = m.history(s);
        int operationalDays = (int) history.stream().filter(d -> d.worst() == ServiceState.OPERATIONAL).count();
        List<Pages.NoticeCard> cards = m.inForceFor(s).stream().map(n -> card(m, n)).toList();
        return Rendered.html(200, templates.render("service.jte", new Pages.ServiceDetail(context(lang, s.path()),
                m.now(), s, m.status(s), cards, history, operationalDays))).validUntil(nextDay(m));
    }

    /** The page of an avviso from the last segment of its address, "{id}-{slug}". */
    public Rendered notice(Lang lang, String ref) {
        Matcher match = NOTICE_PATH.matcher(ref);
        if (!match.matches()) throw new NotFoundResponse();
        Notice n = notices.find(Long.parseLong(match.group(1))).orElseThrow(NotFoundResponse::new);
        ReadModel m = status.now();
        if (n.status() != NoticeStatus.WITHDRAWN) {
            if (!n.isPublicAt(m.now())) throw new NotFoundResponse();
            if (!n.slug().equals(match.group(2))) {
                // a changed title keeps its old addresses alive; relative, never built from the Host header
                return Rendered.of(301, Rendered.HTML, new byte[0]).withHeader("Location", lang.prefix() + n.path());
            }
        }
        return notice(lang, m, n);
    }

    /**
     * The page at the current address of a public avviso, or the 410 trace of a withdrawn one:
     * for the route above and for the static export, which has loaded every avviso at once.
     */
    public Rendered notice(Lang lang, ReadModel m, Notice n) {
        if (n.status() == NoticeStatus.WITHDRAWN) {
            return gone(lang, n.path(), "notice.withdrawn.title", "notice.withdrawn.text", n.withdrawnAt());
        }
        PageContext ctx = context(lang, n.path());
        List<Pages.AffectedService> affected = m.servicesNamedBy(n).stream()
                .map(s -> new Pages.AffectedService(s, m.status(s).state())).toList();
        List<Pages.UpdateView> updates = n.updates().stream()
                .sorted(Comparator.comparingInt((it.semaforo.notice.NoticeUpdate u) -> u.number()).reversed())
                .map(u -> new Pages.UpdateView(u, markdown.toHtml(u.body()))).toList();
        String jsonLd = JsonLd.announcement(n, affected.stream().map(Pages.AffectedService::service).toList(), config, config.zone());
        return Rendered.html(200, templates.render("notice.jte", new Pages.NoticeDetail(ctx, m.now(), n,
                markdown.toHtml(n.body()), affected, updates, n.attachments(), jsonLd))).validUntil(m.validUntil());
    }

    public Rendered archive(Lang lang, Map<String, List<String>> params) {
        ReadModel m = status.now();
        String text = param(params, "q");
        if (text.length() > 200) throw BadRequest.of("error.400.search.length", 200);
        String serviceSlug = param(params, "servizio");
        Service service = null;
        if (!serviceSlug.isEmpty()) {
            service = m.catalog().service(serviceSlug)
                    .orElseThrow(() -> BadRequest.of("error.400.service"));
        }
        String kindKey = param(params, "tipo");
        NoticeKind kind = kindKey.isEmpty() ? null : NoticeKind.fromKey(kindKey)
                .orElseThrow(() -> BadRequest.of("error.400.kind"));
        int currentYear = m.now().atZone(config.zone()).getYear();
        Integer year = null;
        String yearText = param(params, "anno");
        if (!yearText.isEmpty()) {
            if (!yearText.matches("[0-9]{4}")) throw BadRequest.of("error.400.year", String.valueOf(currentYear));
            year = Integer.parseInt(yearText);
        }
        String pageText = param(params, "pagina");
        int page = 1;
        if (!pageText.isEmpty()) {
            if (!pageText.matches("[0-9]{1,6}") || Integer.parseInt(pageText) < 1) {
                throw BadRequest.of("error.400.page");
            }
            page = Integer.parseInt(pageText);
        }
        Instant from = year == null ? null : Year.of(year).atDay(1).atStartOfDay(config.zone()).toInstant();
        Instant until = year == null ? null : Year.of(year + 1).atDay(1).atStartOfDay(config.zone()).toInstant();
        var query = new ArchiveQuery(text, kind, service == null ? null : service.id(),
                service == null ? java.util.Set.of() : m.catalog().reachableProviders(service.providerIds()),
                from, until, page, PAGE_SIZE);
        var results = notices.archive(query, m.now());
        int firstYear = notices.firstPublication(m.now()).map(t -> t.atZone(config.zone()).getYear()).orElse(currentYear);
        List<Pages.Option> years = new ArrayList<>();
        for (int y = currentYear; y >= firstYear; y--) years.add(new Pages.Option(String.valueOf(y), String.valueOf(y), year != null && y == year));
        final Service chosen = service;
        List<Pages.Option> services = m.catalog().services().stream()
                .map(s -> new Pages.Option(s.slug(), s.name(), chosen != null && s.id() == chosen.id())).toList();
        Map<String, String> kept = new LinkedHashMap<>();
        kept.put("q", text);
        kept.put("servizio", serviceSlug);
        kept.put("tipo", kindKey);
        kept.put("anno", yearText);
        String previous = page > 1 ? lang.prefix() + "/avvisi?" + archiveQuery(kept, page - 1) : null;
        String next = page < results.pages() ? lang.prefix() + "/avvisi?" + archiveQuery(kept, page + 1) : null;
        List<Pages.NoticeCard> cards = results.items().stream().map(n -> card(m, n)).toList();
        // the switcher leads to these same results in another language
        PageContext ctx = context(lang, "/avvisi", archiveQuery(kept, page).replaceFirst("&?pagina=1$", ""));
        return Rendered.html(200, templates.render("archive.jte", new Pages.Archive(ctx, m.now(), text, services,
                Pages.kindOptions(ctx, kind), years, results, cards, previous, next))).validUntil(m.validUntil());
    }

    /** A service page also changes at midnight, when its history moves by a day. */
    private Instant nextDay(ReadModel m) {
        Instant midnight = m.now().atZone(config.zone()).toLocalDate().plusDays(1).atStartOfDay(config.zone()).toInstant();
        Instant next = m.validUntil();
        return next == null || midnight.isBefore(next) ? midnight : next;
    }

    private static String archiveQuery(Map<String, String> kept, int page) {
        String query = kept.entrySet().stream().filter(e -> !e.getValue().isEmpty())
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return (query.isEmpty() ? "" : query + "&") + "pagina=" + page;
    }

    private static String param(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() || values.get(0) == null ? "" : values.get(0).strip();
    }

    public Rendered error(Lang lang, int status, String titleKey, String text) {
        return error(lang, "/", status, titleKey, text);
    }

    /** The 410 trace of what the comune took down at an instant: its text says by whom ({0}) and when ({1}). */
    private Rendered gone(Lang lang, String path, String titleKey, String textKey, Instant at) {
        PageContext ctx = context(lang, path);
        return error(lang, path, 410, titleKey, ctx.t(textKey, config.comune().name(), ctx.dateTime(at)));
    }

    /** path: where the language switcher leads, the same page in another language. */
    private Rendered error(Lang lang, String path, int status, String titleKey, String text) {
        PageContext ctx = context(lang, path);
        return Rendered.html(status, templates.render("error.jte", new Pages.Error(ctx, ctx.t(titleKey), text)));
    }

    private Pages.NoticeCard card(ReadModel m, Notice n) {
        return new Pages.NoticeCard(n, m.servicesNamedBy(n));
    }

    // ---- the static export ---------------------------------------------------------------

    /**
     * Every page in each language as its routes render it (the plain address in the language a
     * browser without Accept-Language gets), the public assets and the attachments the pages link.
     */
    @Override
    public Stream<PublicAddress> addresses(ReadModel m, List<Notice> published) {
        List<PublicAddress> all = new ArrayList<>();
        Map<String, Lang> languages = new LinkedHashMap<>();
        PREFIXES.forEach(prefix -> languages.put(prefix, language(prefix.isEmpty() ? "/" : prefix, null)));
        languages.forEach((prefix, lang) -> {
            all.add(new PublicAddress(prefix.isEmpty() ? "/" : prefix + "/", () -> home(lang)));
            all.add(new PublicAddress(prefix + "/avvisi", () -> archive(lang, Map.of())));
        });
        // an avviso's languages one after the other: its text is converted once (Markdown keeps it)
        for (Service s : m.catalog().services()) {
            languages.forEach((prefix, lang) -> all.add(new PublicAddress(prefix + s.path(), () -> service(lang, s.slug()))));
        }
        for (Notice n : published) {
            languages.forEach((prefix, lang) -> all.add(new PublicAddress(prefix + n.path(), () -> notice(lang, m, n))));
        }
        site.assets().publicAddresses().forEach(all::add);
        published.stream().filter(n -> n.isPublicAt(m.now())).flatMap(n -> n.attachments().stream())
                .forEach(a -> all.add(new PublicAddress(a.path(), () -> attachment(a.storedName()))));
        return all.stream();
    }

    // ---- files and health ---------------------------------------------------------------

    /** An attachment of a published avviso as it is served, for the route and the static export. */
    public Rendered attachment(String name) {
        if (!STORED_NAME.matcher(name).matches()) throw new NotFoundResponse();
        Optional<Attachment> found = notices.attachment(name);
        Path file = attachmentsDir.resolve(name).normalize();
        if (found.isEmpty() || !file.startsWith(attachmentsDir.normalize()) || !Files.isRegularFile(file)) {
            throw new NotFoundResponse();
        }
        Attachment a = found.get();
        String shown = FileNames.shown(a.filename());   // a name stored before format characters were removed
        String ascii = shown.replaceAll("[^A-Za-z0-9._-]", "_");
        byte[] body;
        try {
            body = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return Rendered.of(200, a.contentType(), body)
                .withHeader("Content-Disposition", "inline; filename=\"" + ascii + "\"; filename*=UTF-8''"
                        + URLEncoder.encode(shown, StandardCharsets.UTF_8).replace("+", "%20"))
                .withHeader("X-Content-Type-Options", "nosniff");
    }

    /** Usable bytes where the data directory is; -1 if the system does not say. */
    private long freeBytes() {
        try {
            return Files.getFileStore(attachmentsDir).getUsableSpace();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private void health(Context ctx) {
        boolean dbOk;
        try {
            dbOk = db.read(c -> {
                try (var st = c.createStatement(); var rs = st.executeQuery("SELECT count(*) FROM service")) {
                    return rs.next();
                }
            });
        } catch (RuntimeException e) {
            dbOk = false;
            cache.databaseFailed();   // cached pages are now served marked with the time they were true
        }
        // a disk about to fill up still serves every page but will refuse the clerks' next writes:
        // said here, so that monitoring warns the operator before a clerk meets it
        long free = freeBytes();
        boolean diskOk = free < 0 || free >= config.minFreeDiskBytes();
        String status = !dbOk ? "unavailable" : diskOk ? "ok" : "degraded";
        String body = "{\"status\":\"" + status + "\",\"database\":\"" + (dbOk ? "ok" : "error") + "\",\"disk\":\""
                + (diskOk ? "ok" : "low") + "\"" + (free < 0 ? "" : ",\"disk_free_bytes\":" + free) + "}";
        Rendered r = Rendered.json(dbOk ? 200 : 503, body);
        ctx.status(r.status()).contentType(r.contentType()).result(r.body());
    }
}
