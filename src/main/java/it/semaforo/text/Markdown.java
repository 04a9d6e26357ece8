package it.semaforo.text;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.owasp.html.AttributePolicy;
import org.owasp.html.HtmlPolicyBuilder;
import org.owasp.html.PolicyFactory;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;

/**
 * The body of an avviso: Markdown with tables, rendered by CommonMark and then sanitised, so
 * that neither raw HTML nor a javascript: link written by anyone reaches a resident.
 */
public final class Markdown {
    private static final PolicyFactory POLICY = policy(AttributePolicy.IDENTITY_ATTRIBUTE_POLICY);

    /** Characters of source and HTML kept converted: a few megabytes at most. */
    private static final long CACHE_CHARS = 2_000_000;

    private final Parser parser;
    private final HtmlRenderer renderer;
    /**
     * Safe HTML by source text (and base): an avviso is shown in five languages and in feeds,
     * and every page is rendered again after each change, yet its text is converted once.
     * The conversion is a pure function of the key, so an entry is never stale.
     */
    private final Cache<Key, String> converted = Caffeine.newBuilder()
            .maximumWeight(CACHE_CHARS)
            .weigher((Key k, String html) -> (k.markdown() == null ? 0 : k.markdown().length()) + html.length())
            .build();

    private record Key(String markdown, URI base) {
    }

    public Markdown() {
        List<org.commonmark.Extension> extensions = List.of(TablesExtension.create());
        this.parser = Parser.builder().extensions(extensions).build();
        // h1 belongs to the page: a heading in a body starts at level 2
        this.renderer = HtmlRenderer.builder().extensions(extensions).build();
    }

    /** The one sanitising policy; hrefs go through hrefPolicy before the protocol check. */
    private static PolicyFactory policy(AttributePolicy hrefPolicy) {
        return new HtmlPolicyBuilder()
                .allowElements("p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em", "del",
                        "code", "pre", "blockquote", "table", "thead", "tbody", "tr", "th", "td", "a")
                .allowUrlProtocols("https", "http", "mailto", "tel")
                .allowAttributes("href").matching(hrefPolicy).onElements("a")
                .allowAttributes("start").matching(java.util.regex.Pattern.compile("[0-9]{1,6}")).onElements("ol")
                .allowAttributes("align").matching(true, "left", "right", "center").onElements("th", "td")
                .requireRelsOnLinks("noopener", "noreferrer")
                .toFactory();
    }

    /** Safe HTML for a Markdown text. */
    public String toHtml(String markdown) {
        return converted.get(new Key(markdown, null), k -> POLICY.sanitize(render(markdown)));
    }

    /**
     * Safe HTML whose links are all absolute, resolved against base (the absolute address of
     * the page the text belongs to): for feeds and anything read away from our pages, where a
     * relative link would point nowhere. A link that is not a valid URI is dropped.
     */
    public String toHtml(String markdown, URI base) {
        if (!base.isAbsolute()) throw new IllegalArgumentException("base must be absolute: " + base);
        return converted.get(new Key(markdown, base), k -> {
            String html = render(markdown);
            // a policy is built for each base, and costs more than most texts; with no <a> there is
            // no href to resolve, and the one policy gives the very same HTML
            return (mayLink(html) ? policy((element, attribute, value) -> resolve(base, value)) : POLICY).sanitize(html);
        });
    }

    /** Whether HTML may hold an a element: "<a" anywhere, in either case (an abbr too, harmlessly). */
    private static boolean mayLink(String html) {
        for (int i = html.indexOf('<'); i >= 0; i = html.indexOf('<', i + 1)) {
            if (html.regionMatches(true, i, "<a", 0, 2)) return true;
        }
        return false;
    }

    private String render(String markdown) {
        String html = renderer.render(parser.parse(markdown == null ? "" : markdown));
        return html.replace("<h1>", "<h2>").replace("</h1>", "</h2>");
    }

    static String resolve(URI base, String href) {
        try {
            URI uri = new URI(href.strip());
            return uri.isAbsolute() ? uri.toString() : base.resolve(uri).toString();
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
