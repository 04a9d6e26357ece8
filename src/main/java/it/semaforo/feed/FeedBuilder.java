package it.semaforo.feed;

import it.semaforo.notice.Attachment;
import it.semaforo.notice.Impact;
import it.semaforo.notice.Notice;
import it.semaforo.notice.NoticeRepository;
import it.semaforo.notice.NoticeUpdate;
import it.semaforo.service.Service;
import it.semaforo.status.ReadModel;
import it.semaforo.text.Markdown;
import it.semaforo.render.Messages;
import it.semaforo.render.Lang;
import it.semaforo.render.PageContext;
import it.semaforo.render.Site;
import it.semaforo.render.Templates;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Turns the avvisi a feed follows into its entries. An avviso is one entry; each numbered
 * update is an entry of its own, so that a feed reader shows it as new (readers rarely show
 * again an entry whose updated time moved). The avviso's entry keeps the time of its own
 * events (publication, a maintenance window opening, the expiry) and always shows the
 * current status; the updates are listed in it as links.
 */
final class FeedBuilder {
    private static final Pattern DNS_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");
    private static final Pattern LANGUAGE_TAG = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*");
    private static final Set<String> ISO_LANGUAGES = Set.copyOf(Arrays.asList(Locale.getISOLanguages()));

    static final int MAX_ENTRIES = 100;

    private final Templates templates;
    private final Markdown markdown;
    private final Site site;

    FeedBuilder(Templates templates, Markdown markdown, Site site) {
        this.site = site;
        this.templates = templates;
        this.markdown = markdown;
    }

    Feed build(Locale lang, FeedScope scope, ReadModel m, NoticeRepository.Activity activity) {
        Messages msg = new Messages(lang);
        PageContext ctx = PageContext.of(site, Lang.negotiated(lang), scope.pagePath(), "");
        Instant now = m.now();
        Times times = new Times(now, m.validUntil());
        times.modified(activity.lastWithdrawal());
        m.catalog().services().forEach(s -> times.modified(s.updatedAt()));

        Feed.Person author = new Feed.Person(site.comune().name(), absoluteHttp(site.comune().website()));
        List<Candidate> entries = new ArrayList<>();
        for (Notice n : activity.notices()) {
            times.modified(n.updatedAt());
            n.attachments().forEach(a -> times.modified(a.createdAt()));
            Stream.of(n.expiresAt(), n.windowStart(), n.closedAt()).forEach(times::event);
            n.updates().forEach(u -> times.event(u.createdAt()));
            addEntries(ctx, m, n, author, entries);
        }
        entries.sort(Comparator.comparing(Candidate::updated).thenComparing(Candidate::published)
                .thenComparing(Candidate::id).reversed());
        // only the entries shown are rendered: an avviso with a thousand updates costs a hundred
        List<Feed.Entry> shown = entries.stream().limit(MAX_ENTRIES).map(c -> c.entry().get()).toList();
        shown.forEach(e -> times.modified(e.updated()));

        String title = scope.title(msg, site.comune().name());
        return new Feed(ctx.url(scope.path(FeedFormat.ATOM)), title, scope.description(msg, site.comune().name()),
                msg.lang(), ctx.url(scope.path(FeedFormat.ATOM)), ctx.url(scope.path(FeedFormat.RSS)),
                ctx.url(scope.pagePath()), author, times.lastModified(), List.copyOf(shown), times.validUntil());
    }

    /** An entry before its content is rendered: what orders the feed, and how to render it. */
    private record Candidate(Instant updated, Instant published, String id, Supplier<Feed.Entry> entry) {
    }

    private void addEntries(PageContext ctx, ReadModel m, Notice n, Feed.Person author, List<Candidate> out) {
        Instant now = m.now();
        String url = ctx.url(n.path());
        URI page = URI.create(url);
        String language = language(n.language(), ctx.lang());
        List<NoticeUpdate> updates = n.updates().stream().filter(u -> !u.createdAt().isAfter(now))
                .sorted(Comparator.comparingInt(NoticeUpdate::number).reversed()).toList();
        List<Service> named = m.servicesNamedBy(n);
        List<Feed.Category> categories = new ArrayList<>();
        categories.add(new Feed.Category(n.kind().key(), ctx.url("/avvisi/tipo/"), ctx.kind(n.kind())));
        named.forEach(s -> categories.add(new Feed.Category(s.slug(), ctx.url("/servizi/"), s.name())));

        String noticeId = tag(ctx, n, "avviso-" + n.id());
        Instant own = ownEventsUntil(n, now);
        out.add(new Candidate(own, n.publishedAt(), noticeId, () -> {
            var content = new FeedContent.NoticeContent(ctx, n, language, url, ctx.noticeStatus(n, now),
                    markdown.toHtml(n.body(), page),
                    named.stream().map(s -> new FeedContent.Link(s.name(), ctx.url(s.path()))).toList(),
                    updates.stream().map(u -> new FeedContent.UpdateLink(u.number(), u.createdAt(), anchor(url, u))).toList(),
                    attachments(ctx, n, null));
            return new Feed.Entry(noticeId, n.title(), language, url, n.publishedAt(), own, n.summary(),
                    html("feed/notice.jte", content), categories, enclosures(ctx, n, null), author);
        }));

        for (NoticeUpdate u : updates) {
            String id = tag(ctx, n, "avviso-" + n.id() + "/aggiornamento-" + u.number());
            out.add(new Candidate(u.createdAt(), u.createdAt(), id, () -> {
                var view = new FeedContent.UpdateContent(ctx, n, language, u, markdown.toHtml(u.body(), page),
                        impacts(ctx, m, n, u), attachments(ctx, n, u.id()), url);
                String title = ctx.t(u.closes() ? "feed.update.title.closes" : "feed.update.title", u.number(), n.title());
                return new Feed.Entry(id, title, language, anchor(url, u), u.createdAt(), u.createdAt(), null,
                        html("feed/update.jte", view), categories, enclosures(ctx, n, u.id()), author);
            }));
        }
    }

