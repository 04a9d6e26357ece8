package it.semaforo.audit;

/**
 * Who makes a change, as the audit log records it: a signed-in clerk or an API token's owner
 * from a client address, or the command line on the server itself.
 */
public record Actor(Long userId, String username, String displayName, String address) {
    /** The command line on the server itself (create-admin). */
    public static Actor commandLine() {
        return new Actor(null, "riga-di-comando", "Riga di comando", "");
    }
}
