package it.semaforo.render;

import gg.jte.Content;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A part is rendered once per name, language and bundle, and written without the templates' indentation. */
class FragmentsTest {
    private static String written(Content c) {
        ByteOutput out = new ByteOutput(16);
        c.writeTo(out);
        return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }

    private static Content text(String s, AtomicInteger renders) {
        return output -> {
            renders.incrementAndGet();
            output.writeContent(s);
        };
    }

    @Test
    void aPartIsRenderedOncePerNameLanguageAndBundle() {
        Fragments fragments = new Fragments();
        AtomicInteger renders = new AtomicInteger();
        Lang italian = Lang.negotiated(Locale.ITALIAN);
        assertEquals("<p>uno</p>", written(fragments.of("footer", italian, "i18n.messages", text("<p>uno</p>", renders))));
        assertEquals("<p>uno</p>", written(fragments.of("footer", italian, "i18n.messages", text("<p>due</p>", renders))), "kept");
        assertEquals(1, renders.get());
        assertEquals("<p>tre</p>", written(fragments.of("footer", Lang.pinned(Locale.ITALIAN), "i18n.messages", text("<p>tre</p>", renders))),
                "/it/ pages link within /it/: a language of their own");
        assertEquals("<p>quattro</p>", written(fragments.of("rating", italian, "i18n.messages", text("<p>quattro</p>", renders))));
        assertEquals("<p>cinque</p>", written(fragments.of("footer", italian, "i18n.notify", text("<p>cinque</p>", renders))),
                "another bundle's strings: a part of their own");
        assertEquals(4, renders.get());
    }

    @Test
    void indentationAndEmptyLinesGoEachLineBreakStays() {
        String html = "<footer>\n  <div class=\"a\">\n    <p>Città di\n      Roccaverde</p>\n\n   \n  </div>\n</footer>";
        assertEquals("<footer>\n<div class=\"a\">\n<p>Città di\nRoccaverde</p>\n</div>\n</footer>",
                new String(Fragments.unindented(html.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8));
        assertEquals("a b", new String(Fragments.unindented("a b".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8),
                "spaces within a line are the text's");
        assertEquals("", new String(Fragments.unindented(new byte[0]), StandardCharsets.UTF_8));
    }
}
