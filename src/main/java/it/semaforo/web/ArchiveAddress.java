package it.semaforo.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The archive's filters and page as its address says them, so that a static copy serves every
 * page unchanged: /avvisi/servizio/{slug}/tipo/{kind}/anno/{year}/pagina/{n}, each part
 * optional but in this order. Without a page it is the list's landing (the newest avvisi);
 * pages are numbered from the oldest, so that page n keeps its avvisi whatever is published
 * after them. Only the free-text search stays in the query string (?q=), which no static host
 * can answer. Values are as the visitor gave them: PublicSite checks them.
 */
record ArchiveAddress(String text, String service, String kind, String year, String page) {
    /** The filters that are path segments, in the order of the address. */
    static final List<String> FILTERS = List.of("servizio", "tipo", "anno");
    static final String PAGE = "pagina";

    /** From request parameters (the query string, or the path's own parameters merged over it). */
    static ArchiveAddress of(Map<String, List<String>> params) {
        return new ArchiveAddress(param(params, "q"), param(params, "servizio"), param(params, "tipo"),
                param(params, "anno"), param(params, PAGE));
    }

    /** A list's landing (page 0) or its numbered page. */
    static ArchiveAddress of(String service, String kind, String year, int page) {
        return new ArchiveAddress("", service == null ? "" : service, kind == null ? "" : kind,
                year == null ? "" : year, page < 1 ? "" : String.valueOf(page));
    }

    /** The same filters on numbered page n, or on their landing (0). */
    ArchiveAddress onPage(int n) {
        return new ArchiveAddress(text, service, kind, year, n < 1 ? "" : String.valueOf(n));
    }

    /** The landing of the same filters. */
    ArchiveAddress landing() {
        return onPage(0);
    }

    /** One spelling per page: a number with leading zeros ("01") as the number; anything else as given. */
    ArchiveAddress normal() {
        return page.matches("[0-9]{2,6}") && page.startsWith("0") && !page.matches("0+")
                ? onPage(Integer.parseInt(page)) : this;
    }

    /** The address without language prefix nor query: /avvisi/tipo/manutenzione/pagina/2. */
    String path() {
        StringBuilder p = new StringBuilder("/avvisi");
        segment(p, "servizio", service);
        segment(p, "tipo", kind);
        segment(p, "anno", year);
        segment(p, PAGE, page);
        return p.toString();
    }

    /** The query string that goes with the path: the text search alone, or empty. */
    String query() {
        return text.isEmpty() ? "" : "q=" + URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** path() with its query, as a link. */
    String link() {
        return path() + (text.isEmpty() ? "" : "?" + query());
    }

    /** The route patterns of every filtered or paginated address (the plain /avvisi aside). */
    static List<String> routes() {
        List<String> all = new ArrayList<>();
        for (int mask = 0; mask < 1 << FILTERS.size(); mask++) {
            StringBuilder p = new StringBuilder("/avvisi");
            for (int i = 0; i < FILTERS.size(); i++) {
                if ((mask & 1 << i) != 0) p.append('/').append(FILTERS.get(i)).append("/{").append(FILTERS.get(i)).append('}');
            }
            if (mask != 0) all.add(p.toString());
            all.add(p + "/" + PAGE + "/{" + PAGE + "}");
        }
        return all;
    }

    private static void segment(StringBuilder p, String name, String value) {
        if (!value.isEmpty()) {
            p.append('/').append(name).append('/').append(URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"));
        }
    }

    private static String param(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() || values.get(0) == null ? "" : values.get(0).strip();
    }
}
