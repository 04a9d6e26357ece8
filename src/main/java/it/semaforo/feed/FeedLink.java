package it.semaforo.feed;

import it.semaforo.render.PageContext;

/**
 * What a page needs to offer its feed: the title and the absolute addresses of both formats,
 * for the autodiscovery links in the head and the visible "Segui via RSS/Atom" link.
 */
public record FeedLink(String title, String atomUrl, String rssUrl) {

    public static FeedLink of(PageContext ctx, FeedScope scope) {
        return new FeedLink(scope.title(ctx.msg(), ctx.comune().name()),
                ctx.url(scope.path(FeedFormat.ATOM)), ctx.url(scope.path(FeedFormat.RSS)));
    }

    public String atomType() {
        return FeedFormat.ATOM.mediaType();
    }

    public String rssType() {
        return FeedFormat.RSS.mediaType();
    }
}
