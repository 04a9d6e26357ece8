package it.semaforo.signal;

import it.semaforo.service.ServiceState;

/**
 * What an upstream says now, read by the poller: a state in our terms (null when the upstream
 * says something we cannot map), its own words (plain text) and a link to read them there.
 * key identifies a feed's newest entry (a new key is a new signal); null for the others.
 */
public record Reading(ServiceState state, String title, String text, String link, String key) {
    public Reading {
        title = title == null ? "" : title;
        text = text == null ? "" : text;
        link = link == null ? "" : link;
    }
}
