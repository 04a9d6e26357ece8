package it.semaforo.render;

import gg.jte.Content;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The parts of every page that depend on nothing but the site and the page's language (the
 * footer, the rating form's questions, the header's brand and menu, the stylesheets' links),
 * rendered the first time a page in that language asks for them and written as their bytes
 * after that, without their indentation. A static export writes some 190,000 pages, each
 * carrying about 9 KB of them, with dozens of messages to look up and escape. Site holds one,
 * made with it at start-up: neither the site nor a language's messages change while it lives,
 * so a part never goes stale.
 */
public final class Fragments {
    private record Key(String name, Lang language, String bundle) {
    }

    private final Map<Key, byte[]> rendered = new ConcurrentHashMap<>();

    /**
     * part as a page in this language, with the strings of that bundle, shows it, under a name
     * unique to the part; part must depend on the site, the language and the strings alone (no
     * path, no data of the page).
     */
    Content of(String name, Lang language, String bundle, Content part) {
        Key key = new Key(name, language, bundle);
        byte[] bytes = rendered.get(key);
        if (bytes == null) {
            // two pages asking at once both render it, with the same bytes: no lock held while rendering
            bytes = render(part);
            rendered.putIfAbsent(key, bytes);
        }
        byte[] written = bytes;
        return output -> output.writeBinaryContent(written);
    }

    private static byte[] render(Content part) {
        return unindented(Templates.bytes(part));
    }

    /**
     * The part without the templates' indentation and empty lines: each run of white space from
     * a line break on becomes the one line break, which a browser shows as the same space. The
     * parts hold no pre, textarea or script, where white space would matter. A tenth of a page.
     */
    static byte[] unindented(byte[] html) {
        byte[] out = new byte[html.length];
        int n = 0;
        for (int i = 0; i < html.length; i++) {
            byte b = html[i];
            if (b == '\n') {
                while (i + 1 < html.length && (html[i + 1] == ' ' || html[i + 1] == '\t' || html[i + 1] == '\n'
                        || html[i + 1] == '\r')) i++;
            }
            out[n++] = b;
        }
        return java.util.Arrays.copyOf(out, n);
    }
}
