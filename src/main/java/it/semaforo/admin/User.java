package it.semaforo.admin;

import java.time.Instant;

/** An account of the clerks' area (never its password hash, which stays in Accounts). */
public record User(long id, String username, String displayName, Role role, boolean active,
                   Instant passwordChangedAt, Instant createdAt, Instant updatedAt) {
    public boolean isAdministrator() {
        return role == Role.ADMINISTRATOR;
    }
}
