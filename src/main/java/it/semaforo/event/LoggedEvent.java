package it.semaforo.event;

import java.time.Instant;

/** An event as the log holds it: its sequence number (strictly increasing) and the instant of the change. */
public record LoggedEvent(long seq, Instant at, ChangeEvent event) {
    public boolean isPublic() {
        return event.isPublic();
    }
}
