package it.semaforo.web;

import it.semaforo.render.MeasurementChart;
import it.semaforo.signal.ProbeResult;
import it.semaforo.signal.ProbePeriod;
import it.semaforo.signal.ProbeSummary;
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
import it.semaforo.status.ModelMemo;
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
    private List<Pages.Measured> measured(SignalDesk d, Map<Source, List<ProbePeriod>> periods) {
        List<Pages.Measured> all = new java.util.ArrayList<>();
        periods.forEach((p, slices) -> {
            ProbeSummary summary = ProbeSummary.of(slices);
            ProbeResult last = d.sources().last(p.id()).orElse(null);
            all.add(new Pages.Measured(p.name(), summary.measured(), summary.failed(), summary.meanMillis(),
                    last == null ? null : last.at(), last != null && last.ok()));
        });
        return all;
    }

    private static final java.time.Duration DAY = java.time.Duration.ofDays(1);
    /** The last 24 hours in slices of 10 minutes, as the clerks' chart draws them. */
    private static final int SLICES = 144;

    private List<Source> publicProbes(SignalDesk d, Service s) {
        return d == null ? List.of() : d.sources().list().stream()
                .filter(p -> p.isProbe() && p.publicMeasurements() && Long.valueOf(s.id()).equals(p.serviceId())).toList();
    }

    /** Each public probe's last 24 hours, in slices: read once for the summaries and the chart. */
    private Map<Source, List<ProbePeriod>> periods(SignalDesk d, List<Source> probes, Instant now) {
        Map<Source, List<ProbePeriod>> all = new LinkedHashMap<>();
        for (Source p : probes) all.put(p, d.sources().periods(p.id(), now.minus(DAY), now.plusMillis(1), SLICES));
        return all;
    }

    /** The chart of the public probes: one lane each, the last 24 hours. */
    private String measuredChart(PageContext ctx, Map<Source, List<ProbePeriod>> periods, Instant now) {
        List<MeasurementChart.Lane> lanes = periods.entrySet().stream().map(e -> new MeasurementChart.Lane(e.getKey().name(),
                e.getValue().stream().map(x -> new MeasurementChart.Slice(
                        x.from(), x.to(), x.measured(), x.failed(), x.meanMillis(), x.slowestMillis())).toList())).toList();
        int measured = lanes.stream().flatMap(l -> l.slices().stream()).mapToInt(MeasurementChart.Slice::measured).sum();
        int failed = lanes.stream().flatMap(l -> l.slices().stream()).mapToInt(MeasurementChart.Slice::failed).sum();
        return MeasurementChart.svg("measured-chart", lanes, now.minus(DAY), now, MeasurementChart.Words.of(ctx,
                "service.measurements", ctx.t("service.measurements.chart.title"), lanes.size(), measured, failed));
    }

    public void routes(RoutesConfig r) {
        for (String prefix : PREFIXES) {
            r.get(prefix.isEmpty() ? "/" : prefix, ctx -> answers.cached(ctx, this::home));   // "/en" also answers "/en/"
            // what a rendering needs from the request is read first: the cache renders it again later
            r.get(prefix + "/servizi/{slug}", ctx -> {
                String slug = ctx.pathParam("slug");
                answers.cached(ctx, lang -> service(lang, slug));
            });
            // the archive: filters and page in the path (a static copy serves them unchanged); the
            // query-string forms (the search form, old links) are checked, then sent to that address
            r.get(prefix + "/avvisi", ctx -> {
                Map<String, List<String>> query = ctx.queryParamMap();
                ArchiveAddress a = ArchiveAddress.of(query);
                if (!query.keySet().stream().allMatch("q"::equals) || (query.containsKey("q") && a.text().isEmpty())) {
                    movedTo(ctx, prefix, a.normal());
                    return;
                }
                answers.cached(ctx, lang -> archive(lang, a));
            });
            for (String route : ArchiveAddress.routes()) {
                r.get(prefix + route, ctx -> {
                    Map<String, List<String>> params = new LinkedHashMap<>(ctx.queryParamMap());
                    ctx.pathParamMap().forEach((name, value) -> params.put(name, List.of(value)));
                    ArchiveAddress a = ArchiveAddress.of(params);
                    // a filter in the query string as well, or a page with leading zeros: one address per page
                    if (!ctx.queryParamMap().keySet().stream().allMatch("q"::equals) || !a.equals(a.normal())) {
                        movedTo(ctx, prefix, a.normal());
                        return;
                    }
                    answers.cached(ctx, lang -> archive(lang, a));
                });
            }
            r.get(prefix + "/avvisi/{ref}", ctx -> {
                String ref = ctx.pathParam("ref");
                answers.cached(ctx, lang -> notice(lang, ref));
            });
        }
        // for search engines, in the site's language: the plain addresses clerks and feeds publish
        r.get("/sitemap.xml", ctx -> answers.cachedInSiteLanguage(ctx, l -> sitemap()));
        r.get("/sitemap/{file}", ctx -> {
            String file = ctx.pathParam("file");
            answers.cachedInSiteLanguage(ctx, l -> sitemapFile(file));
        });
        r.get("/robots.txt", ctx -> answers.cachedInSiteLanguage(ctx, l -> robots()));
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
        List<Notice> inForce = m.inForce();
        List<Notice> upcomingNotices = inForce.stream().filter(m::isUpcoming)
                .sorted(Comparator.comparing(Notice::windowStart)).toList();
        Map<Long, Notice> planned = plannedByService(m, upcomingNotices);
        List<Pages.GroupLines> groups = m.catalog().groups().stream()
                .map(g -> new Pages.GroupLines(g, m.catalog().servicesOf(g).stream()
                        .map(s -> new Pages.ServiceLine(s, m.status(s), planned.get(s.id()))).toList()))
                .filter(g -> !g.services().isEmpty())
                .toList();
        Map<Long, Notice> byId = inForce.stream().collect(Collectors.toMap(Notice::id, n -> n));
        List<Pages.Attention> attention = groups.stream().flatMap(g -> g.services().stream())
                .filter(l -> l.status().state() != ServiceState.OPERATIONAL)
                .map(l -> new Pages.Attention(l.service(), l.status(), instead(l.service()), until(l.status(), byId)))
                .toList();
        List<Notice> now = inForce.stream().filter(n -> !m.isUpcoming(n)).toList();
        List<Pages.NoticeCard> pinned = now.stream().filter(Pages::isPinned).map(n -> card(m, n)).toList();
        List<Pages.NoticeCard> cards = now.stream().filter(n -> !Pages.isPinned(n)).map(n -> card(m, n)).toList();
        List<Pages.NoticeCard> upcoming = upcomingNotices.stream().map(n -> card(m, n)).toList();
        return Rendered.html(200, templates.render("home.jte", new Pages.Home(ctx, m.now(), m.overall(),
                m.catalog().services().size(), attention, pinned, cards, upcoming, groups))).validUntil(m.validUntil());
    }

    /** For each service, the first maintenance to come that names it. */
    private static Map<Long, Notice> plannedByService(ReadModel m, List<Notice> upcomingByStart) {
        Map<Long, Notice> planned = new java.util.HashMap<>();
        for (Notice n : upcomingByStart) {
            for (Service s : m.servicesNamedBy(n)) planned.putIfAbsent(s.id(), n);
        }
        return planned;
    }

    /** What a resident can use while the service is not fully working: its first channel that is not the online one. */
    private static it.semaforo.service.Channel instead(Service s) {
        return s.channels().stream().filter(c -> c.kind() != it.semaforo.service.ChannelKind.ONLINE).findFirst().orElse(null);
    }

    /**
     * Until when the state holds, as far as the avvisi imposing it say: the latest end of their
     * windows or of their force; null when one of them is open-ended.
     */
    private static Instant until(it.semaforo.status.ServiceStatus st, Map<Long, Notice> byId) {
        Instant until = null;
        for (long id : st.noticeIds()) {
            Notice n = byId.get(id);
            if (n == null) return null;
            Instant end = n.windowEnd() != null ? n.windowEnd() : n.endOfForce();
            if (end == null) return null;
            if (until == null || end.isAfter(until)) until = end;
        }
        return until;
    }

    public Rendered service(Lang lang, String slug) {
        ReadModel m = status.now();
        Service s = m.catalog().service(slug).orElseThrow(NotFoundResponse::new);
        List<DayStatus> history = m.history(s);
        int operationalDays = (int) history.stream().filter(d -> d.worst() == ServiceState.OPERATIONAL).count();
        List<Notice> mine = m.inForceFor(s);
        Notice planned = mine.stream().filter(m::isUpcoming).min(Comparator.comparing(Notice::windowStart)).orElse(null);
        List<Pages.NoticeCard> cards = mine.stream().map(n -> card(m, n)).toList();
        PageContext ctx = context(lang, s.path());
        SignalDesk d = signals;
        List<Source> probes = publicProbes(d, s);
        Map<Source, List<ProbePeriod>> periods = probes.isEmpty() ? Map.of() : periods(d, probes, m.now());
        List<Pages.Measured> measured = measured(d, periods);
        String chart = probes.isEmpty() ? null : measuredChart(ctx, periods, m.now());
        // public measurements change without any event: the cached page is rendered again after a minute
        Instant until = m.validUntil();
        if (!measured.isEmpty()) {
            Instant soon = m.now().plusSeconds(60);
            if (until == null || soon.isBefore(until)) until = soon;
        }
        return Rendered.html(200, templates.render("service.jte", new Pages.ServiceDetail(ctx,
                m.now(), s, m.status(s), planned, cards, history, operationalDays, reported(m, s), measured, chart)))
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
        // the same in every language: the static copies render an avviso's five pages one after the other
        String jsonLd = announcements.get(m, new Same(n), k -> JsonLd.announcement(n, affected.stream().map(Pages.AffectedService::service).toList(), site));
        return Rendered.html(200, templates.render("notice.jte", new Pages.NoticeDetail(ctx, m.now(), n,
                markdown.toHtml(n.body()), affected, updates, n.downloads(), jsonLd))).validUntil(m.validUntil());
    }

    /** An avviso's JSON-LD for a model, by the very avviso read (its services are the model's). */
    private final ModelMemo<Same, String> announcements = new ModelMemo<>(16);

    /** An avviso as a key by identity: the export's five pages of it share one; a request reads its own. */
    private record Same(Notice notice) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Same s && s.notice == notice;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(notice.id());
        }
    }

    public Rendered archive(Lang lang, Map<String, List<String>> params) {
        return archive(lang, ArchiveAddress.of(params));
    }

    /** A valid archive address in the query-string form answers 301 with its path form (relative). */
    private void movedTo(io.javalin.http.Context ctx, String prefix, ArchiveAddress a) {
        check(status.now(), a);   // a bad value is a 400 here, as on the path form
        ctx.status(301).header("Location", prefix + a.link());
    }

    /** The checked filters of an archive address, as the list to read; page 0 is the list's landing. */
    private record Checked(ArchiveQuery query, Service service, NoticeKind kind, Integer year, int page) {
    }

    private Checked check(ReadModel m, ArchiveAddress a) {
        String text = a.text();
        if (text.length() > 200) throw BadRequest.of("error.400.search.length", 200);
        Service service = null;
        if (!a.service().isEmpty()) {
            service = m.catalog().service(a.service()).orElseThrow(() -> BadRequest.of("error.400.service"));
        }
        NoticeKind kind = a.kind().isEmpty() ? null : NoticeKind.fromKey(a.kind())
                .orElseThrow(() -> BadRequest.of("error.400.kind"));
        int currentYear = m.now().atZone(site.zone()).getYear();
        Integer year = null;
        if (!a.year().isEmpty()) {
            if (!a.year().matches("[0-9]{4}")) throw BadRequest.of("error.400.year", String.valueOf(currentYear));
            year = Integer.parseInt(a.year());
        }
        int page = 0;
        if (!a.page().isEmpty()) {
            if (!a.page().matches("[0-9]{1,6}") || Integer.parseInt(a.page()) < 1) throw BadRequest.of("error.400.page");
            page = Integer.parseInt(a.page());
        }
        Instant from = year == null ? null : Year.of(year).atDay(1).atStartOfDay(site.zone()).toInstant();
        Instant until = year == null ? null : Year.of(year + 1).atDay(1).atStartOfDay(site.zone()).toInstant();
        var query = new ArchiveQuery(text, kind, service == null ? null : service.id(),
                service == null ? java.util.Set.of() : m.catalog().reachableProviders(service.providerIds()),
                from, until);
        return new Checked(query, service, kind, year, page);
    }

    /**
     * A page of the archive. Numbered pages hold the places of their list from the oldest, ten
     * each (NoticeRepository.ArchiveList), newest first on the page: page n shows the same avvisi
     * whatever is published after them, so a publication alters only the newest numbered page
     * and the landing. The landing shows the newest page, with the one before it while the newest
     * is not full (never fewer than ten when there are ten), and how many avvisi the list has;
     * numbered pages say neither their number of pages nor a total, which every publication
     * would change. Each page links the more recent and the older one.
     */
    Rendered archive(Lang lang, ArchiveAddress a) {
        ReadModel m = status.now();
        Checked c = check(m, a);
        int page = c.page();
        var list = archiveMemo.list(m, c.query());
        int pages = pages(list.slots());
        if (page > pages) throw new NotFoundResponse();   // beyond the last page: no such page
        int from;
        int to;
        String newer = null;
        String older = null;
        if (page == 0) {
            int first = landingFirstPage(list.slots());
            from = first == 0 ? 0 : (first - 1) * PAGE_SIZE;
            to = list.slots();
            if (first > 1) older = lang.prefix() + a.onPage(first - 1).link();
        } else {
            from = (page - 1) * PAGE_SIZE;
            to = Math.min(list.slots(), page * PAGE_SIZE);
            if (page > 1) older = lang.prefix() + a.onPage(page - 1).link();
            if (page < pages) newer = lang.prefix() + a.onPage(page + 1).link();
        }
        List<Notice> items = archiveMemo.items(m, c.query(), list, from, to);
        int currentYear = m.now().atZone(site.zone()).getYear();
        int firstYear = archiveMemo.firstPublication(m).map(t -> t.atZone(site.zone()).getYear()).orElse(currentYear);
        // the search form on a landing and on any page of a text search; a numbered page names its
        // filters and links their landing instead (the form's select of every service, page after page,
        // would be most of the archive's bytes)
        boolean form = page == 0 || !a.text().isEmpty();
        List<Pages.Option> years = new ArrayList<>();
        for (int y = currentYear; y >= firstYear; y--) {
            boolean selected = c.year() != null && y == c.year();
            if (form || selected) years.add(new Pages.Option(String.valueOf(y), String.valueOf(y), selected));
        }
        List<Pages.Option> services = form ? m.catalog().services().stream()
                .map(s -> new Pages.Option(s.slug(), s.name(), c.service() != null && s.id() == c.service().id())).toList()
                : c.service() == null ? List.of() : List.of(new Pages.Option(c.service().slug(), c.service().name(), true));
        // the switcher leads to these same results in another language
        PageContext ctx = context(lang, a.onPage(page).path(), a.query());
        Pages.Cards kept = new Pages.Cards() {
            @Override
            public gg.jte.Content of(Notice n, gg.jte.Content part) {
                byte[] bytes = cards.get(m, new CardKey(lang, n.id()), k -> Templates.bytes(part));
                return out -> out.writeBinaryContent(bytes);
            }

            @Override
            public Pages.NoticeCard card(Notice n) {
                return PublicSite.this.card(m, n);
            }
        };
        return Rendered.html(200, templates.render("archive.jte", new Pages.Archive(ctx, m.now(), a.text(), services,
                Pages.kindOptions(ctx, c.kind()), years, page, page == 0 ? list.shownCount() : null, items, kept, newer,
                older, form ? null : lang.prefix() + a.landing().link())))
                .validUntil(m.validUntil());
    }

    /**
     * The archive's cards of the current read model, by language and avviso (Pages.Cards): a card
     * is the same on each of its lists' pages. 16 MB hold some 8,000 cards: the static copies
     * render the archive's pages in the order of their avvisi's dates (archiveAddresses), so a
     * card is mostly asked for again before it goes (three times in four on the large comune).
     */
    private record CardKey(Lang lang, long notice) {
    }

    private static final long CARD_BYTES = 16L << 20;
    private final ModelMemo<CardKey, byte[]> cards = new ModelMemo<>(CARD_BYTES, b -> b.length);

    /** How many numbered pages a list of so many places has (none when empty). */
    private static int pages(int slots) {
        return (slots + PAGE_SIZE - 1) / PAGE_SIZE;
    }

    /** The oldest numbered page the landing shows: the newest, or the one before while the newest is not full. */
    private static int landingFirstPage(int slots) {
        int pages = pages(slots);
        return pages <= 1 || slots % PAGE_SIZE == 0 ? pages : pages - 1;
    }

    /**
     * Every page of the archive, unfiltered and by each service, kind and year (not their
     * combinations, which only the live server answers), in one language: what the static copy holds.
     */
    private List<ArchiveAddress> archiveAddresses(ReadModel m) {
        List<ArchiveAddress> landings = new ArrayList<>();
        landings.add(ArchiveAddress.of(null, null, null, 0));
        m.catalog().services().forEach(s -> landings.add(ArchiveAddress.of(s.slug(), null, null, 0)));
        for (NoticeKind k : NoticeKind.values()) landings.add(ArchiveAddress.of(null, k.key(), null, 0));
        int currentYear = m.now().atZone(site.zone()).getYear();
        int firstYear = archiveMemo.firstPublication(m).map(t -> t.atZone(site.zone()).getYear()).orElse(currentYear);
        for (int y = currentYear; y >= firstYear; y--) landings.add(ArchiveAddress.of(null, null, String.valueOf(y), 0));
        record Numbered(ArchiveAddress address, Instant newest) {
        }
        List<Numbered> numbered = new ArrayList<>();
        for (ArchiveAddress landing : landings) {
            var list = archiveMemo.list(m, check(m, landing).query());
            for (int p = pages(list.slots()); p >= 1; p--) {
                long newest = list.ids()[Math.min(list.slots(), p * PAGE_SIZE) - 1];
                numbered.add(new Numbered(landing.onPage(p), archiveMemo.publishedAt(m, newest)));
            }
        }
        // every list's pages by their newest avviso's publication, the newest first: a card is on some
        // ten lists, and their pages holding it come close together in this order (the cards' memo)
        numbered.sort(Comparator.comparing(Numbered::newest, Comparator.nullsLast(Comparator.reverseOrder())));
        List<ArchiveAddress> all = new ArrayList<>(landings);
        numbered.forEach(n -> all.add(n.address()));
        return all;
    }

    /**
     * The archive's pages a change can alter, in each list its avvisi are in (unfiltered, their
     * kind, their year, each service they name): the page that shows each, and the list's
     * landing when it shows it or when the avviso entered or left the list (its count). An avviso
     * that entered a list (published, or a service named by an update: conservatively, every
     * service an update named) also alters the pages after its own, which are none when it is
     * the newest, and the page before its own when it opens a page (that page gains its link to
     * the more recent one). A withdrawn avviso keeps its place: only its own page changes.
     */
    private List<ArchiveAddress> archiveAddresses(ReadModel m, it.semaforo.render.PublicChange change) {
        java.util.LinkedHashSet<ArchiveAddress> all = new java.util.LinkedHashSet<>();
        for (Notice n : change.notices()) {
            boolean moved = change.moved().contains(n.id());
            if (!moved && !change.altered().contains(n.id())) continue;
            if (n.publishedAt() == null || !holdsPlace(n, m.now())) continue;
            boolean entered = moved && n.status() == NoticeStatus.PUBLISHED;
            Set<Long> byUpdates = n.status() == NoticeStatus.PUBLISHED ? namedByUpdates(m, n) : Set.of();
            List<ArchiveAddress> lists = new ArrayList<>();
            List<Boolean> joined = new ArrayList<>();
            lists.add(ArchiveAddress.of(null, null, null, 0));
            lists.add(ArchiveAddress.of(null, n.kind().key(), null, 0));
            lists.add(ArchiveAddress.of(null, null, String.valueOf(n.publishedAt().atZone(site.zone()).getYear()), 0));
            lists.forEach(l -> joined.add(entered));
            for (Service s : m.servicesNamedBy(n)) {
                lists.add(ArchiveAddress.of(s.slug(), null, null, 0));
                joined.add(entered || byUpdates.contains(s.id()));
            }
            for (int i = 0; i < lists.size(); i++) {
                ArchiveAddress landing = lists.get(i);
                ArchiveQuery q = check(m, landing).query();
                var list = archiveMemo.list(m, q);
                int slots = list.slots();
                int position = list.position(n.id());
                if (position < 0) continue;
                int page = position / PAGE_SIZE + 1;
                int last = joined.get(i) ? pages(slots) : page;
                if (joined.get(i) && position % PAGE_SIZE == 0 && page > 1) all.add(landing.onPage(page - 1));
                for (int p = page; p <= last; p++) all.add(landing.onPage(p));
                if (moved || joined.get(i) || page >= landingFirstPage(slots)) all.add(landing);
            }
        }
        return new ArrayList<>(all);
    }

    /** Whether an avviso has a place in the archive's lists: public by now, or withdrawn after it was public. */
    private static boolean holdsPlace(Notice n, Instant now) {
        if (n.status() == NoticeStatus.WITHDRAWN) return n.withdrawnAt() != null && !n.publishedAt().isAfter(n.withdrawnAt());
        return n.isPublicAt(now);
    }

    /** The services an avviso names through its updates alone, not through its first impacts. */
    private static Set<Long> namedByUpdates(ReadModel m, Notice n) {
        if (n.impacts().stream().noneMatch(i -> i.updateId() != null)) return Set.of();
        Set<Long> all = m.servicesNamedBy(n).stream().map(Service::id).collect(Collectors.toSet());
        Notice first = n.withImpacts(n.impacts().stream().filter(i -> i.updateId() == null).toList());
        m.servicesNamedBy(first).forEach(s -> all.remove(s.id()));
        return all;
    }

    private final ArchiveMemo archiveMemo = new ArchiveMemo();

    /**
     * The archive's lists (their places, read whole in one query) and pages for one read model.
     * The static copies render every page of a list in five languages, one language after the
     * other: each list is read once and each page loaded once, not a query per page and language. A new model (any change) starts afresh; a
     * text search, which only the live server answers, is never kept.
     */
    private final class ArchiveMemo {
        private record Stretch(ArchiveQuery list, int from, int to) {
        }

        // every list of a full listing, whose pages come in the order of their dates (archiveAddresses):
        // a list's places are 8 bytes each, some 1.7 MB for the large comune's 315 lists
        private final ModelMemo<ArchiveQuery, NoticeRepository.ArchiveList> lists = new ModelMemo<>(32L << 20,
                l -> 64 + 8L * l.slots());
        private final ModelMemo<Stretch, List<Notice>> pages = new ModelMemo<>(64);
        private final ModelMemo<Boolean, java.util.Optional<Instant>> firstPublication = new ModelMemo<>(1);

        /** Every public avviso of a model, loaded by a full listing (the export, a full pass of the mirror). */
        private record Known(ReadModel model, Map<Long, Notice> byId) {
        }

        private volatile Known known;

        /**
         * The avvisi a full listing loaded for m: its archive pages take theirs from them, not a
         * query per page (some 13,000 pages of ten on the large comune).
         */
        void know(ReadModel m, List<Notice> all) {
            Map<Long, Notice> byId = new java.util.HashMap<>(all.size() * 2);
            all.forEach(n -> byId.put(n.id(), n));
            known = new Known(m, byId);
        }

        /** The first publication of any avviso in the archive: the years' filter of every page, read once per model. */
        java.util.Optional<Instant> firstPublication(ReadModel m) {
            return firstPublication.get(m, Boolean.TRUE, k -> notices.firstPublication(m.now()));
        }

        /** When an avviso a full listing loaded was published; null for another (the order of the pages then stays). */
        Instant publishedAt(ReadModel m, long id) {
            Known kept = known;
            Notice n = kept == null || kept.model() != m ? null : kept.byId().get(id);
            return n == null ? null : n.publishedAt();
        }

        NoticeRepository.ArchiveList list(ReadModel m, ArchiveQuery q) {
            if (searching(q)) return notices.archiveList(q, m.now());
            return lists.get(m, q, k -> notices.archiveList(k, m.now()));
        }

        List<Notice> items(ReadModel m, ArchiveQuery q, NoticeRepository.ArchiveList list, int from, int to) {
            if (searching(q)) return notices.archiveNotices(list.shownIds(from, to));
            Known kept = known;
            if (kept != null && kept.model() != m) known = null;   // an older model's avvisi: not kept past it
            else if (kept != null) {
                List<Long> ids = list.shownIds(from, to);
                List<Notice> found = new ArrayList<>(ids.size());
                for (long id : ids) {
                    Notice n = kept.byId().get(id);
                    if (n == null) break;
                    found.add(n);
                }
                if (found.size() == ids.size()) return found;
            }
            return pages.get(m, new Stretch(q, from, to), k -> notices.archiveNotices(list.shownIds(from, to)));
        }

        private static boolean searching(ArchiveQuery q) {
            return q.text() != null && !q.text().isBlank();
        }
    }

    private static final Set<String> ARCHIVE_TOPICS = Set.of(PublicAddress.ARCHIVE);

    private Pages.NoticeCard card(ReadModel m, Notice n) {
        return new Pages.NoticeCard(n, m.servicesNamedBy(n));
    }

    // ---- for search engines ---------------------------------------------------------------

    private static final String SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9";
    /** The avvisi of one numbered sitemap: places of the archive from the oldest, so older ones never change. */
    static final int SITEMAP_SIZE = 1000;
    static final String SITEMAP_PAGES = "/sitemap/pagine.xml";
    private static final String SITEMAP_NOTICES = "/sitemap/avvisi-";
    private static final java.util.regex.Pattern SITEMAP_FILE = java.util.regex.Pattern.compile("avvisi-([1-9][0-9]{0,8})\\.xml");

    /** The archive's places as the sitemaps list them, read once per read model (the index and its sitemaps share them). */
    private final ModelMemo<ReadModel, List<NoticeRepository.SitemapPlace>> sitemapPlaces = new ModelMemo<>(1);

    private List<NoticeRepository.SitemapPlace> sitemapPlaces(ReadModel m) {
        return sitemapPlaces.get(m, m, k -> notices.sitemapPlaces(m.now()));
    }

    /** How many numbered sitemaps of avvisi there are (none while nothing is published). */
    private static int sitemapCount(int places) {
        return (places + SITEMAP_SIZE - 1) / SITEMAP_SIZE;
    }

    /**
     * The sitemap index (sitemaps.org): the sitemap of the home page, the archive and the
     * services, then the numbered sitemaps of the avvisi, each with its latest lastmod. The
     * avvisi are split by their places in the archive from the oldest (SITEMAP_SIZE each, a
     * withdrawn one keeping its place unlisted), so a publication changes only this index and
     * the newest numbered sitemap (and the first, whose services' lastmod move), not a file of
     * every avviso.
     */
    public Rendered sitemap() {
        ReadModel m = status.now();
        List<NoticeRepository.SitemapPlace> places = sitemapPlaces(m);
        it.semaforo.render.Xml x = new it.semaforo.render.Xml();
        x.start("sitemapindex").defaultNamespace(SITEMAP_NS).newline();
        sitemapIndexEntry(x, SITEMAP_PAGES, latest(m, places));
        for (int k = 1; k <= sitemapCount(places.size()); k++) {
            Instant last = null;
            for (var p : slice(places, k)) {
                if (p.shown() && p.lastChange() != null && (last == null || p.lastChange().isAfter(last))) last = p.lastChange();
            }
            // a sitemap whose places were all withdrawn would be an empty urlset, which the schema refuses: left out (404)
            if (last != null) sitemapIndexEntry(x, SITEMAP_NOTICES + k + ".xml", last);
        }
        x.end();
        return Rendered.of(200, "application/xml; charset=utf-8", x.finish()).validUntil(m.validUntil());
    }

    /** The sitemap of the pages that are not an avviso's: the home page, the archive, every service. */
    public Rendered sitemapPages() {
        ReadModel m = status.now();
        List<NoticeRepository.SitemapPlace> places = sitemapPlaces(m);
        Instant latest = latest(m, places);
        Map<Long, Instant> byService = new java.util.HashMap<>();
        for (var p : places) {
            if (!p.shown() || p.lastChange() == null) continue;
            Set<Long> named = new java.util.HashSet<>();
            for (long id : p.serviceIds()) if (m.catalog().service(id).isPresent()) named.add(id);
            for (long id : p.providerIds()) named.addAll(m.catalog().servicesDependingOn(id));
            for (long id : named) byService.merge(id, p.lastChange(), (a, b) -> a.isAfter(b) ? a : b);
        }
        it.semaforo.render.Xml x = new it.semaforo.render.Xml();
        x.start("urlset").defaultNamespace(SITEMAP_NS).newline();
        sitemapEntry(x, "/", latest);
        sitemapEntry(x, "/avvisi", latest);
        for (Service s : m.catalog().services()) sitemapEntry(x, s.path(), byService.getOrDefault(s.id(), latest));
        x.end();
        return Rendered.of(200, "application/xml; charset=utf-8", x.finish()).validUntil(m.validUntil());
    }

    /** The k-th sitemap of avvisi (from 1): the public avvisi of its places, oldest first. */
    public Rendered sitemapNotices(int k) {
        ReadModel m = status.now();
        List<NoticeRepository.SitemapPlace> places = sitemapPlaces(m);
        if (k < 1 || k > sitemapCount(places.size())) throw new NotFoundResponse();
        if (slice(places, k).stream().noneMatch(p -> p.shown() && p.lastChange() != null)) throw new NotFoundResponse();
        it.semaforo.render.Xml x = new it.semaforo.render.Xml();
        x.start("urlset").defaultNamespace(SITEMAP_NS).newline();
        for (var p : slice(places, k)) {
            if (p.shown()) sitemapEntry(x, p.path(), p.lastChange());
        }
        x.end();
        return Rendered.of(200, "application/xml; charset=utf-8", x.finish()).validUntil(m.validUntil());
    }

    private Rendered sitemapFile(String file) {
        if (file.equals(SITEMAP_PAGES.substring("/sitemap/".length()))) return sitemapPages();
        java.util.regex.Matcher match = SITEMAP_FILE.matcher(file);
        if (!match.matches()) throw new NotFoundResponse();
        return sitemapNotices(Integer.parseInt(match.group(1)));
    }

    private static List<NoticeRepository.SitemapPlace> slice(List<NoticeRepository.SitemapPlace> places, int k) {
        int from = Math.min(places.size(), (k - 1) * SITEMAP_SIZE);
        return places.subList(from, Math.min(places.size(), k * SITEMAP_SIZE));
    }

    /** The latest change of any public avviso, or now when there is none. */
    private static Instant latest(ReadModel m, List<NoticeRepository.SitemapPlace> places) {
        return places.stream().filter(NoticeRepository.SitemapPlace::shown).map(NoticeRepository.SitemapPlace::lastChange)
                .filter(java.util.Objects::nonNull).max(Comparator.naturalOrder()).orElse(m.now());
    }

    private void sitemapEntry(it.semaforo.render.Xml x, String path, Instant lastModified) {
        x.start("url").element("loc", site.baseUrl() + path)
                .element("lastmod", java.time.format.DateTimeFormatter.ISO_INSTANT.format(lastModified.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)))
                .end().newline();
    }

    private void sitemapIndexEntry(it.semaforo.render.Xml x, String path, Instant lastModified) {
        x.start("sitemap").element("loc", site.baseUrl() + path);
        if (lastModified != null) {
            x.element("lastmod", java.time.format.DateTimeFormatter.ISO_INSTANT.format(lastModified.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
        }
        x.end().newline();
    }

    /** The numbered sitemaps a change alters: the one of each avviso it is about (its lastmod, or a new place). */
    private Set<Integer> sitemapsReached(ReadModel m, it.semaforo.render.PublicChange change) {
        Set<Integer> reached = new java.util.TreeSet<>();
        for (Notice n : change.notices()) {
            if (!change.altered().contains(n.id()) && !change.moved().contains(n.id())) continue;
            // the sitemaps' places are the unfiltered archive list's, which the archive's pages have read already
            int position = archiveMemo.list(m, check(m, ArchiveAddress.of(null, null, null, 0)).query()).position(n.id());
            if (position >= 0) reached.add(position / SITEMAP_SIZE + 1);
        }
        return reached;
    }

    /**
     * The numbered sitemap that lists each avviso of ids with a place in the archive: the
     * mirror's manifest groups an avviso's files by it too (export.Mirror#part).
     */
    public Map<Long, Integer> sitemapNumbers(Set<Long> ids) {
        List<NoticeRepository.SitemapPlace> places = sitemapPlaces(status.now());   // the very places slice() numbers
        Map<Long, Integer> numbers = new java.util.HashMap<>();
        for (int i = 0; i < places.size(); i++) {
            long id = places.get(i).id();
            if (ids.contains(id)) numbers.put(id, i / SITEMAP_SIZE + 1);
        }
        return numbers;
    }

    /** When an avviso's page last changed: its latest numbered update or edit. */
    private static Instant lastChange(Notice n) {
        Instant t = n.lastUpdatedAt();
        return n.updatedAt() != null && (t == null || n.updatedAt().isAfter(t)) ? n.updatedAt() : t;
    }

    /** Crawlers may read every public page, not the clerks' area; the sitemap says where they are. */
    public Rendered robots() {
        String text = "User-agent: *\nDisallow: /admin\n\nSitemap: " + site.baseUrl() + "/sitemap.xml\n";
        return Rendered.of(200, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    // ---- the static export ---------------------------------------------------------------

    /**
     * Every page in each language as its routes render it (the plain address in the language a
     * browser without Accept-Language gets), the public assets and the attachments the pages link.
     */
    @Override
    public Stream<PublicAddress> addresses(ReadModel m, List<Notice> published) {
        archiveMemo.know(m, published);
        return addresses(m, published, archiveAddresses(m), allSitemaps(m)).stream();
    }

    private List<Integer> allSitemaps(ReadModel m) {
        List<Integer> all = new ArrayList<>();
        for (int k = 1; k <= sitemapCount(sitemapPlaces(m).size()); k++) all.add(k);
        return all;
    }

    /** What a change reaches: its avvisi's pages and attachments, the pages its topics name, and the archive's pages it alters. */
    @Override
    public Stream<PublicAddress> changed(ReadModel m, it.semaforo.render.PublicChange change) {
        List<ArchiveAddress> archive = archiveAddresses(m, change);
        List<Integer> sitemaps = new ArrayList<>(sitemapsReached(m, change));
        return addresses(m, change.notices(), archive, sitemaps).stream().filter(a -> a.inArchive() || change.reaches(a));
    }

    private List<PublicAddress> addresses(ReadModel m, List<Notice> published, List<ArchiveAddress> archive,
                                          List<Integer> sitemaps) {
        List<PublicAddress> all = new ArrayList<>();
        Map<String, Lang> languages = new LinkedHashMap<>();
        PREFIXES.forEach(prefix -> languages.put(prefix, answers.language(prefix.isEmpty() ? "/" : prefix, null)));
        languages.forEach((prefix, lang) -> {
            all.add(new PublicAddress(prefix.isEmpty() ? "/" : prefix + "/", () -> home(lang)));
        });
        // a page's languages one after the other: its list is counted and read once for them all (ArchiveMemo)
        archive.forEach(a -> languages.forEach((prefix, lang) ->
                all.add(new PublicAddress(prefix + a.path(), () -> archive(lang, a), ARCHIVE_TOPICS))));
        // an avviso's languages one after the other: its text is converted once (Markdown keeps it)
        for (Service s : m.catalog().services()) {
            languages.forEach((prefix, lang) -> all.add(new PublicAddress(prefix + s.path(), () -> service(lang, s.slug()),
                    Set.of(PublicAddress.service(s.slug())))));
        }
        for (Notice n : published) {
            Set<String> topics = PublicAddress.noticeTopics(m, n);
            languages.forEach((prefix, lang) -> all.add(new PublicAddress(prefix + n.path(), () -> notice(lang, m, n), topics)));
        }
        all.add(new PublicAddress("/sitemap.xml", this::sitemap));
        all.add(new PublicAddress(SITEMAP_PAGES, this::sitemapPages));
        // listed by the change that alters them, in the background with the archive's pages
        sitemaps.forEach(k -> all.add(new PublicAddress(SITEMAP_NOTICES + k + ".xml", () -> sitemapNotices(k), ARCHIVE_TOPICS)));
        all.add(new PublicAddress("/robots.txt", this::robots));
        site.assets().publicAddresses().forEach(all::add);
        published.stream().filter(n -> n.isPublicAt(m.now())).forEach(n -> n.attachments().forEach(a -> all.add(
                new PublicAddress(a.path(), () -> attachments.attachment(a.storedName()), Set.of(PublicAddress.notice(n.id()))))));
        return all;
    }
}
