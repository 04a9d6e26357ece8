package it.semaforo.admin;

import it.semaforo.db.Database;
import it.semaforo.db.Jdbc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Signed-in browsers. The cookie carries 256 random bits; the database keeps only their
 * SHA-256. A session ends at logout, after an idle time, after a maximum age, and when its
 * user is deactivated or changes password. Nothing here announces a public change: every
 * write is quiet.
 */
public final class Sessions {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** last_seen_at is written at most this often, not on every request. */
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    private final Database db;
    private final Clock clock;
    private final Duration idle;
    private final Duration maxAge;

    public Sessions(Database db, Clock clock, Duration idle, Duration maxAge) {
        this.db = db;
        this.clock = clock;
        this.idle = idle;
        this.maxAge = maxAge;
    }

    public record Session(String idHash, long userId, String csrfToken, Instant createdAt, Instant lastSeenAt) {
    }

    /** A new session with a fresh id and CSRF token; the cookie value is returned once, here. */
    public record Opened(String cookieValue, Session session) {
    }

    /** 256 random bits, URL-safe: session ids, CSRF tokens, the login form's token. */
    public static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String hash(String cookieValue) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(cookieValue.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Opens a session for a user who just proved who they are, ending the browser's previous one. */
    public Opened open(long userId, String previousCookieValue) {
        String value = randomToken();
        Instant now = clock.instant();
        Session s = new Session(hash(value), userId, randomToken(), now, now);
        db.write(c -> {
            if (previousCookieValue != null) delete(c, hash(previousCookieValue));
            // housekeeping: sessions nobody can use any more
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM admin_session WHERE last_seen_at <= ? OR created_at <= ?")) {
                ps.setLong(1, now.minus(idle).toEpochMilli());
                ps.setLong(2, now.minus(maxAge).toEpochMilli());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO admin_session(id_hash, user_id, csrf_token, created_at, last_seen_at)
                    VALUES (?, ?, ?, ?, ?)""")) {
                ps.setString(1, s.idHash());
                ps.setLong(2, userId);
                ps.setString(3, s.csrfToken());
                ps.setLong(4, now.toEpochMilli());
                ps.setLong(5, now.toEpochMilli());
                ps.executeUpdate();
            }
            return null;
        });
        return new Opened(value, s);
    }

    /** The live session for a cookie value; an idle or too old one is ended and not returned. */
    public Optional<Session> find(String cookieValue) {
        if (cookieValue == null || cookieValue.length() < 32 || cookieValue.length() > 64) return Optional.empty();
        String idHash = hash(cookieValue);
        Optional<Session> found = db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id_hash, user_id, csrf_token, created_at, last_seen_at FROM admin_session WHERE id_hash = ?")) {
                ps.setString(1, idHash);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return Optional.empty();
                    return Optional.of(new Session(rs.getString(1), rs.getLong(2), rs.getString(3),
                            Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "last_seen_at")));
                }
            }
        });
        if (found.isEmpty()) return found;
        Session s = found.get();
        Instant now = clock.instant();
        if (!now.isBefore(s.lastSeenAt().plus(idle)) || !now.isBefore(s.createdAt().plus(maxAge))) {
            close(cookieValue);
            return Optional.empty();
        }
        if (!now.isBefore(s.lastSeenAt().plus(TOUCH_EVERY))) {
            db.write(c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE admin_session SET last_seen_at = ? WHERE id_hash = ?")) {
                    ps.setLong(1, now.toEpochMilli());
                    ps.setString(2, idHash);
                    ps.executeUpdate();
                }
                AccessReview.active(c, s.userId(), now);   // the account is in use: the access review's last activity
                return null;
            });
        }
        return found;
    }

    public void close(String cookieValue) {
        if (cookieValue == null) return;
        db.write(c -> {
            delete(c, hash(cookieValue));
            return null;
        });
    }

    /** Ends every session of a user except one (the browser that changed the password keeps its own). */
    public void closeAllOf(Connection c, long userId, String exceptIdHash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM admin_session WHERE user_id = ? AND id_hash <> ?")) {
            ps.setLong(1, userId);
            ps.setString(2, exceptIdHash == null ? "" : exceptIdHash);
            ps.executeUpdate();
        }
    }

    private static void delete(Connection c, String idHash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM admin_session WHERE id_hash = ?")) {
            ps.setString(1, idHash);
            ps.executeUpdate();
        }
    }
}
