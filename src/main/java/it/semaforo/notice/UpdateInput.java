package it.semaforo.notice;

import java.util.List;

/** A numbered update: its text, the states it sets from now on, and whether it ends the avviso. */
public record UpdateInput(String body, List<Impact> impacts, boolean closes) {
}
