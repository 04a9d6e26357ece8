package it.semaforo.admin;

import it.semaforo.audit.Actor;
import java.time.Instant;

/** An account of the clerks' area (never its password hash, which stays in Accounts). */
public record User(long id, String username, String displayName, Role role, boolean active,
                   Instant passwordChangedAt, Instant createdAt, Instant updatedAt) {
    public boolean isAdministrator() {
        return role == Role.ADMINISTRATOR;
    }

    /** This user as the author of a change made from address. */
    public it.semaforo.audit.Actor actor(String address) {
        return new it.semaforo.audit.Actor(id, username, displayName, address);
    }
}
