package it.semaforo.admin;

import it.semaforo.audit.Actor;
import it.semaforo.audit.AuditLog;
import it.semaforo.db.Database;
import it.semaforo.db.Jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The access review ("verifica delle abilitazioni", as the ANPR advisory asks): every account
 * with its role, ways in, last login and activity, open sessions and API tokens; the periodic
 * confirmation by an administrator; and the suspension of accounts nobody used for a while,
 * run once a day (the day-began event). Accounts are never public: writes are quiet.
 */
public final class AccessReview {
    /** Who suspends an unused account: the server itself, once a day. */
    static final Actor CLOCK = new Actor(null, "sistema", "Sistema (verifica delle abilitazioni)", "");
    /** How far back the dashboard tells administrators of suspensions. */
    static final Duration TOLD_FOR = Duration.ofDays(30);

    private final Database db;
    private final Clock clock;
    private final ZoneId zone;
    private final AuditLog audit;
    private final Accounts accounts;
    private final Sessions sessions;
    private final ApiTokens tokens;
    private final Identities identities;
    private final AdminSettings.Access policy;
    private final Duration sessionIdle;
    private final Duration sessionMax;

    AccessReview(Database db, Clock clock, AuditLog audit, Accounts accounts, Sessions sessions, ApiTokens tokens,
                 AdminSettings settings, Identities identities) {
        this.identities = identities;
        this.db = db;
        this.accounts = accounts;
        this.clock = clock;
        this.zone = settings.zone();
        this.audit = audit;
        this.sessions = sessions;
        this.tokens = tokens;
        this.policy = settings.access();
        this.sessionIdle = settings.sessionIdle();
        this.sessionMax = settings.sessionMax();
    }

    /** A way into an account. The second factors (TOTP, passkeys) join this list when enrolled. */
    public enum Factor {
        PASSWORD("password"), OIDC("oidc");

        private final String key;

