package it.semaforo.notify;

import it.semaforo.db.Database;
import it.semaforo.db.Jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The subscribers' repository: double opt-in, choices, erasure. A confirmation mail goes into
 * the outbox in the same transaction as the token it carries.
 */
public final class Subscriptions {
    /** How long a confirmation link (and an unconfirmed address) lives. */
    public static final Duration CONFIRM_VALIDITY = Duration.ofHours(48);
    /** At most one confirmation (or "you are already subscribed") mail per address in this time. */
    public static final Duration MAIL_INTERVAL = Duration.ofHours(1);

    private final Database db;
    private final Outbox outbox;
    private final Clock clock;

    public Subscriptions(Database db, Outbox outbox, Clock clock) {
        this.db = db;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** What a sign-up did; the resident is told the same thing whatever it is (no enumeration). */
    public enum SignUp { CONFIRMATION_SENT, REMINDER_SENT, NOTHING_SENT }

    /**
     * A sign-up with a valid address: a new or still unconfirmed address gets a confirmation
     * mail (at most one an hour); a confirmed one gets, at most once an hour, a mail with its
     * manage link (its choices change only from there).
     */
    public SignUp signUp(String email, String language, Choices choices) {
        Instant now = clock.instant();
        return db.write(c -> {
            Optional<Subscriber> found = byEmail(c, email);
            if (found.isPresent() && found.get().confirmSentAt() != null
                    && found.get().confirmSentAt().plus(MAIL_INTERVAL).isAfter(now)) {
                return SignUp.NOTHING_SENT;
            }
            if (found.isPresent() && found.get().confirmed()) {
                long id = found.get().id();
                touchConfirmSent(c, id, now);
                outbox.enqueue(c, "reminder", id, "{}", now);
                return SignUp.REMINDER_SENT;
            }
            long id;
            if (found.isPresent()) {
                id = found.get().id();
                try (PreparedStatement ps = c.prepareStatement("UPDATE notify_subscriber SET language = ?, everything = ?, "
                        + "services = ?, groups = ?, kinds = ?, consent_at = ? WHERE id = ?")) {
                    bindChoices(ps, language, choices);
                    ps.setLong(6, now.toEpochMilli());
                    ps.setLong(7, id);
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM notify_token WHERE subscriber_id = ?")) {
                    ps.setLong(1, id);
                    ps.executeUpdate();
                }
            } else {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO notify_subscriber(language, everything, services, "
                        + "groups, kinds, consent_at, email) VALUES (?, ?, ?, ?, ?, ?, ?)", Jdbc.keys())) {
                    bindChoices(ps, language, choices);
                    ps.setLong(6, now.toEpochMilli());
                    ps.setString(7, email);
                    id = Jdbc.insert(ps);
                }
            }
            String token = Tokens.random();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO notify_token(hash, subscriber_id, expires_at) VALUES (?, ?, ?)")) {
                ps.setString(1, Tokens.sha256(token));
                ps.setLong(2, id);
                ps.setLong(3, now.plus(CONFIRM_VALIDITY).toEpochMilli());
                ps.executeUpdate();
            }
            touchConfirmSent(c, id, now);
            // the token travels in the outbox row until the mail is sent, then the row forgets it
            outbox.enqueue(c, "confirm", id, "{\"token\":\"" + token + "\"}", now);
            return SignUp.CONFIRMATION_SENT;
        });
    }

    private static void bindChoices(PreparedStatement ps, String language, Choices choices) throws SQLException {
        ps.setString(1, language);
        ps.setInt(2, choices.everything() ? 1 : 0);
        ps.setString(3, Choices.column(choices.services()));
        ps.setString(4, Choices.column(choices.groups()));
        ps.setString(5, Choices.column(choices.kinds()));
    }

    private static void touchConfirmSent(Connection c, long id, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE notify_subscriber SET confirm_sent_at = ? WHERE id = ?")) {
            ps.setLong(1, now.toEpochMilli());
            ps.setLong(2, id);
            ps.executeUpdate();
        }
    }

    /** Uses a confirmation token (once): the subscriber it confirmed, or empty when unknown, used or expired. */
    public Optional<Subscriber> confirm(String token) {
        if (token == null || token.isEmpty() || token.length() > 100) return Optional.empty();
        Instant now = clock.instant();
        return db.write(c -> {
            long id;
            try (PreparedStatement ps = c.prepareStatement("SELECT subscriber_id, expires_at FROM notify_token WHERE hash = ?")) {
                ps.setString(1, Tokens.sha256(token));
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || rs.getLong(2) <= now.toEpochMilli()) return Optional.empty();
                    id = rs.getLong(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM notify_token WHERE subscriber_id = ?")) {
                ps.setLong(1, id);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE notify_subscriber SET confirmed_at = COALESCE(confirmed_at, ?) WHERE id = ?")) {
                ps.setLong(1, now.toEpochMilli());
                ps.setLong(2, id);
                ps.executeUpdate();
            }
            return byId(c, id);
        });
    }

    public Optional<Subscriber> byId(long id) {
        return db.read(c -> byId(c, id));
    }

    public void update(long id, String language, Choices choices) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE notify_subscriber SET language = ?, everything = ?, "
                    + "services = ?, groups = ?, kinds = ? WHERE id = ?")) {
                bindChoices(ps, language, choices);
                ps.setLong(6, id);
                return ps.executeUpdate();
            }
        });
    }

    /** Erases the subscriber: address, choices, tokens, and every message to them, sent or not. */
    public boolean erase(long id) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM notify_subscriber WHERE id = ?")) {
                ps.setLong(1, id);
                return ps.executeUpdate() > 0;
            }
        });
    }

    /** Erases addresses never confirmed within 48 hours, and expired tokens. Returns the addresses erased. */
    public int purgeUnconfirmed() {
        long limit = clock.instant().minus(CONFIRM_VALIDITY).toEpochMilli();
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM notify_token WHERE expires_at <= ?")) {
                ps.setLong(1, clock.instant().toEpochMilli());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM notify_subscriber WHERE confirmed_at IS NULL AND consent_at <= ?")) {
                ps.setLong(1, limit);
                return ps.executeUpdate();
            }
        });
    }

    /** At most limit confirmed, not suspended subscribers numbered after afterId, in order, inside the caller's transaction. */
    List<Subscriber> active(Connection c, long afterId, int limit) throws SQLException {
        List<Subscriber> some = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM notify_subscriber WHERE confirmed_at IS NOT NULL "
                + "AND suspended_at IS NULL AND id > ? ORDER BY id LIMIT ?")) {
            ps.setLong(1, afterId);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) some.add(row(rs));
            }
        }
        return some;
    }

    /** Every confirmed, not suspended subscriber, inside the caller's transaction. */
    List<Subscriber> active(Connection c) throws SQLException {
        List<Subscriber> all = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT * FROM notify_subscriber WHERE confirmed_at IS NOT NULL AND suspended_at IS NULL ORDER BY id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) all.add(row(rs));
        }
        return all;
    }

    /** A permanent failure: counted; the third suspends the address. */
    static void bouncedStatic(Connection c, long id, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE notify_subscriber SET bounces = bounces + 1, "
                + "suspended_at = CASE WHEN bounces + 1 >= 3 THEN ? ELSE suspended_at END WHERE id = ?")) {
            ps.setLong(1, now.toEpochMilli());
            ps.setLong(2, id);
            ps.executeUpdate();
        }
    }

    /** Counts of confirmed subscribers: total, and per followed service id (everything counted apart). */
    public record Counts(int confirmed, int unconfirmed, int everything, java.util.Map<Long, Integer> perService,
                         java.util.Map<Long, Integer> perGroup, java.util.Map<String, Integer> perKind) {
    }

    public Counts counts() {
        return db.read(c -> {
            int confirmed = 0, unconfirmed = 0, everything = 0;
            java.util.Map<Long, Integer> perService = new java.util.TreeMap<>(), perGroup = new java.util.TreeMap<>();
            java.util.Map<String, Integer> perKind = new java.util.TreeMap<>();
            try (var st = c.createStatement(); var rs = st.executeQuery(
                    "SELECT confirmed_at, everything, services, groups, kinds FROM notify_subscriber")) {
                while (rs.next()) {
                    rs.getLong(1);
                    if (rs.wasNull()) {
                        unconfirmed++;
                        continue;
                    }
                    confirmed++;
                    if (rs.getInt(2) == 1) everything++;
                    for (Long s : Choices.ids(rs.getString(3))) perService.merge(s, 1, Integer::sum);
                    for (Long g : Choices.ids(rs.getString(4))) perGroup.merge(g, 1, Integer::sum);
                    for (String k : Choices.words(rs.getString(5))) perKind.merge(k, 1, Integer::sum);
                }
            }
            return new Counts(confirmed, unconfirmed, everything, perService, perGroup, perKind);
        });
    }

    public Optional<Subscriber> byEmail(String email) {
        return db.read(c -> byEmail(c, email));
    }

    static Optional<Subscriber> byEmail(Connection c, String email) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM notify_subscriber WHERE email = ?")) {
            ps.setString(1, email);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    static Optional<Subscriber> byId(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM notify_subscriber WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    private static Subscriber row(ResultSet rs) throws SQLException {
        return new Subscriber(rs.getLong("id"), rs.getString("email"), rs.getString("language"),
                new Choices(rs.getInt("everything") == 1, Choices.ids(rs.getString("services")),
                        Choices.ids(rs.getString("groups")), Choices.words(rs.getString("kinds"))),
                Jdbc.instant(rs, "consent_at"), Jdbc.instant(rs, "confirmed_at"), Jdbc.instant(rs, "confirm_sent_at"),
                Jdbc.instant(rs, "last_mail_at"), rs.getInt("bounces"), Jdbc.instant(rs, "suspended_at"));
    }
}
