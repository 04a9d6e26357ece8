package it.semaforo.admin;

import it.semaforo.db.Database;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Slows password guessing: after too many failed logins within a window, an account (counted
 * since its last successful login) or a client address must wait until the window has
 * passed. While one waits, no password is even checked. Attempts are kept in the database,
 * so a restart does not reset them.
 */
public final class LoginThrottle {
    private final Database db;
    private final Clock clock;
    private final Duration window;
    private final int perAccount;
    private final int perAddress;

    public LoginThrottle(Database db, Clock clock, Duration window, int perAccount, int perAddress) {
        this.db = db;
        this.clock = clock;
        this.window = window;
        this.perAccount = perAccount;
        this.perAddress = perAddress;
    }

    /** How long this attempt must wait, or empty when it may go ahead. */
    public Optional<Duration> waitFor(String username, String address) {
        Instant now = clock.instant();
        Instant since = now.minus(window);
        return db.read(c -> {
            List<Instant> byAccount = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT at FROM login_attempt
                    WHERE username = ? AND succeeded = 0 AND at > ?
                      AND id > coalesce((SELECT max(id) FROM login_attempt WHERE username = ? AND succeeded = 1), 0)
                    ORDER BY at""")) {
                ps.setString(1, username);
                ps.setLong(2, since.toEpochMilli());
                ps.setString(3, username);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) byAccount.add(Instant.ofEpochMilli(rs.getLong(1)));
                }
            }
            List<Instant> byAddress = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT at FROM login_attempt WHERE address = ? AND succeeded = 0 AND at > ? ORDER BY at")) {
                ps.setString(1, address);
                ps.setLong(2, since.toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) byAddress.add(Instant.ofEpochMilli(rs.getLong(1)));
                }
            }
            Duration wait = Duration.ZERO;
            wait = longer(wait, waitFrom(byAccount, perAccount, now));
            wait = longer(wait, waitFrom(byAddress, perAddress, now));
            return wait.isZero() ? Optional.<Duration>empty() : Optional.of(wait);
        });
    }

    /** With n failures in the window and a limit of k, the door opens when the (n-k+1)-th oldest leaves it. */
    private Duration waitFrom(List<Instant> failures, int limit, Instant now) {
        if (failures.size() < limit) return Duration.ZERO;
        Instant opens = failures.get(failures.size() - limit).plus(window);
        return opens.isAfter(now) ? Duration.between(now, opens) : Duration.ZERO;
    }

    private static Duration longer(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    public void failed(String username, String address) {
        record(username, address, false);
    }

    /** A success opens the account again; attempts older than a day are forgotten. */
    public void succeeded(String username, String address) {
        record(username, address, true);
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM login_attempt WHERE at < ?")) {
                ps.setLong(1, clock.instant().minus(Duration.ofDays(1)).minus(window).toEpochMilli());
                ps.executeUpdate();
            }
            return null;
        });
    }

    private void record(String username, String address, boolean ok) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO login_attempt(username, address, succeeded, at) VALUES (?, ?, ?, ?)")) {
                ps.setString(1, username);
                ps.setString(2, address);
                ps.setBoolean(3, ok);
                ps.setLong(4, clock.millis());
                ps.executeUpdate();
            }
            return null;
        });
    }
}
