package it.semaforo.api;

import it.semaforo.service.Catalog;
import it.semaforo.service.Service;
import it.semaforo.render.Messages;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The "servizi" parameter of the API and of the banner: service slugs separated by commas,
 * none meaning every service. Unknown or malformed slugs are refused with a message that
 * says what to send, never ignored (a typo would silently hide an outage).
 */
public final class ServiceSelection {
    public static final String PARAM = "servizi";
    static final int MAX = 50;
    private static final Pattern SLUG = Pattern.compile("[a-z0-9]+(?:-[a-z0-9]+)*");

    private ServiceSelection() {
    }

    /** The chosen services in the catalog's order; empty when the parameter is absent or blank. */
    public static List<Service> parse(String raw, Catalog catalog, Messages msg) {
        if (raw == null || raw.isBlank()) return List.of();
        if (raw.length() > 2000) throw ApiError.badRequest(msg.t("api.error.servizi.too.many", String.valueOf(MAX)), PARAM);
        Set<String> slugs = new LinkedHashSet<>();
        for (String part : raw.split(",")) {
            String slug = part.strip();
            if (slug.isEmpty()) continue;
            if (catalog.service(slug).isEmpty()) {
                // say why: a malformed slug (upper case, spaces) is a different mistake from a missing one
                throw ApiError.badRequest(SLUG.matcher(slug).matches() ? msg.t("api.error.servizi.unknown", slug)
                        : msg.t("api.error.servizi.invalid", shorten(slug)), PARAM);
            }
            slugs.add(slug);
        }
        if (slugs.size() > MAX) throw ApiError.badRequest(msg.t("api.error.servizi.too.many", String.valueOf(MAX)), PARAM);
        return catalog.services().stream().filter(s -> slugs.contains(s.slug())).toList();
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
