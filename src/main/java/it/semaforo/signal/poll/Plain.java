package it.semaforo.signal.poll;

import org.owasp.html.HtmlPolicyBuilder;
import org.owasp.html.PolicyFactory;

import java.util.regex.Pattern;

/**
 * Upstream words as plain text: upstreams put HTML in their texts (Statuspage bodies with
 * &lt;br /&gt;, feeds with whole paragraphs). The sanitizer we already use for Markdown keeps no
 * element at all here; what remains is decoded text, quoted in proposals and escaped on output.
 */
final class Plain {
    private static final PolicyFactory NOTHING = new HtmlPolicyBuilder().toFactory();
    private static final Pattern BREAKS = Pattern.compile("(?i)<\\s*(br|/p|/li|/div|/h[1-6])\\b[^>]*>");
    private static final Pattern SPACES = Pattern.compile("[ \\t\\x0B\\f\\r]+");
    private static final Pattern LINES = Pattern.compile("\\n\\s*\\n\\s*(\\n\\s*)+");

    private Plain() {
    }

    static String text(String html) {
        if (html == null || html.isBlank()) return "";
        String marked = BREAKS.matcher(html).replaceAll("\n$0");
        String sanitized = NOTHING.sanitize(marked);
        String decoded = org.owasp.html.Encoding.decodeHtml(sanitized);
        return LINES.matcher(SPACES.matcher(decoded).replaceAll(" ")).replaceAll("\n\n").strip();
    }
}
