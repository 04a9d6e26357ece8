package it.semaforo.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import it.semaforo.notice.Notice;
import it.semaforo.render.Formats;
import it.semaforo.render.Site;
import it.semaforo.service.Service;
import it.semaforo.text.JsonText;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * schema.org JSON-LD of an avviso: a SpecialAnnouncement published by the comune (a
 * GovernmentOrganization) about the GovernmentServices it affects. A data block
 * (application/ld+json) is never executed, so the CSP's script-src does not apply to it.
 */
public final class JsonLd {
    private static final ObjectMapper JSON = JsonText.MAPPER;

    private JsonLd() {
    }

    /** The JSON text, safe inside a script element: no "<", ">" or "&" left unescaped. */
    public static String announcement(Notice n, List<Service> services, Site site) {
        String base = site.baseUrl();
        ZoneId zone = site.zone();
        Site.Comune comune = site.comune();
        ObjectNode org = JSON.createObjectNode();
        org.put("@type", "GovernmentOrganization");
        org.put("name", comune.name());
        org.put("url", comune.website());
        org.put("address", comune.address());
        org.put("email", comune.pec());
        org.put("telephone", comune.phone());
        org.put("taxID", comune.taxCode());

        ObjectNode a = JSON.createObjectNode();
        a.put("@context", "https://schema.org");
        a.put("@type", "SpecialAnnouncement");
        a.put("@id", base + n.path() + "#avviso");
        a.put("name", n.title());
        a.put("text", n.summary().isBlank() ? n.title() : n.summary());
        a.put("url", base + n.path());
        a.put("inLanguage", n.language());
        a.put("datePosted", Formats.iso(n.publishedAt(), zone));
        a.put("dateModified", Formats.iso(n.lastUpdatedAt(), zone));
        Instant expires = n.endOfForce() != null ? n.endOfForce() : n.windowEnd();
        if (expires != null) a.put("expires", Formats.iso(expires, zone));
        a.set("publisher", org);
        a.set("author", org);
        ObjectNode place = a.putObject("spatialCoverage");
        place.put("@type", "AdministrativeArea");
        place.put("name", comune.name());
        ArrayNode about = a.putArray("about");
        for (Service s : services) {
            ObjectNode gs = about.addObject();
            gs.put("@type", "GovernmentService");
            gs.put("name", s.name());
            gs.put("url", base + s.path());
            gs.set("provider", org);
        }
        return JsonText.forScript(a);
    }
}