    /**
     * The updated time of an avviso's own entry: the latest of its publication, the opening
     * of its maintenance window and its expiry that have happened, up to its closure. The
     * closure itself is announced by the update that closed it, an entry of its own.
     */
    static Instant ownEventsUntil(Notice n, Instant now) {
        Instant horizon = n.isClosedAt(now) ? n.closedAt() : now;
        Instant t = n.publishedAt();
        for (Instant e : new Instant[]{n.windowStart(), n.expiresAt()}) {
            if (e != null && !e.isAfter(horizon) && e.isAfter(t)) t = e;
        }
        return t;
    }

    private static String anchor(String url, NoticeUpdate u) {
        return url + "#aggiornamento-" + u.number();
    }

    /**
     * A tag: URI (RFC 4151) from the configured host, the day the avviso was created and its
     * number: it never changes when the title, the slug or the publication time is edited.
     */
    static String tag(PageContext ctx, Notice n, String specific) {
        String host = URI.create(ctx.site().baseUrl()).getHost().toLowerCase(Locale.ROOT);
        if (!DNS_NAME.matcher(host).matches()) {
            // an IP literal cannot name a tag authority; the permanent address still never changes
            return ctx.url("/avvisi/" + n.id() + "#" + specific);
        }
        String day = DateTimeFormatter.ISO_LOCAL_DATE.format(n.createdAt().atZone(ZoneOffset.UTC));
        return "tag:" + host + "," + day + ":" + specific;
    }

    private List<FeedContent.ImpactLine> impacts(PageContext ctx, ReadModel m, Notice n, NoticeUpdate u) {
        List<FeedContent.ImpactLine> lines = new ArrayList<>();
        for (Impact i : n.impacts()) {
            if (!Objects.equals(i.updateId(), u.id())) continue;
            if (i.serviceId() != null) {
                m.catalog().service(i.serviceId()).ifPresent(s -> lines.add(
                        new FeedContent.ImpactLine(s.name(), ctx.url(s.path()), ctx.state(i.state()), i.reason())));
            } else {
                m.catalog().provider(i.providerId()).ifPresent(p -> lines.add(
                        new FeedContent.ImpactLine(p.name(), null, ctx.state(i.state()), i.reason())));
            }
        }
        return lines;
    }

    private static List<Attachment> attachmentsOf(Notice n, Long updateId) {
        return n.attachments().stream().filter(a -> Objects.equals(a.updateId(), updateId)).toList();
    }

    private static List<FeedContent.AttachmentLink> attachments(PageContext ctx, Notice n, Long updateId) {
        return attachmentsOf(n, updateId).stream().map(a -> new FeedContent.AttachmentLink(a.title(), ctx.url(a.path()),
                ("application/pdf".equals(a.contentType()) ? "PDF" : a.contentType()) + ", "
                        + (a.sizeBytes() < 1024 ? a.sizeBytes() + " B" : (a.sizeBytes() + 1023) / 1024 + " kB"))).toList();
    }

    private static List<Feed.Enclosure> enclosures(PageContext ctx, Notice n, Long updateId) {
        return attachmentsOf(n, updateId).stream()
                .map(a -> new Feed.Enclosure(ctx.url(a.path()), a.contentType(), a.sizeBytes(), a.title())).toList();
    }

    private String html(String template, Object content) {
        return new String(templates.render(template, content), StandardCharsets.UTF_8).strip();
    }

    /** The avviso's language if it is a real ISO 639 tag, else the interface's. */
    static String language(String tag, String fallback) {
        if (tag == null || !LANGUAGE_TAG.matcher(tag).matches()) return fallback;
        String primary = tag.split("-", 2)[0].toLowerCase(Locale.ROOT);
        return ISO_LANGUAGES.contains(primary) ? tag : fallback;
    }

    /** The comune's website for atom:uri, only when it is an absolute http(s) address. */
    static String absoluteHttp(String url) {
        try {
            URI u = new URI(url);
            return ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null ? url : null;
        } catch (Exception e) {
            return null;
        }
    }

    /** The feed's last change, and the next instant after now at which it changes by itself. */
    private static final class Times {
        private final Instant now;
        private Instant lastModified;
        private Instant validUntil;

        Times(Instant now, Instant validUntil) {
            this.now = now;
            this.validUntil = validUntil;
        }

        void modified(Instant t) {
            if (t != null && !t.isAfter(now) && (lastModified == null || t.isAfter(lastModified))) lastModified = t;
        }

        void event(Instant t) {
            if (t != null && t.isAfter(now) && (validUntil == null || t.isBefore(validUntil))) validUntil = t;
        }

        Instant lastModified() {
            return lastModified == null ? now : lastModified;   // nothing ever happened: as of now
        }

        Instant validUntil() {
            return validUntil;
        }
    }
}