        Factor(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    /** One account as the review shows it. */
    public record Row(User user, List<Factor> factors, Instant lastLogin, Instant lastActivity, Instant suspendedAt,
                      int openSessions, List<ApiTokens.Token> tokens) {
    }

    /** A confirmed review. */
    public record Confirmed(Instant at, String username, int accounts, String note) {
    }

    /** An account suspended for disuse, for the dashboard. */
    public record Suspended(String username, String displayName, Instant at) {
    }

    Instant now() {
        return clock.instant();
    }

    public AdminSettings.Access policy() {
        return policy;
    }

    /** Every account, active ones first, with what the review looks at. */
    public List<Row> rows() {
        Instant now = clock.instant();
        record Seen(Instant login, Instant activity, Instant suspended) {
        }
        Map<Long, Seen> seen = new HashMap<>();
        Map<Long, Integer> open = new HashMap<>();
        Map<Long, Boolean> password = new HashMap<>();
        db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, last_login_at, last_activity_at, suspended_at, password_hash FROM app_user");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    seen.put(rs.getLong("id"), new Seen(Jdbc.instant(rs, "last_login_at"), Jdbc.instant(rs, "last_activity_at"),
                            Jdbc.instant(rs, "suspended_at")));
                    password.put(rs.getLong("id"), Passwords.usable(rs.getString("password_hash")));
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT user_id, count(*) FROM admin_session "
                    + "WHERE last_seen_at > ? AND created_at > ? GROUP BY user_id")) {
                ps.setLong(1, now.minus(sessionIdle).toEpochMilli());
                ps.setLong(2, now.minus(sessionMax).toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) open.put(rs.getLong(1), rs.getInt(2));
                }
            }
            return null;
        });
        java.util.Set<Long> bound = identities.boundUsers();
        List<Row> rows = new ArrayList<>();
        for (User u : accounts.all()) {
            Seen s = seen.getOrDefault(u.id(), new Seen(null, null, null));
            List<Factor> factors = new ArrayList<>();
            if (password.getOrDefault(u.id(), false)) factors.add(Factor.PASSWORD);
            if (bound.contains(u.id())) factors.add(Factor.OIDC);
            factors.addAll(secondFactors(u));
            rows.add(new Row(u, List.copyOf(factors), s.login(), s.activity(), s.suspended(), open.getOrDefault(u.id(), 0),
                    tokens.of(u.id())));
        }
        return rows;
    }

    /**
     * The second factors enrolled (TOTP, passkeys): none yet. The second-factor work adds its
     * kinds to Factor and lists them here, so that the review and its CSV show them too.
     */
    private List<Factor> secondFactors(User u) {
        return List.of();
    }

    /** The last confirmed review, if any. */
    public Optional<Confirmed> last() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT confirmed_at, username, accounts, note FROM access_review ORDER BY id DESC LIMIT 1");
                 ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Confirmed(Jdbc.instant(rs, "confirmed_at"), rs.getString("username"),
                        rs.getInt("accounts"), rs.getString("note"))) : Optional.<Confirmed>empty();
            }
        });
    }

    /** When the next review is due: review.months after the last one; at once when there was none. */
    public Instant due() {
        return last().map(l -> l.at().atZone(zone).plusMonths(policy.reviewMonths()).toInstant()).orElse(null);
    }

    /** Whether the periodic review is due now (never done, or its time has come). */
    public boolean overdue() {
        Instant due = due();
        return due == null || !clock.instant().isBefore(due);
    }

    /**
     * An administrator confirms that they reviewed the accounts as listed: recorded with the
     * list in the audit log, in one transaction.
     */
    public void confirm(Actor actor, String note) {
        List<Row> reviewed = rows();
        List<Map<String, Object>> list = reviewed.stream().map(AccessReview::snapshot).toList();
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO access_review(confirmed_at, user_id, username, accounts, note) VALUES (?, ?, ?, ?, ?)")) {
                ps.setLong(1, clock.millis());
                ps.setLong(2, actor.userId());
                ps.setString(3, actor.username());
                ps.setInt(4, reviewed.size());
                ps.setString(5, note);
                ps.executeUpdate();
            }
            audit.record(c, actor, "access.review", "user", null, note.isEmpty() ? String.valueOf(reviewed.size()) : note,
                    null, Map.of("accounts", list));
            return null;
        });
    }

    /**
     * What else is written with a batch of suspensions, in its transaction (app hands in the
     * administrators' mail alert: the clerks' area does not send mail itself).
     */
    @FunctionalInterface
    public interface Told {
        Told NOBODY = (c, batch) -> {
        };

        void suspended(Connection c, List<Suspended> batch) throws SQLException;
    }

    public List<Suspended> suspendUnused() {
        return suspendUnused(Told.NOBODY);
    }

    /**
     * Suspends every active account unused for access.inactive.days (no login, page or API
     * call; a new account counts from its creation), ends its sessions, and records it. The
     * last active administrator is never suspended: the comune would be locked out. told runs
     * in the same transaction when something was suspended, so what it queues commits with the
     * suspensions or not at all: handled again, the day finds nothing left to suspend.
     */
    public List<Suspended> suspendUnused(Told told) {
        if (policy.inactiveAfter().isZero()) return List.of();
        Instant now = clock.instant();
        long limit = now.minus(policy.inactiveAfter()).toEpochMilli();
        return db.write(c -> {
            List<Suspended> done = new ArrayList<>();
            List<Long> candidates = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM app_user WHERE active = 1 "
                    + "AND max(coalesce(last_activity_at, 0), coalesce(last_login_at, 0), created_at) < ? "
                    + "ORDER BY role = 'amministratore', id")) {
                ps.setLong(1, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) candidates.add(rs.getLong(1));
                }
            }
            for (long id : candidates) {
                User before = accounts.find(c, id).orElseThrow();
                if (before.isAdministrator() && accounts.activeAdministrators(c) <= 1) continue;
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE app_user SET active = 0, suspended_at = ?, updated_at = ? WHERE id = ? AND active = 1")) {
                    ps.setLong(1, now.toEpochMilli());
                    ps.setLong(2, now.toEpochMilli());
                    ps.setLong(3, id);
                    ps.executeUpdate();
                }
                sessions.closeAllOf(c, id, null);
                User after = accounts.find(c, id).orElseThrow();
                audit.record(c, CLOCK, "user.suspend", "user", id, before.username(), UserDesk.snapshot(before),
                        UserDesk.snapshot(after));
                done.add(new Suspended(before.username(), before.displayName(), now));
            }
            if (!done.isEmpty()) told.suspended(c, List.copyOf(done));
            return done;
        });
    }

    /** Accounts suspended for disuse recently and not reactivated: what administrators are told. */
    public List<Suspended> recentlySuspended() {
        return db.read(c -> {
            List<Suspended> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT username, display_name, suspended_at FROM app_user "
                    + "WHERE suspended_at IS NOT NULL AND suspended_at >= ? AND active = 0 ORDER BY suspended_at DESC, username")) {
                ps.setLong(1, clock.instant().minus(TOLD_FOR).toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Suspended(rs.getString(1), rs.getString(2), Jdbc.instant(rs, "suspended_at")));
                    }
                }
            }
            return out;
        });
    }

    /** A login: when, for the review; a login is activity too. Inside the login's own write. */
    static void loggedIn(Connection c, long userId, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE app_user SET last_login_at = ?, last_activity_at = ? WHERE id = ?")) {
            ps.setLong(1, at.toEpochMilli());
            ps.setLong(2, at.toEpochMilli());
            ps.setLong(3, userId);
            ps.executeUpdate();
        }
    }

    /** A page seen or an API call: the account is in use (written at most once a minute by the callers). */
    static void active(Connection c, long userId, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE app_user SET last_activity_at = ? WHERE id = ? AND (last_activity_at IS NULL OR last_activity_at < ?)")) {
            ps.setLong(1, at.toEpochMilli());
            ps.setLong(2, userId);
            ps.setLong(3, at.toEpochMilli());
            ps.executeUpdate();
        }
    }

    /** What the audit log keeps of each account reviewed. */
    private static Map<String, Object> snapshot(Row r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("username", r.user().username());
        m.put("role", r.user().role().key());
        m.put("active", r.user().active());
        m.put("factors", r.factors().stream().map(Factor::key).toList());
        m.put("lastLogin", r.lastLogin());
        m.put("lastActivity", r.lastActivity());
        m.put("openSessions", r.openSessions());
        m.put("tokens", r.tokens().stream().filter(ApiTokens.Token::active).map(ApiTokens.Token::name).toList());
        return m;
    }
}
