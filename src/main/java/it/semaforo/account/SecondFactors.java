package it.semaforo.account;

import it.semaforo.db.Database;
import it.semaforo.db.Jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The second factors of the clerks' accounts, stored and checked: each user's TOTP secret
 * with the last step used, their recovery codes (hashed), whether they have passkeys (see
 * Passkeys), and which roles must have one.
 * Roles are their stored keys ("amministratore"), so that this package knows no output.
 * Methods taking a Connection run inside the caller's transaction (the caller audits and
 * ends sessions in the same one); the others open their own.
 */
public final class SecondFactors {
    /** An enrolment not confirmed within this time starts over with a new secret. */
    static final Duration PENDING_FOR = Duration.ofMinutes(30);

    private final Database db;
    private final Clock clock;
    private final Totp totp;
    private final Set<String> requiredByDefault;

    /** requiredByDefault: the roles that need a second factor until an administrator decides otherwise. */
    public SecondFactors(Database db, Clock clock, Totp totp, Set<String> requiredByDefault) {
        this.db = db;
        this.clock = clock;
        this.totp = totp;
        this.requiredByDefault = Set.copyOf(requiredByDefault);
    }

    public Totp totp() {
        return totp;
    }

    /** What a user has: a confirmed TOTP (since when), passkeys, recovery codes left, an enrolment under way. */
    public record Status(Instant totpSince, int passkeys, int recoveryCodesLeft, String pendingSecret) {
        public boolean any() {
            return totpSince != null || passkeys > 0;
        }

        public boolean totp() {
            return totpSince != null;
        }
    }

    public Status status(long userId) {
        return db.read(c -> status(c, userId));
    }

