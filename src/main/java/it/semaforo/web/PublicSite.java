package it.semaforo.web;

import it.semaforo.render.MeasurementChart;
import it.semaforo.signal.ProbeResult;
import it.semaforo.signal.ProviderReport;
import it.semaforo.signal.SignalDesk;
import it.semaforo.signal.Source;
import io.javalin.config.RoutesConfig;
import io.javalin.http.NotFoundResponse;
import it.semaforo.http.Answers;
import it.semaforo.notice.ArchiveQuery;
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
import it.semaforo.render.Rendered;
import it.semaforo.render.Lang;
import it.semaforo.render.Templates;
import it.semaforo.render.PageContext;
import it.semaforo.render.Site;
import it.semaforo.render.PublicAddress;
import it.semaforo.render.PublicOutput;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.Year;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The pages a resident reads: each one a function from the read model to bytes. */
public final class PublicSite implements PublicOutput {
    private static final Pattern NOTICE_PATH = Pattern.compile("([0-9]{1,18})(?:-(.*))?");
    private static final int PAGE_SIZE = 10;
    /** Every page at its plain address (language negotiated) and under /it, /en, /de, /ja (language chosen). */
    private static final List<String> PREFIXES = Stream.concat(Stream.of(""),
            Lang.SUPPORTED.stream().map(l -> "/" + l.getLanguage())).toList();

    private final StatusService status;
    private final NoticeRepository notices;
    private final Templates templates;
    private final Markdown markdown;
    private final Site site;
    private final Attachments attachments;
    private final Answers answers;
    private final ErrorPages errors;

    public PublicSite(StatusService status, NoticeRepository notices, Templates templates, Markdown markdown,
                      Site site, Attachments attachments, Answers answers, ErrorPages errors) {
        this.status = status;
        this.notices = notices;
        this.templates = templates;
        this.markdown = markdown;
        this.site = site;
        this.attachments = attachments;
        this.answers = answers;
        this.errors = errors;
    }

    private volatile SignalDesk signals;

    /** Signals in: what providers report and the probes' public measurements (set at assembly; none without). */
    public void signals(SignalDesk signals) {
        this.signals = signals;
    }

    private List<Pages.Reported> reported(ReadModel m, Service s) {
        SignalDesk d = signals;
        if (d == null) return List.of();
        Map<Long, ProviderReport> reports = d.reports();
        if (reports.isEmpty()) return List.of();
        Set<Long> reached = m.catalog().reachableProviders(s.providerIds());
        return m.catalog().providers().stream().filter(p -> reached.contains(p.id()) && reports.containsKey(p.id()))
                .map(p -> {
                    ProviderReport r = reports.get(p.id());
                    return new Pages.Reported(p.name(), r.text(), r.link(), r.at());
                }).toList();
    }

    /** The last 24 hours of each probe of the service whose measurements the administrator made public. */
    private List<Pages.Measured> measured(PageContext ctx, ReadModel m, Service s) {
        SignalDesk d = signals;
        if (d == null) return List.of();
        List<Pages.Measured> all = new java.util.ArrayList<>();
        for (Source p : d.sources().list()) {
            if (!p.isProbe() || !p.publicMeasurements() || !Long.valueOf(s.id()).equals(p.serviceId())) continue;
            Instant from = m.now().minus(java.time.Duration.ofDays(1));
            List<ProbeResult> results = d.sources().results(p.id(), from);
            String svg = MeasurementChart.svg(results.stream().map(r -> new MeasurementChart.Point(r.at(), r.ok(), r.latencyMs()))
                    .toList(), from, m.now(), ctx.t("service.measurements.chart", p.name()));
            ProbeResult last = results.isEmpty() ? null : results.get(results.size() - 1);
            all.add(new Pages.Measured(p.name(), svg, results.size(), (int) results.stream().filter(r -> !r.ok()).count(),
                    last == null ? null : last.at(), last != null && last.ok()));
        }
        return all;
    }

    public void routes(RoutesConfig r) {
        for (String prefix : PREFIXES) {
            r.get(prefix.isEmpty() ? "/" : prefix, ctx -> answers.cached(ctx, this::home));   // "/en" also answers "/en/"
            // what a rendering needs from the request is read first: the cache renders it again later
            r.get(prefix + "/servizi/{slug}", ctx -> {
                String slug = ctx.pathParam("slug");
                answers.cached(ctx, lang -> service(lang, slug));
            });
            r.get(prefix + "/avvisi", ctx -> {
                Map<String, List<String>> query = ctx.queryParamMap();
                answers.cached(ctx, lang -> archive(lang, query));
            });
            r.get(prefix + "/avvisi/{ref}", ctx -> {
                String ref = ctx.pathParam("ref");
                answers.cached(ctx, lang -> notice(lang, ref));
            });
        }
        AssetRoutes.routes(r, site.assets());
    }

    /**
     * Renders the home page in the site's language into the cache, as a browser without
     * Accept-Language gets it: run beside the server's start, so that the first resident after
     * a restart does not wait for a first rendering (templates, read model) on a cold JVM.
     */
    public void warmUp() {
        answers.warm("/", this::home);
    }

    PageContext context(Lang lang, String path) {
        return context(lang, path, "");
    }

    PageContext context(Lang lang, String path, String query) {
        return PageContext.of(site, lang, path, query);
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
        PageContext ctx = context(lang, s.path());
        List<Pages.Measured> measured = measured(ctx, m, s);
        // public measurements change without any event: the cached page is rendered again after a minute
        Instant until = m.validUntil();
        if (!measured.isEmpty()) {
            Instant soon = m.now().plusSeconds(60);
            if (until == null || soon.isBefore(until)) until = soon;
        }
        return Rendered.html(200, templates.render("service.jte", new Pages.ServiceDetail(ctx,
                m.now(), s, m.status(s), cards, history, operationalDays, reported(m, s), measured)))
                .validUntil(until);
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
            return errors.gone(lang, n.path(), "notice.withdrawn.title", "notice.withdrawn.text", n.withdrawnAt());
        }
        PageContext ctx = context(lang, n.path());
        List<Pages.AffectedService> affected = m.servicesNamedBy(n).stream()
                .map(s -> new Pages.AffectedService(s, m.status(s).state())).toList();
        List<Pages.UpdateView> updates = n.updates().stream()
                .sorted(Comparator.comparingInt((it.semaforo.notice.NoticeUpdate u) -> u.number()).reversed())
                .map(u -> new Pages.UpdateView(u, markdown.toHtml(u.body()))).toList();
        String jsonLd = JsonLd.announcement(n, affected.stream().map(Pages.AffectedService::service).toList(), site);
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
        int currentYear = m.now().atZone(site.zone()).getYear();
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
        Instant from = year == null ? null : Year.of(year).atDay(1).atStartOfDay(site.zone()).toInstant();
        Instant until = year == null ? null : Year.of(year + 1).atDay(1).atStartOfDay(site.zone()).toInstant();
        var query = new ArchiveQuery(text, kind, service == null ? null : service.id(),
                service == null ? java.util.Set.of() : m.catalog().reachableProviders(service.providerIds()),
                from, until, page, PAGE_SIZE);
        var results = notices.archive(query, m.now());
        int firstYear = notices.firstPublication(m.now()).map(t -> t.atZone(site.zone()).getYear()).orElse(currentYear);
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
        PREFIXES.forEach(prefix -> languages.put(prefix, answers.language(prefix.isEmpty() ? "/" : prefix, null)));
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
                .forEach(a -> all.add(new PublicAddress(a.path(), () -> attachments.attachment(a.storedName()))));
        return all.stream();
    }
}
