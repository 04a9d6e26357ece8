package it.semaforo.admin;

/**
 * Who makes a change, as the audit log records it: a signed-in user from a client address,
 * or the command line. The write API of a later issue will build one from an API token.
 */
public record Actor(Long userId, String username, String displayName, Role role, String address) {
    public static Actor of(User user, String address) {
        return new Actor(user.id(), user.username(), user.displayName(), user.role(), address);
    }

    /** The command line on the server itself (create-admin). */
    public static Actor commandLine() {
        return new Actor(null, "riga-di-comando", "Riga di comando", Role.ADMINISTRATOR, "");
    }
}
