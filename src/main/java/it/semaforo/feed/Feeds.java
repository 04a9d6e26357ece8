package it.semaforo.feed;

import io.javalin.config.RoutesConfig;
import it.semaforo.http.Answers;
import it.semaforo.notice.Notice;
import it.semaforo.notice.NoticeKind;
import it.semaforo.notice.NoticeRepository;
import it.semaforo.service.Service;
import it.semaforo.status.ModelMemo;
import it.semaforo.status.ReadModel;
import it.semaforo.status.StatusService;
import it.semaforo.text.Markdown;
import it.semaforo.render.ErrorPage;
import it.semaforo.render.Lang;
import it.semaforo.render.Messages;
import it.semaforo.render.PublicAddress;
import it.semaforo.render.PublicOutput;
import it.semaforo.render.Rendered;
import it.semaforo.render.Site;
import it.semaforo.render.Templates;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The Atom and RSS feeds: the whole page, each service, each kind of avviso. Answered
 * through the response cache like every public page (ETag, Last-Modified, 304, gzip), with
 * the feed's own newest change as Last-Modified.
 */
public final class Feeds implements PublicOutput {
    /** Avvisi read per feed, the latest active first; their updates make more entries. */
    static final int MAX_NOTICES = 50;
    /** The iCalendar of the planned maintenances: a published address, it never changes. */
    public static final String CALENDAR_PATH = "/manutenzioni.ics";

    private final StatusService status;
    private final NoticeRepository notices;
    private final FeedBuilder builder;
    private final Site site;
    private final Answers answers;
    private final ErrorPage errors;

    /**
     * What a feed lists, kept for one read model: its Atom and RSS forms, rendered one after the
     * other, share one read (each a scan of every avviso's latest activity on a large comune).
     */
    private record Scope(NoticeKind kind, Long serviceId) {
    }

    private final ModelMemo<Scope, NoticeRepository.Activity> memo = new ModelMemo<>(64);

    /** A feed as built for one read model: its Atom and RSS forms, one after the other, write the same entries. */
    private record Built(Locale lang, FeedScope scope) {
    }

    private final ModelMemo<Built, Feed> built = new ModelMemo<>(8);

    private NoticeRepository.Activity activity(ReadModel m, NoticeKind kind, Service service) {
        return memo.get(m, new Scope(kind, service == null ? null : service.id()), k -> service == null
                ? notices.latestActivity(kind, null, Set.of(), m.now(), MAX_NOTICES)
                : notices.latestActivity(null, service.id(), m.catalog().reachableProviders(service.providerIds()), m.now(), MAX_NOTICES));
    }

    public Feeds(StatusService status, NoticeRepository notices, Templates templates, Markdown markdown, Site site,
                 Answers answers, ErrorPage errors) {
        this.status = status;
        this.notices = notices;
        this.builder = new FeedBuilder(templates, markdown, site);
        this.site = site;
        this.answers = answers;
        this.errors = errors;
    }

    public void routes(RoutesConfig r) {
        for (FeedFormat f : FeedFormat.values()) {
            String ext = "." + f.extension();
            r.get("/feed" + ext, ctx -> answers.cachedInSiteLanguage(ctx, lang -> render(lang, f)));
            // the parameter is read now: the cache renders again later, without the request
            r.get("/servizi/{slug}/feed" + ext, ctx -> {
                String slug = ctx.pathParam("slug");
                answers.cachedInSiteLanguage(ctx, lang -> service(lang, slug, f));
            });
            r.get("/avvisi/tipo/{kind}/feed" + ext, ctx -> {
                String kind = ctx.pathParam("kind");
                answers.cachedInSiteLanguage(ctx, lang -> kind(lang, kind, f));
            });
        }
        r.get(CALENDAR_PATH, ctx -> answers.cachedInSiteLanguage(ctx, this::calendar));
    }

