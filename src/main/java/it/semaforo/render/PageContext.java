package it.semaforo.render;

import gg.jte.Content;
import it.semaforo.notice.Notice;
import it.semaforo.notice.NoticeKind;
import it.semaforo.service.ServiceState;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * What every page template needs besides its own data: strings and dates in the page's
 * language, the comune, asset addresses, and links that keep the language the page was
 * reached in. path is the page's address without language prefix, query its query string.
 */
public record PageContext(Messages msg, Formats fmt, Site site, Lang language, String path, String query) {
    public String t(String key, Object... args) {
        return msg.t(key, args);
    }

    /** The language tag for html lang. */
    public String lang() {
        return msg.lang();
    }

    public Site.Comune comune() {
        return site.comune();
    }

    public Site.Links links() {
        return site.links();
    }

    public String state(ServiceState s) {
        return msg.t("state." + s.key());
    }

    public String kind(NoticeKind k) {
        return msg.t("kind." + k.key());
    }

    public String dateTime(Instant t) {
        return fmt.dateTime(t);
    }

    public String dayTime(Instant t) {
        return fmt.dayTime(t);
    }

    public String date(Instant t) {
        return fmt.date(t);
    }

    /** A maintenance window: "9 dicembre, 08:00–14:00". */
    public String window(Instant start, Instant end) {
        return fmt.window(start, end);
    }

    public String iso(Instant t) {
        return fmt.iso(t);
    }

    /** The absolute address of a path of this site. */
    public String url(String path) {
        return site.baseUrl() + path;
    }

    /** A link to a page of this site that keeps the page's language: /avvisi becomes /en/avvisi on English pages. */
    public String link(String path) {
        return prefixed(language.prefix(), path);
    }

    /** The fingerprinted address of a static file (see Assets). */
    public String asset(String name) {
        return site.assets().url(name);
    }

    public String logo() {
        return site.assets().logo();
    }

    /** The image a shared link of this page previews with, unless the page has its own. */
    public String shareImage() {
        return site.assets().shareImage();
    }

    /**
     * The lang attribute for the comune's catalogue (groups, services, channels, reasons),
     * written in the configured language: null on pages in that language, where the html
     * element already says it (WCAG 3.1.2, language of parts).
     */
    public String catalogLang() {
        String catalog = site.defaultLanguage().getLanguage();
        return catalog.equals(lang()) ? null : catalog;
    }

    /**
     * A part of the page that follows from the site and the page's language alone, under a name
     * of its own: rendered once per language, its bytes afterwards (Fragments).
     */
    public Content once(String name, Content part) {
        return site.fragments().of(name, language, msg.bundleName(), part);
    }

    /** True on the page at that address (language prefix aside), for aria-current. */
    public boolean isAt(String p) {
        return p.equals(path);
    }

    /** One entry of the language switcher: the same page in another language. */
    public record LanguageLink(String tag, String name, String href, boolean current) {
    }

    /** Every supported language, named in itself (Deutsch, 日本語), pointing at this very page. */
    public List<LanguageLink> languages() {
        return Lang.SUPPORTED.stream().map(l -> new LanguageLink(l.getLanguage(), new Messages(l).t("language.name"),
                prefixed("/" + l.getLanguage(), path) + (query == null || query.isEmpty() ? "" : "?" + query),
                l.equals(language.locale()))).toList();
    }

    /**
     * This page's own absolute address, as reached (rel=canonical, og:url): each language
     * is a page of its own, named to the others by hreflang; the archive keeps its filters.
     */
    public String canonicalUrl() {
        return url(prefixed(language.prefix(), path) + (query == null || query.isEmpty() ? "" : "?" + query));
    }

    /** The same page unprefixed: the address that follows the browser's language (hreflang x-default). */
    public String negotiatedUrl() {
        return url(path + (query == null || query.isEmpty() ? "" : "?" + query));
    }

    private static String prefixed(String prefix, String path) {
        if (prefix.isEmpty()) return path;
        return "/".equals(path) ? prefix + "/" : prefix + path;
    }

    /** "In corso", "Chiuso il …", "Scaduto il …" or "Programmato dal … al …". */
    public String noticeStatus(Notice n, Instant now) {
        if (n.isClosedAt(now)) return msg.t("notice.status.closed", fmt.dateTime(n.closedAt()));
        if (n.isExpiredAt(now)) return msg.t("notice.status.expired", fmt.dateTime(n.expiresAt()));
        if (n.windowStart() != null && n.windowStart().isAfter(now)) {
            return msg.t("notice.status.scheduled", fmt.dateTime(n.windowStart()), fmt.dateTime(n.windowEnd()));
        }
        return msg.t("notice.status.in.force");
    }

    public static PageContext of(Site site, Lang lang, String path, String query) {
        Locale l = lang.locale();
        return new PageContext(new Messages(l), new Formats(l, site.zone()), site, lang, path, query);
    }
}
