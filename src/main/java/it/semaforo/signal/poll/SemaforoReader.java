package it.semaforo.signal.poll;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import it.semaforo.service.ServiceState;
import it.semaforo.signal.Reading;
import it.semaforo.text.JsonText;

import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

/**
 * Follows another Semaforo through its public change log (/api/semaforo/v1/events.json, see
 * api.ChangeLog): each page of events moves what it remembers of the upstream's services
 * (state, and the avviso that last touched each), kept as the source's memory between polls.
 * What it says is the chosen service's state (by slug), or the worst of all when none is chosen.
 */
final class SemaforoReader {
    static final String PATH = "/api/semaforo/v1/events.json";

    private final ObjectNode memory;

    SemaforoReader(String memory) {
        ObjectNode m;
        try {
            JsonNode n = JsonText.MAPPER.readTree(memory == null || memory.isBlank() ? "{}" : memory);
            m = n instanceof ObjectNode o ? o : JsonText.MAPPER.createObjectNode();
        } catch (IOException e) {
            m = JsonText.MAPPER.createObjectNode();
        }
        if (!m.path("states").isObject()) m.putObject("states");
        if (!m.path("notices").isObject()) m.putObject("notices");
        if (!m.path("byId").isObject()) m.putObject("byId");
        this.memory = m;
    }

    /** The address of the page after the event last read. */
    static String pageUrl(String base, String position) {
        String b = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        long after = position == null || !position.matches("[0-9]{1,18}") ? 0 : Long.parseLong(position);
        return b + PATH + "?after=" + after + "&limit=500";
    }

    /** Reads one page; returns the next page's address while the upstream says there are more, else null. */
    String page(byte[] body) throws FetchFailure {
        JsonNode root;
        try {
            root = JsonText.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new FetchFailure("signals.error.json");
        }
        if (root == null || !root.path("events").isArray() || !root.path("last_id").canConvertToLong()) {
            throw new FetchFailure("signals.error.semaforo");
        }
        ObjectNode states = (ObjectNode) memory.get("states");
        ObjectNode notices = (ObjectNode) memory.get("notices");
        ObjectNode byId = (ObjectNode) memory.get("byId");
        for (JsonNode e : root.path("events")) {
            JsonNode data = e.path("data");
            JsonNode notice = data.path("notice");
            if (notice.isObject()) {
                ObjectNode kept = JsonText.MAPPER.createObjectNode();
                kept.put("title", notice.path("title").asText(""));
                kept.put("summary", notice.path("summary").asText(""));
                kept.put("path", notice.path("path").asText(""));
                byId.set(notice.path("id").asText(), kept);
                for (JsonNode s : data.path("services")) notices.set(s.path("slug").asText(), kept);
            }
            if ("service.state_changed".equals(e.path("type").asText())) {
                JsonNode s = data.path("service");
                String slug = s.path("slug").asText("");
                if (slug.isEmpty() || ServiceState.fromKey(s.path("after").asText("")).isEmpty()) continue;
                states.put(slug, s.path("after").asText());
                JsonNode cause = byId.path(data.path("cause_notice_id").asText(""));
                if (cause.isObject()) notices.set(slug, cause);
            }
        }
        // the avvisi by id are only needed while their events may still come: keep the last 200
        while (byId.size() > 200) byId.remove(byId.fieldNames().next());
        memory.put("last_id", root.path("last_id").asLong());
        String next = root.path("next").asText(null);
        return next == null || next.isBlank() || root.path("next").isNull() ? null : next;
    }

    String position() {
        return String.valueOf(memory.path("last_id").asLong(0));
    }

    String memory() {
        return memory.toString();
    }

    /** What the upstream says now of the chosen service, or of the worst of its services. */
    Reading reading(String selector, String base) {
        JsonNode states = memory.get("states");
        String slug = selector.strip();
        ServiceState state = ServiceState.OPERATIONAL;
        if (!slug.isEmpty()) {
            state = ServiceState.fromKey(states.path(slug).asText("")).orElse(ServiceState.OPERATIONAL);
        } else {
            for (Iterator<Map.Entry<String, JsonNode>> it = states.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                ServiceState s = ServiceState.fromKey(e.getValue().asText()).orElse(ServiceState.OPERATIONAL);
                if (s.worseThan(state)) {
                    state = s;
                    slug = e.getKey();
                }
            }
        }
        String b = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        JsonNode n = slug.isEmpty() ? null : memory.get("notices").get(slug);
        if (n == null) {
            return new Reading(state, slug.isEmpty() ? b : slug, "", b + (slug.isEmpty() ? "/" : "/servizi/" + slug), null);
        }
        return new Reading(state, n.path("title").asText(slug), n.path("summary").asText(""),
                FeedReader.absolute(java.net.URI.create(b + "/"), n.path("path").asText("")), null);
    }
}
