package it.semaforo.notice;

import java.util.List;

/**
 * A numbered update: its text, the states it sets from now on, whether it ends the avviso, and
 * whether subscribers are told by mail (the clerk's choice; off for a mere correction).
 */
public record UpdateInput(String body, List<Impact> impacts, boolean closes, boolean notifySubscribers) {
    /** An update that tells subscribers, as updates do unless the clerk says otherwise. */
    public UpdateInput(String body, List<Impact> impacts, boolean closes) {
        this(body, impacts, closes, true);
    }
}
