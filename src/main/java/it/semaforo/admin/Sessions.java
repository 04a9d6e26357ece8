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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Signed-in browsers. The cookie carries 256 random bits; the database keeps only their
 * SHA-256. A session ends at logout, after an idle time, after a maximum age, when its user is
 * deactivated or changes password or second factor, and when its owner or an administrator
 * ends it from the list of open sessions. Its owner sees it by a separate random handle, the
 * browser and the network prefix of the address it started from (never the whole address).
 * Nothing here announces a public change: every write is quiet.
 */
public final class Sessions {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** last_seen_at is written at most this often, not on every request. */
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);
    /** A session past the password only must finish its second step within this time. */
    static final Duration HALFWAY_FOR = Duration.ofMinutes(10);

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

    /**
     * How far a session has come: signed in, or past the first factor (password, or an
     * identity provider) and waiting for the second, or made to enrol one before anything else.
     */
    public enum Stage {
        SIGNED_IN("signed-in"), SECOND_FACTOR("second-factor"), ENROL("enrol");

        private final String key;

        Stage(String key) {
            this.key = key;
        }

        static Stage of(String key) {
            for (Stage s : values()) if (s.key.equals(key)) return s;
            throw new IllegalArgumentException(key);
        }
    }

    public record Session(String idHash, long userId, String csrfToken, Instant createdAt, Instant lastSeenAt,
                          String handle, Stage stage, String browser, String addressPrefix) {
        public boolean signedIn() {
            return stage == Stage.SIGNED_IN;
        }
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
    public Opened open(long userId, String previousCookieValue, Stage stage, String browser, String addressPrefix) {
        String value = randomToken();
        Instant now = clock.instant();
        Session s = new Session(hash(value), userId, randomToken(), now, now, randomToken().substring(0, 22), stage,
                browser, addressPrefix);
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
                    INSERT INTO admin_session(id_hash, user_id, csrf_token, created_at, last_seen_at, handle, stage,
                      browser, address_prefix)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                ps.setString(1, s.idHash());
                ps.setLong(2, userId);
                ps.setString(3, s.csrfToken());
                ps.setLong(4, now.toEpochMilli());
                ps.setLong(5, now.toEpochMilli());
                ps.setString(6, s.handle());
                ps.setString(7, stage.key);
                ps.setString(8, browser);
                ps.setString(9, addressPrefix);
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
            try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE id_hash = ?")) {
                ps.setString(1, idHash);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(session(rs)) : Optional.<Session>empty();
                }
            }
        });
        if (found.isEmpty()) return found;
        Session s = found.get();
        Instant now = clock.instant();
        if (!now.isBefore(s.lastSeenAt().plus(idle)) || !now.isBefore(s.createdAt().plus(maxAge))
                || !s.signedIn() && !now.isBefore(s.createdAt().plus(HALFWAY_FOR))) {
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

    /** A user's live sessions, the most recently seen first. */
    public List<Session> of(long userId) {
        Instant now = clock.instant();
        return db.read(c -> {
            List<Session> list = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(SELECT
                    + " WHERE user_id = ? AND last_seen_at > ? AND created_at > ? ORDER BY last_seen_at DESC, created_at DESC")) {
                ps.setLong(1, userId);
                ps.setLong(2, now.minus(idle).toEpochMilli());
                ps.setLong(3, now.minus(maxAge).toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) list.add(session(rs));
                }
            }
            return list;
        });
    }

    /** Ends one session of a user by its handle; false when the user has no such session. */
    public boolean closeByHandle(Connection c, long userId, String handle) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM admin_session WHERE user_id = ? AND handle = ?")) {
            ps.setLong(1, userId);
            ps.setString(2, handle);
            return ps.executeUpdate() > 0;
        }
    }

    /** Ends every session of a user; how many there were. */
    public int closeAll(Connection c, long userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM admin_session WHERE user_id = ?")) {
            ps.setLong(1, userId);
            return ps.executeUpdate();
        }
    }

    /** What the list of sessions shows of a browser: its name and system, from the User-Agent, never the whole string. */
    public static String browser(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) return "";
        String ua = userAgent.length() > 512 ? userAgent.substring(0, 512) : userAgent;
        String name = ua.contains("Edg/") ? "Edge" : ua.contains("OPR/") ? "Opera" : ua.contains("Firefox/") ? "Firefox"
                : ua.contains("Chrome/") || ua.contains("Chromium/") ? "Chrome" : ua.contains("Safari/") ? "Safari" : "";
        String system = ua.contains("Android") ? "Android" : ua.contains("iPhone") || ua.contains("iPad") ? "iOS"
                : ua.contains("Windows") ? "Windows" : ua.contains("Mac OS X") || ua.contains("Macintosh") ? "macOS"
                : ua.contains("CrOS") ? "ChromeOS" : ua.contains("Linux") ? "Linux" : "";
        if (name.isEmpty() && system.isEmpty()) {
            String first = ua.strip().split("[\\s/;()]", 2)[0];
            return first.length() > 40 ? first.substring(0, 40) : first;
        }
        return name.isEmpty() ? system : system.isEmpty() ? name : name + " · " + system;
    }

    /** The network an address belongs to, not the address: 203.0.113.0/24, 2001:db8:1::/48. */
    public static String addressPrefix(String address) {
        if (address == null) return "";
        String a = address.strip();
        if (a.startsWith("[") && a.endsWith("]")) a = a.substring(1, a.length() - 1);
        if (a.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) return a.substring(0, a.lastIndexOf('.')) + ".0/24";
        if (a.contains(":") && a.matches("[0-9A-Fa-f:.]+")) {
            try {
                byte[] b = java.net.InetAddress.getByName(a).getAddress();
                if (b.length == 4) return (b[0] & 255) + "." + (b[1] & 255) + "." + (b[2] & 255) + ".0/24";
                return String.format("%x:%x:%x::/48", ((b[0] & 255) << 8) | (b[1] & 255), ((b[2] & 255) << 8) | (b[3] & 255),
                        ((b[4] & 255) << 8) | (b[5] & 255));
            } catch (java.net.UnknownHostException e) {
                return "";
            }
        }
        return "";
    }

    private static final String SELECT = "SELECT id_hash, user_id, csrf_token, created_at, last_seen_at, handle, stage, browser,"
            + " address_prefix FROM admin_session";

    private static Session session(ResultSet rs) throws SQLException {
        return new Session(rs.getString("id_hash"), rs.getLong("user_id"), rs.getString("csrf_token"),
                Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "last_seen_at"), rs.getString("handle"),
                Stage.of(rs.getString("stage")), rs.getString("browser"), rs.getString("address_prefix"));
    }

    private static void delete(Connection c, String idHash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM admin_session WHERE id_hash = ?")) {
            ps.setString(1, idHash);
            ps.executeUpdate();
        }
    }
}
