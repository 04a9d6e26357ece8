package it.semaforo.feed;

import it.semaforo.notice.NoticeKind;
import it.semaforo.render.PageContext;
import it.semaforo.web.Pages;

/**
 * What a page needs to offer its feed: the title and the absolute addresses of both formats,
 * for the autodiscovery links in the head and the visible "Segui via RSS/Atom" link.
 */
public record FeedLink(String title, String atomUrl, String rssUrl) {

    public static FeedLink of(PageContext ctx, FeedScope scope) {
        return new FeedLink(scope.title(ctx.msg(), ctx.comune().name()),
                ctx.url(scope.path(FeedFormat.ATOM)), ctx.url(scope.path(FeedFormat.RSS)));
    }

    /** The archive offers the feed of the kind it is filtered by, else of the service, else of everything. */
    public static FeedLink of(PageContext ctx, Pages.Archive page) {
        FeedScope scope = page.selectedKind().flatMap(o -> NoticeKind.fromKey(o.value())).map(FeedScope::of)
                .or(() -> page.selectedService().map(o -> new FeedScope.OfService(o.value(), o.label())))
                .orElseGet(FeedScope::all);
        return of(ctx, scope);
    }

    public String atomType() {
        return FeedFormat.ATOM.mediaType();
    }

    public String rssType() {
        return FeedFormat.RSS.mediaType();
    }
}
