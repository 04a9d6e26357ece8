package it.semaforo.web;

import gg.jte.Content;
import it.semaforo.feed.FeedLink;
import it.semaforo.feed.FeedScope;
import it.semaforo.notice.Attachment;
import it.semaforo.notice.Notice;
import it.semaforo.notice.NoticeKind;
import it.semaforo.notice.NoticeUpdate;
import it.semaforo.service.Channel;
import it.semaforo.service.Service;
import it.semaforo.service.ServiceGroup;
import it.semaforo.service.ServiceState;
import it.semaforo.status.DayStatus;
import it.semaforo.status.ServiceStatus;
import it.semaforo.render.PageContext;

import java.time.Instant;
import java.util.List;

/** The data of each public page, one record per template. */
public final class Pages {
    private Pages() {
    }

    /** A service in a list: its state now, and the next maintenance announced for it (null when none). */
    public record ServiceLine(Service service, ServiceStatus status, Notice planned) {
    }

    /**
     * A service not fully working, as the first screen tells it: what to do instead (a channel
     * other than the online one, null when it has none: then the reason says it) and until when
     * (the end of the window or the expiry of the avvisi holding it; null when open-ended).
     */
    public record Attention(Service service, ServiceStatus status, Channel instead, Instant until) {
    }

    /**
     * One step of the breadcrumbs after "Home › Stato dei servizi"; href null for the page
     * itself, lang set when the label is content in the language its clerk wrote it in.
     */
    public record Crumb(String label, String href, String lang) {
        public static Crumb link(String label, String href) {
            return new Crumb(label, href, null);
        }

        public static Crumb here(String label) {
            return new Crumb(label, null, null);
        }

        public static Crumb here(String label, String lang) {
            return new Crumb(label, null, lang);
        }
    }

    public record GroupLines(ServiceGroup group, List<ServiceLine> services) {
    }

    public record NoticeCard(Notice notice, List<Service> services) {
    }

    /**
     * The home page: the services not fully working first (the first screen answers), then the
     * avvisi, each once: the pinned advisories, the others in force, the maintenances to come.
     */
    public record Home(PageContext ctx, Instant now, ServiceState overall, int serviceCount, List<Attention> attention,
                       List<NoticeCard> pinned, List<NoticeCard> notices, List<NoticeCard> upcoming,
                       List<GroupLines> groups) {
        /** The maintenance the first screen announces when all is well. */
        public java.util.Optional<NoticeCard> nextMaintenance() {
            return upcoming.stream().min(java.util.Comparator.comparing(c -> c.notice().windowStart()));
        }
    }

    /** Security advisories pinned to the top of the home page until they expire. */
    public static boolean isPinned(Notice n) {
        return n.kind() == NoticeKind.SECURITY && n.details().pinned();
    }

    public record ServiceDetail(PageContext ctx, Instant now, Service service, ServiceStatus status, Notice planned,
                                List<NoticeCard> notices, List<DayStatus> history, int operationalDays,
                                List<Reported> reported, List<Measured> measured, String measuredChart) {
    }

    /** "Segnalato dal fornitore": what a provider the service depends on reports of itself, marked by a clerk. */
    public record Reported(String provider, String text, String link, Instant at) {
    }

    /**
     * A probe's automatic measurements of the last 24 hours, shown when the administrator turned
     * it on: its figures (the chart, measuredChart, draws every public probe of the service).
     * meanMillis: of the checks that passed, -1 when none did; last: null before the first check.
     */
    public record Measured(String name, int count, int failed, long meanMillis, Instant last, boolean lastOk) {
    }

    public record AffectedService(Service service, ServiceState stateNow) {
    }

    public record UpdateView(NoticeUpdate update, String html) {
    }

    public record NoticeDetail(PageContext ctx, Instant now, Notice notice, String bodyHtml,
                               List<AffectedService> affected, List<UpdateView> updates, List<Attachment> attachments,
                               String jsonLd) {
    }

    public record Option(String value, String label, boolean selected) {
    }

    /**
     * The archive's cards as its pages write them: part (the card as the template renders it,
     * with card's data) the first time, its bytes after that, for one read model and language
     * (PublicSite). The static copies write each card on some ten pages, its lists', in each language.
     */
    public interface Cards {
        Content of(Notice n, Content part);

        /** What the card of n shows besides n: the services it names (read only when the card is rendered). */
        NoticeCard card(Notice n);
    }

    /**
     * A page of the archive: page 0 is a list's landing, with count (how many avvisi the list
     * has); a numbered page has no count (null). newerUrl, olderUrl: the pages beside it, or null.
     * landingUrl: null where the page shows the search form (a landing, or any page of a text
     * search); else the landing of the same filters, where the form is, which a numbered page
     * links instead of repeating the form (every service in its select: most of a page's bytes),
     * and services and years hold the selected option alone.
     */
    public record Archive(PageContext ctx, Instant now, String text, List<Option> services, List<Option> kinds,
                          List<Option> years, int page, Integer count, List<Notice> items, Cards cards,
                          String newerUrl, String olderUrl, String landingUrl) {
        /** A filter in force, as the line that replaces the form names it: "Servizio: Anagrafe". */
        public record Filter(String name, String value, boolean catalog) {
        }

        /** The filters in force (service, kind, year), for a numbered page's line. */
        public List<Filter> inForce() {
            List<Filter> all = new java.util.ArrayList<>();
            selectedService().ifPresent(o -> all.add(new Filter(ctx.t("archive.filter.service"), o.label(), true)));
            selectedKind().ifPresent(o -> all.add(new Filter(ctx.t("archive.filter.kind"), o.label(), false)));
            years.stream().filter(Option::selected).findFirst()
                    .ifPresent(o -> all.add(new Filter(ctx.t("archive.filter.year"), o.label(), false)));
            return all;
        }

        /** On a numbered page, the first and last publication it shows (oldest, newest), or null. */
        public Instant oldest() {
            return items.isEmpty() ? null : items.get(items.size() - 1).publishedAt();
        }

        public Instant newest() {
            return items.isEmpty() ? null : items.get(0).publishedAt();
        }

        public java.util.Optional<Option> selectedKind() {
            return kinds.stream().filter(Option::selected).findFirst();
        }

        public java.util.Optional<Option> selectedService() {
            return services.stream().filter(Option::selected).findFirst();
        }

        /** The archive offers the feed of the kind it is filtered by, else of the service, else of everything. */
        public FeedLink feed() {
            FeedScope scope = selectedKind().flatMap(o -> NoticeKind.fromKey(o.value())).map(FeedScope::of)
                    .or(() -> selectedService().map(o -> new FeedScope.OfService(o.value(), o.label())))
                    .orElseGet(FeedScope::all);
            return FeedLink.of(ctx, scope);
        }
    }

    public record Error(PageContext ctx, String title, String text) {
    }

    public static List<Option> kindOptions(PageContext ctx, NoticeKind selected) {
        return java.util.Arrays.stream(NoticeKind.values())
                .map(k -> new Option(k.key(), ctx.kind(k), k == selected)).toList();
    }
}
