package it.semaforo.signal;

import it.semaforo.db.Database;
import it.semaforo.db.Jdbc;
import it.semaforo.service.ServiceState;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The sources and probes (signal_source) and the probes' measurements (probe_result), in plain
 * JDBC. What the poller writes here (validators, errors, measurements) is nobody's public
 * change: it goes through Database.writeRelaxed, bookkeeping committed without waiting for the
 * disk (a power cut may undo the last few: the next poll writes them again, a chart misses a
 * point). Signals go through SignalDesk, with the disk's full guarantee.
 */
public final class Sources {
    /** How long a probe's measurements are kept. */
    public static final Duration KEEP = Duration.ofDays(90);

    private final Database db;

    public Sources(Database db) {
        this.db = db;
    }

    public List<Source> list() {
        return db.read(c -> {
            List<Source> all = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM signal_source ORDER BY kind <> 'probe', name, id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) all.add(source(rs));
            }
            return all;
        });
    }

    /** A source as the poller's scheduler sees it each second: its id and whether it is paused. */
    public record Scheduled(long id, boolean enabled) {
    }

    /** What the poller's scheduler needs each second (not the sources' whole rows). */
    public List<Scheduled> schedule() {
        return db.read(c -> {
            List<Scheduled> all = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, enabled FROM signal_source");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) all.add(new Scheduled(rs.getLong(1), rs.getInt(2) == 1));
            }
            return all;
        });
    }

    public Optional<Source> find(long id) {
        return db.read(c -> find(c, id));
    }

    Optional<Source> find(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM signal_source WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(source(rs)) : Optional.empty();
            }
        }
    }

    long create(Connection c, SourceInput in, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO signal_source(kind, name, url, provider_id, service_id, selector, proposed_state,
                  interval_seconds, timeout_ms, expected_status, threshold, auto_publish, public_measurements, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", Jdbc.keys())) {
            ps.setString(1, in.kind().key());
            ps.setString(2, in.name());
            ps.setString(3, in.url());
            Jdbc.setLong(ps, 4, in.providerId());
            Jdbc.setLong(ps, 5, in.serviceId());
            ps.setString(6, in.selector());
            ps.setString(7, in.proposedState().key());
            ps.setLong(8, in.interval().toSeconds());
            ps.setLong(9, in.timeout().toMillis());
            ps.setInt(10, in.expectedStatus());
            ps.setInt(11, in.threshold());
            ps.setInt(12, in.autoPublish() ? 1 : 0);
            ps.setInt(13, in.publicMeasurements() ? 1 : 0);
            ps.setLong(14, now.toEpochMilli());
            return Jdbc.insert(ps);
        }
    }

    /**
     * An administrator's changes to a source (not its kind). A new address or selector is a new
     * upstream to the poller: what it knew of the old one (validators, position, memory, what it
     * said, a probe's streak) is forgotten, so that the first reading sets where it starts from.
     */
    void update(Connection c, long id, SourceInput in, boolean restart) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE signal_source SET name = ?, url = ?, provider_id = ?, service_id = ?, selector = ?, proposed_state = ?,
                  interval_seconds = ?, timeout_ms = ?, expected_status = ?, threshold = ?, auto_publish = ?,
                  public_measurements = ? WHERE id = ?""")) {
            ps.setString(1, in.name());
            ps.setString(2, in.url());
            Jdbc.setLong(ps, 3, in.providerId());
            Jdbc.setLong(ps, 4, in.serviceId());
            ps.setString(5, in.selector());
            ps.setString(6, in.proposedState().key());
            ps.setLong(7, in.interval().toSeconds());
            ps.setLong(8, in.timeout().toMillis());
            ps.setInt(9, in.expectedStatus());
            ps.setInt(10, in.threshold());
            ps.setInt(11, in.autoPublish() ? 1 : 0);
            ps.setInt(12, in.publicMeasurements() ? 1 : 0);
            ps.setLong(13, id);
            ps.executeUpdate();
        }
        if (!restart) return;
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE signal_source SET etag = NULL, last_modified = NULL, position = '', memory = '{}', failures = 0,
                  streak = 0, says_state = NULL, says_title = NULL, says_text = NULL, says_link = NULL, says_at = NULL
                WHERE id = ?""")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
    }

    /** Paused (false): the poller leaves it alone until it is resumed; "Prova ora" still polls it. */
    void enable(Connection c, long id, boolean enabled) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE signal_source SET enabled = ? WHERE id = ?")) {
            ps.setInt(1, enabled ? 1 : 0);
            ps.setLong(2, id);
            ps.executeUpdate();
        }
    }

    void delete(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM signal_source WHERE id = ?")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
    }

    // ---- what the poller learns -----------------------------------------------------------

    /** An answer read: its validators, where the source has got to, what the reader remembers. */
    public void succeeded(long id, Instant at, String etag, String lastModified, String position, String memory) {
        db.writeRelaxed(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE signal_source SET last_attempt_at = ?, last_success_at = ?, failures = 0,
                      etag = coalesce(?, etag), last_modified = coalesce(?, last_modified),
                      position = coalesce(?, position), memory = coalesce(?, memory) WHERE id = ?""")) {
                ps.setLong(1, at.toEpochMilli());
                ps.setLong(2, at.toEpochMilli());
                ps.setString(3, etag);
                ps.setString(4, lastModified);
                ps.setString(5, position);
                ps.setString(6, memory);
                ps.setLong(7, id);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** A failed attempt, in the words the admin shows; returns the failures in a row. */
    public int failed(long id, Instant at, String error) {
        return db.writeRelaxed(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE signal_source SET last_attempt_at = ?, last_error = ?, last_error_at = ?, failures = failures + 1
                    WHERE id = ? RETURNING failures""")) {
                ps.setLong(1, at.toEpochMilli());
                ps.setString(2, error.length() > 500 ? error.substring(0, 500) : error);
                ps.setLong(3, at.toEpochMilli());
                ps.setLong(4, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getInt(1) : 0;
                }
            }
        });
    }

    void says(Connection c, long id, Reading r, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE signal_source SET says_state = ?, says_title = ?, says_text = ?, says_link = ?, says_at = ?
                WHERE id = ?""")) {
            ps.setString(1, r.state() == null ? null : r.state().key());
            ps.setString(2, cut(r.title(), 500));
            ps.setString(3, cut(r.text(), 2000));
            ps.setString(4, cut(r.link(), 2000));
            ps.setLong(5, at.toEpochMilli());
            ps.setLong(6, id);
            ps.executeUpdate();
        }
    }

    void position(Connection c, long id, String position) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE signal_source SET position = ? WHERE id = ?")) {
            ps.setString(1, position);
            ps.setLong(2, id);
            ps.executeUpdate();
        }
    }

    /**
     * A probe's measurement, with the attempt it was (succeeded, or failed with error: what
     * succeeded and failed write for a source followed), in one transaction; returns the new
     * streak (n successes in a row: n, n failures: -n).
     */
    public int measured(long id, ProbeResult r, String error) {
        return db.writeRelaxed(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT OR REPLACE INTO probe_result(source_id, at, ok, status, latency_ms) VALUES (?, ?, ?, ?, ?)")) {
                ps.setLong(1, id);
                ps.setLong(2, r.at().toEpochMilli());
                ps.setInt(3, r.ok() ? 1 : 0);
                ps.setInt(4, r.status());
                ps.setLong(5, r.latencyMs());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE signal_source SET streak = CASE WHEN ?1 THEN max(streak, 0) + 1 ELSE min(streak, 0) - 1 END,
                      last_attempt_at = ?2,
                      last_success_at = CASE WHEN ?1 THEN ?2 ELSE last_success_at END,
                      failures = CASE WHEN ?1 THEN 0 ELSE failures + 1 END,
                      last_error = CASE WHEN ?1 THEN last_error ELSE ?3 END,
                      last_error_at = CASE WHEN ?1 THEN last_error_at ELSE ?2 END
                    WHERE id = ?4 RETURNING streak""")) {
                ps.setBoolean(1, r.ok());
                ps.setLong(2, r.at().toEpochMilli());
                ps.setString(3, error == null ? "" : error.length() > 500 ? error.substring(0, 500) : error);
                ps.setLong(4, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getInt(1) : 0;
                }
            }
        });
    }

    /** A probe's measurements since from, oldest first. */
    public List<ProbeResult> results(long id, Instant from) {
        return db.read(c -> {
            List<ProbeResult> all = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT at, ok, status, latency_ms FROM probe_result WHERE source_id = ? AND at >= ? ORDER BY at")) {
                ps.setLong(1, id);
                ps.setLong(2, from.toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        all.add(new ProbeResult(Instant.ofEpochMilli(rs.getLong(1)), rs.getInt(2) == 1, rs.getInt(3), rs.getLong(4)));
                    }
                }
            }
            return all;
        });
    }

    /**
     * A probe's measurements from from to to in slices equal parts, summed up by the database
     * (90 days of a probe every minute are 129,600 rows; a chart draws a few hundred slices).
     * Slices without a measurement are left out.
     */
    public List<ProbePeriod> periods(long id, Instant from, Instant to, int slices) {
        long width = Math.max(1, (to.toEpochMilli() - from.toEpochMilli() + slices - 1) / slices);
        return db.read(c -> {
            List<ProbePeriod> all = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT (at - ?) / ? AS slice, count(*), sum(ok = 0), avg(CASE WHEN ok THEN latency_ms END),
                      max(CASE WHEN ok THEN latency_ms END)
                    FROM probe_result WHERE source_id = ? AND at >= ? AND at < ? GROUP BY slice ORDER BY slice""")) {
                ps.setLong(1, from.toEpochMilli());
                ps.setLong(2, width);
                ps.setLong(3, id);
                ps.setLong(4, from.toEpochMilli());
                ps.setLong(5, to.toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Instant start = from.plusMillis(rs.getLong(1) * width);
                        Instant end = start.plusMillis(width).isAfter(to) ? to : start.plusMillis(width);
                        double mean = rs.getDouble(4);
                        boolean none = rs.wasNull();
                        long slowest = rs.getLong(5);
                        all.add(new ProbePeriod(start, end, rs.getInt(2), rs.getInt(3), none ? -1 : Math.round(mean),
                                rs.wasNull() ? -1 : slowest));
                    }
                }
            }
            return all;
        });
    }

    /** A probe's latest measurement. */
    public Optional<ProbeResult> last(long id) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT at, ok, status, latency_ms FROM probe_result WHERE source_id = ? ORDER BY at DESC LIMIT 1")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new ProbeResult(Instant.ofEpochMilli(rs.getLong(1)), rs.getInt(2) == 1,
                            rs.getInt(3), rs.getLong(4))) : Optional.empty();
                }
            }
        });
    }

    /** Housekeeping: measurements older than 90 days go. Returns how many. */
    public int purge(Instant now) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM probe_result WHERE at < ?")) {
                ps.setLong(1, now.minus(KEEP).toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    static String cut(String s, int max) {
        if (s == null) return null;
        return s.codePointCount(0, s.length()) <= max ? s : s.substring(0, s.offsetByCodePoints(0, max - 1)) + "…";
    }

    private static Source source(ResultSet rs) throws SQLException {
        return new Source(rs.getLong("id"), SourceKind.fromKey(rs.getString("kind")).orElseThrow(), rs.getString("name"),
                rs.getString("url"), Jdbc.nullableLong(rs, "provider_id"), Jdbc.nullableLong(rs, "service_id"),
                rs.getString("selector"), ServiceState.fromKey(rs.getString("proposed_state")).orElse(ServiceState.DEGRADED),
                Duration.ofSeconds(rs.getLong("interval_seconds")), Duration.ofMillis(rs.getLong("timeout_ms")),
                rs.getInt("expected_status"), rs.getInt("threshold"), rs.getInt("auto_publish") == 1,
                rs.getInt("public_measurements") == 1, rs.getInt("enabled") == 1, Jdbc.instant(rs, "created_at"),
                rs.getString("etag"), rs.getString("last_modified"), rs.getString("position"), rs.getString("memory"),
                Jdbc.instant(rs, "last_attempt_at"), Jdbc.instant(rs, "last_success_at"), rs.getString("last_error"),
                Jdbc.instant(rs, "last_error_at"), rs.getInt("failures"), rs.getInt("streak"),
                rs.getString("says_state") == null ? null : ServiceState.fromKey(rs.getString("says_state")).orElse(null),
                rs.getString("says_title"), rs.getString("says_text"), rs.getString("says_link"), Jdbc.instant(rs, "says_at"));
    }
}
