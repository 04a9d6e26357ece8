package it.semaforo.text;

import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The body of an avviso read away from our pages (a feed) needs absolute links, still sanitised. */
class MarkdownTest {
    private final Markdown markdown = new Markdown();
    private static final URI PAGE = URI.create("https://stato.comune.example.it/avvisi/7-nuovi-orari");

    private static List<String> hrefs(String html) {
        return Jsoup.parseBodyFragment(html).select("a").eachAttr("href");
    }

    @Test
    void everyLinkIsResolvedAgainstThePageAddress() {
        String md = "[a](/allegati/modulo.pdf) [b](#contatti) [c](../servizi/anagrafe) [d](orari) "
                + "<a href=\"/avvisi?tipo=sicurezza\">e</a> [f](https://www.comune.example.it/x) [g](mailto:urp@comune.example.it)";
        assertEquals(List.of("https://stato.comune.example.it/allegati/modulo.pdf",
                "https://stato.comune.example.it/avvisi/7-nuovi-orari#contatti",
                "https://stato.comune.example.it/servizi/anagrafe",
                "https://stato.comune.example.it/avvisi/orari",
                "https://stato.comune.example.it/avvisi?tipo=sicurezza",
                "https://www.comune.example.it/x",
                "mailto:urp@comune.example.it"), hrefs(markdown.toHtml(md, PAGE)));
    }

    @Test
    void resolvingNeverLetsADangerousLinkThrough() {
        String html = markdown.toHtml("[x](javascript:alert(1)) <a href=\"java\tscript:alert(2)\">y</a> "
                + "<a href=\"http://a b\">z</a> <a href=\"//evil.example/p\">w</a> <b onclick=\"alert(3)\">b</b>", PAGE);
        List<String> links = hrefs(html);
        assertTrue(links.stream().noneMatch(h -> h.toLowerCase().contains("script")), links.toString());
        assertTrue(links.stream().noneMatch(h -> h.contains(" ")), "an invalid address is dropped: " + links);
        assertTrue(links.contains("https://evil.example/p"), "a protocol-relative link becomes absolute, as written");
        assertTrue(!html.contains("onclick"), html);
    }

    @Test
    void aLinkInCapitalsIsResolvedAndATextWithoutLinkIsTheSameAsOnThePage() {
        assertEquals(List.of("https://stato.comune.example.it/avvisi?tipo=sicurezza"),
                hrefs(markdown.toHtml("Vedi <A HREF=\"/avvisi?tipo=sicurezza\">gli avvisi</A>.", PAGE)));
        String md = "## Orari\n\nLo sportello apre alle 9 <abbr>URP</abbr> *solo* su appuntamento.\n\n| a | b |\n| - | - |\n| 1 | 2 |";
        assertEquals(markdown.toHtml(md), markdown.toHtml(md, PAGE));
    }

    @Test
    void thePageVariantKeepsLinksAsWrittenAndTheBaseMustBeAbsolute() {
        assertEquals(List.of("/allegati/modulo.pdf"), hrefs(markdown.toHtml("[a](/allegati/modulo.pdf)")));
        assertThrows(IllegalArgumentException.class, () -> markdown.toHtml("x", URI.create("/avvisi/1")));
    }
}
