package it.semaforo.admin;

import java.util.Arrays;
import java.util.Optional;

/** What a user may do: a redattore writes avvisi; an amministratore also manages services, providers and users. */
public enum Role {
    EDITOR("redattore"),
    ADMINISTRATOR("amministratore");

    private final String key;

    Role(String key) {
        this.key = key;
    }

    /** The stored key, also the one typed on forms. */
    public String key() {
        return key;
    }

    /** An administrator can do everything an editor can. */
    public boolean allows(Role needed) {
        return this == ADMINISTRATOR || needed == EDITOR;
    }

    public static Optional<Role> fromKey(String key) {
        return Arrays.stream(values()).filter(r -> r.key.equals(key)).findFirst();
    }
}
