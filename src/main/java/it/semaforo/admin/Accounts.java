package it.semaforo.admin;

import it.semaforo.db.Database;
import it.semaforo.db.Jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Users of the clerks' area and their passwords. Writes run inside the caller's transaction. */
public final class Accounts {
    /** Lower-case letters, digits, dot, dash and underscore: safe in URLs, logs and the audit log. */
    public static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{2,39}");

    private final Database db;
    private final Clock clock;
    private final Passwords passwords;

    public Accounts(Database db, Clock clock, Passwords passwords) {
        this.db = db;
        this.clock = clock;
        this.passwords = passwords;
    }

    public Passwords passwords() {
        return passwords;
    }

    public static String normalise(String username) {
        return username == null ? "" : username.strip().toLowerCase(Locale.ROOT);
    }

    public Optional<User> find(long id) {
        return db.read(c -> find(c, id));
    }

    public Optional<User> find(Connection c, long id) throws SQLException {
        return one(c, "WHERE id = ?", id);
    }

    public Optional<User> findByUsername(String username) {
        return db.read(c -> one(c, "WHERE username = ?", normalise(username)));
    }

    public List<User> all() {
        return db.read(c -> {
            List<User> users = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(SELECT + " ORDER BY active DESC, display_name, username");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) users.add(user(rs));
            }
            return users;
        });
    }

    /**
     * The active user with this name and password, or empty. An unknown name costs the same
     * bcrypt work as a wrong password, so timing does not tell which names exist.
     */
    public Optional<User> authenticate(String username, char[] password) {
        record Stored(User user, String hash) {
        }
        Optional<Stored> stored = db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, username, display_name, role, active, password_changed_at, created_at, updated_at,"
                            + " password_hash FROM app_user WHERE username = ?")) {
                ps.setString(1, normalise(username));
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Stored(user(rs), rs.getString("password_hash"))) : Optional.empty();
                }
            }
        });
        if (stored.isEmpty()) {
            passwords.verifyDecoy(password);
            return Optional.empty();
        }
        boolean ok = passwords.verify(password, stored.get().hash());
        return ok && stored.get().user().active() ? Optional.of(stored.get().user()) : Optional.empty();
    }

    public long create(Connection c, String username, String displayName, Role role, String passwordHash)
            throws SQLException {
        long now = clock.millis();
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO app_user(username, display_name, password_hash, role, active, password_changed_at, created_at, updated_at)
                VALUES (?, ?, ?, ?, 1, ?, ?, ?)""", Jdbc.keys())) {
            ps.setString(1, normalise(username));
            ps.setString(2, displayName);
            ps.setString(3, passwordHash);
            ps.setString(4, role.key());
            ps.setLong(5, now);
            ps.setLong(6, now);
            ps.setLong(7, now);
            return Jdbc.insert(ps);
        }
    }

    public void update(Connection c, long id, String displayName, Role role, boolean active) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE app_user SET display_name = ?, role = ?, active = ?, updated_at = ? WHERE id = ?")) {
            ps.setString(1, displayName);
            ps.setString(2, role.key());
            ps.setBoolean(3, active);
            ps.setLong(4, clock.millis());
            ps.setLong(5, id);
            if (ps.executeUpdate() != 1) throw new IllegalArgumentException("no user " + id);
        }
    }

    /** An account made active again: no longer suspended, and in use from now (not suspended again at midnight). */
    void reactivated(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE app_user SET suspended_at = NULL, last_activity_at = ? WHERE id = ?")) {
            ps.setLong(1, clock.millis());
            ps.setLong(2, id);
            ps.executeUpdate();
        }
    }

    java.time.Instant now() {
        return clock.instant();
    }

    public void setPasswordHash(Connection c, long id, String passwordHash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE app_user SET password_hash = ?, password_changed_at = ?, updated_at = ? WHERE id = ?")) {
            ps.setString(1, passwordHash);
            ps.setLong(2, clock.millis());
            ps.setLong(3, clock.millis());
            ps.setLong(4, id);
            if (ps.executeUpdate() != 1) throw new IllegalArgumentException("no user " + id);
        }
    }

    /** The password hash of a user, to check the current password before a change. */
    public boolean hasPassword(long id, char[] password) {
        String hash = db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT password_hash FROM app_user WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
        if (hash == null) {
            passwords.verifyDecoy(password);
            return false;
        }
        return passwords.verify(password, hash);
    }

    public boolean usernameTaken(Connection c, String username) throws SQLException {
        return one(c, "WHERE username = ?", normalise(username)).isPresent();
    }

    public int activeAdministrators(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM app_user WHERE active = 1 AND role = 'amministratore'");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Whether a user is an active administrator, inside the caller's transaction: who approves avvisi. */
    static boolean isActiveAdministrator(Connection c, long id) throws SQLException {
        return one(c, "WHERE id = ?", id).filter(u -> u.active() && u.isAdministrator()).isPresent();
    }

    private static final String SELECT = """
            SELECT id, username, display_name, role, active, password_changed_at, created_at, updated_at FROM app_user""";

    private static Optional<User> one(Connection c, String where, Object arg) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT + " " + where)) {
            ps.setObject(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(user(rs)) : Optional.empty();
            }
        }
    }

    private static User user(ResultSet rs) throws SQLException {
        return new User(rs.getLong("id"), rs.getString("username"), rs.getString("display_name"),
                Role.fromKey(rs.getString("role")).orElseThrow(), rs.getBoolean("active"),
                Jdbc.instant(rs, "password_changed_at"), Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "updated_at"));
    }
}
