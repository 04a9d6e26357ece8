package it.semaforo.signal.poll;

import com.fasterxml.jackson.databind.JsonNode;
import it.semaforo.service.ServiceState;
import it.semaforo.signal.Reading;
import it.semaforo.text.JsonText;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a Statuspage v2 summary.json (docs/statuspage-v2.md) for the component or group a
 * source maps to our provider: its status in our states (the table in docs/operations.md),
 * and in words the newest unresolved incident, or maintenance in progress, touching it.
 * Unknown fields are ignored; an unknown status is shown and proposes nothing.
 */
final class StatuspageReader {
    private StatuspageReader() {
    }

    /** A component status of Statuspage in our states; null for one we do not know. */
    static ServiceState state(String status) {
        return switch (status == null ? "" : status) {
            case "operational" -> ServiceState.OPERATIONAL;
            case "degraded_performance" -> ServiceState.DEGRADED;
            case "partial_outage" -> ServiceState.LIMITED;
            case "major_outage" -> ServiceState.SUSPENDED;
            case "under_maintenance" -> ServiceState.MAINTENANCE;
            default -> null;
        };
    }

    /** The page's overall indicator in our states, when no component is chosen. */
    static ServiceState indicator(String indicator) {
        return switch (indicator == null ? "" : indicator) {
            case "none" -> ServiceState.OPERATIONAL;
            case "minor" -> ServiceState.DEGRADED;
            case "major" -> ServiceState.LIMITED;
            case "critical" -> ServiceState.SUSPENDED;
            case "maintenance" -> ServiceState.MAINTENANCE;
            default -> null;
        };
    }

    static Reading read(byte[] body, String selector, String pageUrl) throws FetchFailure {
        JsonNode root;
        try {
            root = JsonText.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new FetchFailure("signals.error.json");
        }
        if (root == null || !root.isObject() || !root.path("components").isArray()) {
            throw new FetchFailure("signals.error.statuspage");
        }
        String link = root.path("page").path("url").asText(pageUrl);
        // the chosen component, or a group and its members; none chosen: the page's rollup
        Set<String> ids = new HashSet<>();
        ServiceState state = null;
        String unknown = null;
        String what = root.path("page").path("name").asText("");
        if (selector.isBlank()) {
            state = indicator(root.path("status").path("indicator").asText(null));
            if (state == null) unknown = root.path("status").path("indicator").asText("");
            what = root.path("status").path("description").asText(what);
        } else {
            JsonNode chosen = null;
            for (JsonNode c : root.path("components")) {
                if (selector.equals(c.path("id").asText()) || selector.strip().toLowerCase(Locale.ROOT)
                        .equals(c.path("name").asText("").strip().toLowerCase(Locale.ROOT))) {
                    chosen = c;
                    break;
                }
            }
            if (chosen == null) throw new FetchFailure("signals.error.component", selector);
            ids.add(chosen.path("id").asText());
            for (JsonNode m : chosen.path("components")) ids.add(m.asText());
            for (JsonNode c : root.path("components")) {
                if (!ids.contains(c.path("id").asText()) && !chosen.path("id").asText().equals(c.path("group_id").asText(null))) {
                    continue;
                }
                ids.add(c.path("id").asText());
                ServiceState s = state(c.path("status").asText(null));
                if (s == null) {
                    unknown = c.path("status").asText("");
                    continue;
                }
                state = state == null ? s : ServiceState.worst(state, s);
            }
            what = chosen.path("name").asText(selector) + ": " + chosen.path("status").asText("");
        }
        // in words: the newest unresolved incident (or maintenance in progress) touching it
        List<JsonNode> events = new ArrayList<>();
        root.path("incidents").forEach(events::add);
        for (JsonNode m : root.path("scheduled_maintenances")) {
            String st = m.path("status").asText("");
            if (st.equals("in_progress") || st.equals("verifying")) events.add(m);
        }
        for (JsonNode e : events) {
            String st = e.path("status").asText("");
            if (st.equals("resolved") || st.equals("postmortem") || st.equals("completed")) continue;
            if (!ids.isEmpty() && !touches(e, ids)) continue;
            JsonNode update = e.path("incident_updates").path(0);
            String text = Plain.text(update.path("body").asText(""));
            String shortlink = e.path("shortlink").asText("");
            return new Reading(state, Plain.text(e.path("name").asText(what)), text,
                    shortlink.startsWith("http") ? shortlink : link, null);
        }
        if (state == null && unknown != null) return new Reading(null, what, "status: " + unknown, link, null);
        return new Reading(state, Plain.text(what), "", link, null);
    }

    private static boolean touches(JsonNode event, Set<String> ids) {
        for (JsonNode c : event.path("components")) if (ids.contains(c.path("id").asText())) return true;
        return false;
    }
}