    public Status status(Connection c, long userId) throws SQLException {
        Instant since = null;
        String pending = null;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT confirmed_at, pending_secret, pending_at FROM totp_factor WHERE user_id = ?")) {
            ps.setLong(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    since = Jdbc.instant(rs, "confirmed_at");
                    Instant pendingAt = Jdbc.instant(rs, "pending_at");
                    if (pendingAt != null && clock.instant().isBefore(pendingAt.plus(PENDING_FOR))) pending = rs.getString("pending_secret");
                }
            }
        }
        int left;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM recovery_code WHERE user_id = ? AND used_at IS NULL")) {
            ps.setLong(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                left = rs.getInt(1);
            }
        }
        int passkeys;
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM passkey WHERE user_id = ?")) {
            ps.setLong(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                passkeys = rs.getInt(1);
            }
        }
        return new Status(since, passkeys, left, pending);
    }

    // ---- the requirement per role ---------------------------------------------------------

    public boolean required(String role) {
        return db.read(c -> required(c, role));
    }

    public boolean required(Connection c, String role) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT required FROM second_factor_policy WHERE role = ?")) {
            ps.setString(1, role);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBoolean(1) : requiredByDefault.contains(role);
            }
        }
    }

    /** The roles of the list that need a second factor. */
    public List<String> requiredOf(List<String> roles) {
        return db.read(c -> {
            List<String> out = new java.util.ArrayList<>();
            for (String r : roles) if (required(c, r)) out.add(r);
            return out;
        });
    }

    public void setRequired(Connection c, String role, boolean required) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO second_factor_policy(role, required, changed_at) VALUES (?, ?, ?)
                ON CONFLICT(role) DO UPDATE SET required = excluded.required, changed_at = excluded.changed_at""")) {
            ps.setString(1, role);
            ps.setBoolean(2, required);
            ps.setLong(3, clock.millis());
            ps.executeUpdate();
        }
    }

    // ---- TOTP -----------------------------------------------------------------------------

    /** The secret being enrolled: the one under way if still fresh, else a new one. */
    public String startEnrolment(long userId) {
        return db.write(c -> {
            Status s = status(c, userId);
            if (s.pendingSecret() != null) return s.pendingSecret();
            String secret = totp.newSecret();
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO totp_factor(user_id, pending_secret, pending_at) VALUES (?, ?, ?)
                    ON CONFLICT(user_id) DO UPDATE SET pending_secret = excluded.pending_secret, pending_at = excluded.pending_at""")) {
                ps.setLong(1, userId);
                ps.setString(2, secret);
                ps.setLong(3, clock.millis());
                ps.executeUpdate();
            }
            return secret;
        });
    }

    /**
     * Confirms the enrolment under way with a code of its secret: the secret becomes the
     * user's factor (replacing an earlier one), that code's step is spent. False, and nothing
     * changed, for a wrong code or no enrolment under way.
     */
    public boolean confirmEnrolment(Connection c, long userId, String code) throws SQLException {
        String pending = status(c, userId).pendingSecret();
        if (pending == null) return false;
        OptionalLong step = totp.match(pending, code, clock.instant(), -1);
        if (step.isEmpty()) return false;
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE totp_factor SET secret = pending_secret, confirmed_at = ?, last_step = ?,
                  pending_secret = NULL, pending_at = NULL WHERE user_id = ?""")) {
            ps.setLong(1, clock.millis());
            ps.setLong(2, step.getAsLong());
            ps.setLong(3, userId);
            ps.executeUpdate();
        }
        return true;
    }

    /**
     * Checks a code of the user's confirmed secret and spends its step, in one write: two
     * requests racing with the same code are serialised by the one writer, and the second
     * finds the step spent.
     */
    public boolean verifyCode(long userId, String code) {
        return db.write(c -> {
            String secret;
            long last;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT secret, last_step FROM totp_factor WHERE user_id = ? AND secret IS NOT NULL")) {
                ps.setLong(1, userId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return false;
                    secret = rs.getString(1);
                    last = rs.getLong(2);
                }
            }
            OptionalLong step = totp.match(secret, code, clock.instant(), last);
            if (step.isEmpty()) return false;
            try (PreparedStatement ps = c.prepareStatement("UPDATE totp_factor SET last_step = ? WHERE user_id = ?")) {
                ps.setLong(1, step.getAsLong());
                ps.setLong(2, userId);
                ps.executeUpdate();
            }
            return true;
        });
    }

    /** Spends one of the user's recovery codes; false for a wrong or spent one. */
    public boolean useRecoveryCode(long userId, String typed) {
        String code = RecoveryCodes.normalise(typed);
        if (code.isEmpty()) return false;
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE recovery_code SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL")) {
                ps.setLong(1, clock.millis());
                ps.setLong(2, userId);
                ps.setString(3, RecoveryCodes.hash(code));
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Ten new recovery codes replacing the user's earlier ones; the only copy of them is returned. */
    public List<String> newRecoveryCodes(Connection c, long userId) throws SQLException {
        List<String> codes = RecoveryCodes.generate();
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM recovery_code WHERE user_id = ?")) {
            ps.setLong(1, userId);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO recovery_code(user_id, code_hash, created_at) VALUES (?, ?, ?)")) {
            for (String code : codes) {
                ps.setLong(1, userId);
                ps.setString(2, RecoveryCodes.hash(RecoveryCodes.normalise(code)));
                ps.setLong(3, clock.millis());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return codes;
    }

    /** Removes every second factor of a user (lost phone, reset by an administrator, or turned off). */
    public void removeAll(Connection c, long userId) throws SQLException {
        for (String sql : new String[]{"DELETE FROM totp_factor WHERE user_id = ?", "DELETE FROM recovery_code WHERE user_id = ?",
                "DELETE FROM passkey WHERE user_id = ?"}) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, userId);
                ps.executeUpdate();
            }
        }
    }

    /** For tests and the enrolment page: the secret being enrolled, if any. */
    public Optional<String> pendingSecret(long userId) {
        return Optional.ofNullable(status(userId).pendingSecret());
    }
}