    /**
     * Every feed at a fixed address: the whole page's, each service's, each kind's (linked from
     * the archive filtered by kind, which a static copy cannot hold, but published addresses all
     * the same), and the calendar of maintenances.
     */
    @Override
    public Stream<PublicAddress> addresses(ReadModel m, List<Notice> notices) {
        Locale lang = site.defaultLanguage();
        List<PublicAddress> all = new ArrayList<>();
        for (FeedFormat f : FeedFormat.values()) {
            all.add(new PublicAddress("/feed." + f.extension(), () -> render(lang, f)));
        }
        // a service's two formats one after the other: their entries' texts are converted once (Markdown keeps them)
        for (Service s : m.catalog().services()) {
            for (FeedFormat f : FeedFormat.values()) {
                all.add(new PublicAddress("/servizi/" + s.slug() + "/feed." + f.extension(), () -> service(lang, s.slug(), f),
                        java.util.Set.of(PublicAddress.service(s.slug()))));
            }
        }
        for (NoticeKind k : NoticeKind.values()) {
            for (FeedFormat f : FeedFormat.values()) {
                all.add(new PublicAddress("/avvisi/tipo/" + k.key() + "/feed." + f.extension(), () -> render(lang, k, f)));
            }
        }
        all.add(new PublicAddress(CALENDAR_PATH, () -> calendar(lang)));
        return all.stream();
    }

    private Rendered service(Locale lang, String slug, FeedFormat format) {
        Optional<Service> s = status.now().catalog().service(slug);
        if (s.isEmpty()) {
            return errors.error(Lang.negotiated(lang), 404, "error.404.title", new Messages(lang).t("feed.error.service"));
        }
        return render(lang, s.get(), format);
    }

    private Rendered kind(Locale lang, String key, FeedFormat format) {
        Optional<NoticeKind> k = NoticeKind.fromKey(key);
        if (k.isEmpty()) {
            String kinds = Arrays.stream(NoticeKind.values()).map(NoticeKind::key).collect(Collectors.joining(", "));
            return errors.error(Lang.negotiated(lang), 404, "error.404.title", new Messages(lang).t("feed.error.kind", kinds));
        }
        return render(lang, k.get(), format);
    }

    /** The feed of every avviso. Each feed is a function of the read model to bytes, like every public output. */
    public Rendered render(Locale lang, FeedFormat format) {
        ReadModel m = status.now();
        return bytes(lang, FeedScope.all(), m, activity(m, null, null), format);
    }

    /** The feed of the avvisi of one kind. */
    public Rendered render(Locale lang, NoticeKind kind, FeedFormat format) {
        ReadModel m = status.now();
        return bytes(lang, FeedScope.of(kind), m, activity(m, kind, null), format);
    }

    /** The feed of the avvisi that name a service, directly or through the providers it depends on. */
    public Rendered render(Locale lang, Service service, FeedFormat format) {
        ReadModel m = status.now();
        return bytes(lang, FeedScope.of(service), m, activity(m, null, service), format);
    }

    /** The planned maintenances (the 50 latest windows, past ones included) as iCalendar. */
    public Rendered calendar(Locale lang) {
        ReadModel m = status.now();
        var list = notices.latestPublic(m.now(), true, MAX_NOTICES);
        String name = new Messages(lang).t("calendar.name", site.comune().name());
        byte[] body = ICalendar.write(list, site.baseUrl(), name, site.comune().name(), site.comune().pec());
        Rendered r = Rendered.of(200, "text/calendar; charset=utf-8", body)
                .withHeader("Access-Control-Allow-Origin", "*")
                .validUntil(m.validUntil());
        return list.stream().map(ICalendar::lastModified).max(java.time.Instant::compareTo).map(r::lastModified).orElse(r);
    }

    private Rendered bytes(Locale lang, FeedScope scope, ReadModel m, NoticeRepository.Activity activity,
                           FeedFormat format) {
        Feed feed = built.get(m, new Built(lang, scope), k -> builder.build(lang, scope, m, activity));
        byte[] body = format == FeedFormat.ATOM ? AtomWriter.write(feed, site.zone()) : RssWriter.write(feed, site.zone());
        // feeds are read by other sites' pages too (a banner, a news widget)
        return Rendered.of(200, format.contentType(), body)
                .withHeader("Access-Control-Allow-Origin", "*")
                .validUntil(feed.validUntil())
                .lastModified(feed.updated());
    }
}
