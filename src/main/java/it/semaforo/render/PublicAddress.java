package it.semaforo.render;

import java.util.Set;
import java.util.function.Supplier;

/**
 * One public address and how to render it, as a visitor without Accept-Language gets it: what
 * the static export writes. The supplier calls the very method the address's route calls, so a
 * static copy holds the bytes the server answers. topics say which changes can alter it, so
 * that the mirror renders again only those after an event: empty (ANY) for an address that any
 * public change may alter (the home page, the feeds, the API's lists).
 */
public record PublicAddress(String path, Supplier<Rendered> render, Set<String> topics) {
    /** Any public change may alter it. */
    public static final Set<String> ANY = Set.of();
    /** Changes only with a new version of the program (the assets): rewritten by a full pass alone. */
    public static final String FIXED = "fixed";
    /** The archive's pages: which of them a change alters, the archive's output says (PublicOutput#changed). */
    public static final String ARCHIVE = "archive";

    public PublicAddress {
        topics = Set.copyOf(topics);
    }

    public PublicAddress(String path, Supplier<Rendered> render) {
        this(path, render, ANY);
    }

    /** What shows an avviso (its page, its JSON, its attachments). */
    public static String notice(long id) {
        return "notice:" + id;
    }

    /** What is about one service (its page, feeds, badge, JSON), for any change that names it. */
    public static String service(String slug) {
        return "service:" + slug;
    }

    /** What shows an avviso: the avviso, and the current state of each service it names. */
    public static Set<String> noticeTopics(it.semaforo.status.ReadModel m, it.semaforo.notice.Notice n) {
        Set<String> topics = new java.util.HashSet<>();
        topics.add(notice(n.id()));
        m.servicesNamedBy(n).forEach(s -> topics.add(state(s.slug())));
        return topics;
    }

    /** What shows a service's current state without being about it (the page of an avviso that names it). */
    public static String state(String slug) {
        return "state:" + slug;
    }

    /** The avviso an address shows (its notice: topic), or null: the mirror's index of what each avviso has. */
    public Long noticeId() {
        for (String t : topics) {
            if (t.startsWith("notice:")) return Long.parseLong(t.substring("notice:".length()));
        }
        return null;
    }

    /** Whether it is a page of the archive. */
    public boolean inArchive() {
        return topics.contains(ARCHIVE);
    }
}
