package it.semaforo.feed;

import it.semaforo.notice.NoticeKind;
import it.semaforo.service.Service;
import it.semaforo.render.Messages;

/**
 * Which avvisi a feed follows: all of them, those naming one service (directly or through a
 * provider it depends on), or those of one kind. Each scope owns its addresses, which are
 * published and so must never change: /feed.atom, /servizi/{slug}/feed.atom,
 * /avvisi/tipo/{kind}/feed.atom, and the same with .rss.
 */
public sealed interface FeedScope {

    static FeedScope all() {
        return new All();
    }

    static FeedScope of(Service service) {
        return new OfService(service.slug(), service.name());
    }

    static FeedScope of(NoticeKind kind) {
        return new OfKind(kind);
    }

    /** The address without the format's extension. */
    String basePath();

    /** The public page that shows the same avvisi: the feed's alternate link. */
    String pagePath();

    String title(Messages msg, String comune);

    String description(Messages msg, String comune);

    default String path(FeedFormat format) {
        return basePath() + "." + format.extension();
    }

    record All() implements FeedScope {
        public String basePath() {
            return "/feed";
        }

        public String pagePath() {
            return "/";
        }

        public String title(Messages msg, String comune) {
            return msg.t("feed.title.all", comune);
        }

        public String description(Messages msg, String comune) {
            return msg.t("feed.description.all", comune);
        }
    }

    /** A service by its slug (its address) and name (for titles). */
    record OfService(String slug, String name) implements FeedScope {
        public String basePath() {
            return "/servizi/" + slug + "/feed";
        }

        public String pagePath() {
            return "/servizi/" + slug;
        }

        public String title(Messages msg, String comune) {
            return msg.t("feed.title.service", comune, name);
        }

        public String description(Messages msg, String comune) {
            return msg.t("feed.description.service", comune, name);
        }
    }

    record OfKind(NoticeKind kind) implements FeedScope {
        public String basePath() {
            return "/avvisi/tipo/" + kind.key() + "/feed";
        }

        public String pagePath() {
            return "/avvisi/tipo/" + kind.key();
        }

        public String title(Messages msg, String comune) {
            return msg.t("feed.title.kind", comune, msg.t("kind." + kind.key()));
        }

        public String description(Messages msg, String comune) {
            return msg.t("feed.description.kind", comune, msg.t("kind." + kind.key()));
        }
    }
}
