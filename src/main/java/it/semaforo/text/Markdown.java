package it.semaforo.text;

import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.owasp.html.HtmlPolicyBuilder;
import org.owasp.html.PolicyFactory;

import java.util.List;

/**
 * The body of an avviso: Markdown with tables, rendered by CommonMark and then sanitised, so
 * that neither raw HTML nor a javascript: link written by anyone reaches a resident.
 */
public final class Markdown {
    private static final PolicyFactory POLICY = new HtmlPolicyBuilder()
            .allowElements("p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em", "del",
                    "code", "pre", "blockquote", "table", "thead", "tbody", "tr", "th", "td", "a")
            .allowUrlProtocols("https", "http", "mailto", "tel")
            .allowAttributes("href").onElements("a")
            .allowAttributes("start").matching(java.util.regex.Pattern.compile("[0-9]{1,6}")).onElements("ol")
            .allowAttributes("align").matching(true, "left", "right", "center").onElements("th", "td")
            .requireRelsOnLinks("noopener", "noreferrer")
            .toFactory();

    private final Parser parser;
    private final HtmlRenderer renderer;

    public Markdown() {
        List<org.commonmark.Extension> extensions = List.of(TablesExtension.create());
        this.parser = Parser.builder().extensions(extensions).build();
        // h1 belongs to the page: a heading in a body starts at level 2
        this.renderer = HtmlRenderer.builder().extensions(extensions).build();
    }

    /** Safe HTML for a Markdown text. */
    public String toHtml(String markdown) {
        String html = renderer.render(parser.parse(markdown == null ? "" : markdown));
        html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>");
        return POLICY.sanitize(html);
    }
}
