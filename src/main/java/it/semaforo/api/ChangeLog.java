package it.semaforo.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import it.semaforo.event.EventLog;
import it.semaforo.event.LoggedEvent;

import java.util.List;

/**
 * The public change log, /api/semaforo/v1/events.json?after=N: the public events after
 * sequence number N, oldest first, a page at a time, so that another system (or another
 * Semaforo) follows this one without scraping. Drafts, scheduled avvisi and housekeeping never
 * appear; an event's fields are those its avviso's public page shows. Webhooks send the same
 * shape, one event at a time.
 */
public final class ChangeLog {
    public static final String PATH = SemaforoApi.BASE + "/events.json";
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 500;

    private final EventLog events;
    private final String baseUrl;

    public ChangeLog(EventLog events, String baseUrl) {
        this.events = events;
        this.baseUrl = baseUrl;
    }

    /** The page after seq: at most limit events, and the address of the next page while there are more. */
    public ObjectNode page(long after, int limit) {
        List<LoggedEvent> page = events.after(after, limit + 1, true);
        boolean more = page.size() > limit;
        if (more) page = page.subList(0, limit);
        long last = page.isEmpty() ? after : page.get(page.size() - 1).seq();
        ObjectNode root = Json.object();
        ArrayNode list = root.putArray("events");
        for (LoggedEvent e : page) list.add(event(e));
        root.put("after", after);
        root.put("last_id", last);
        if (more) root.put("next", baseUrl + PATH + "?after=" + last + (limit == DEFAULT_LIMIT ? "" : "&limit=" + limit));
        else root.putNull("next");
        // where a follower resumes: the same page asked again answers 304 until something happens
        root.put("poll", baseUrl + PATH + "?after=" + last + (limit == DEFAULT_LIMIT ? "" : "&limit=" + limit));
        return root;
    }

    /** One event as followers and webhooks receive it: id (the sequence number), type, at, data. */
    public ObjectNode event(LoggedEvent e) {
        ObjectNode node = Json.object();
        node.put("id", e.seq());
        node.put("type", e.event().type());
        node.put("at", e.at().toString());
        ObjectNode data = (ObjectNode) events.fields(e.event());
        data.remove("is_public");   // always true here
        node.set("data", data);
        return node;
    }
}
