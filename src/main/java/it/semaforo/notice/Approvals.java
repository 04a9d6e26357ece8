package it.semaforo.notice;

import it.semaforo.audit.Actor;
import it.semaforo.db.Database;
import it.semaforo.db.Jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The approval requests of avvisi (plain JDBC); writes run inside NoticeDesk's transaction. */
public final class Approvals {
    private static final String SELECT = """
            SELECT id, notice_id, requested_by, requested_name, requested_at, version, decided_by, decided_name,
                   decided_at, outcome, reason FROM notice_approval""";

    private final Database db;

    public Approvals(Database db) {
        this.db = db;
    }

    /** A read of the accounts or requests outside a change (what a page offers). */
    <T> T read(Database.SqlWork<T> work) {
        return db.read(work);
    }

    /** The open request of an avviso, if any. */
    public Optional<Approval> pending(long noticeId) {
        return db.read(c -> pending(c, noticeId));
    }

    Optional<Approval> pending(Connection c, long noticeId) throws SQLException {
        return list(c, "WHERE notice_id = ? AND decided_at IS NULL", noticeId).stream().findFirst();
    }

    /** Every request of an avviso, newest first. */
    public List<Approval> of(long noticeId) {
        return db.read(c -> list(c, "WHERE notice_id = ? ORDER BY id DESC", noticeId));
    }

    /** Every open request, oldest first: what approvers have to look at. */
    public List<Approval> allPending() {
        return db.read(c -> list(c, "WHERE decided_at IS NULL ORDER BY requested_at, id"));
    }

    /** The latest decisions (approvals and refusals, not cancellations), newest first. */
    public List<Approval> recentDecisions(Instant since, int limit) {
        return db.read(c -> list(c, "WHERE decided_at >= ? AND outcome IN ('approvato', 'rifiutato') ORDER BY decided_at DESC, id DESC LIMIT ?",
                since.toEpochMilli(), limit));
    }

    long request(Connection c, long noticeId, Actor actor, Instant at, String version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO notice_approval(notice_id, requested_by, requested_name, requested_at, version)
                VALUES (?, ?, ?, ?, ?)""", Jdbc.keys())) {
            ps.setLong(1, noticeId);
            Jdbc.setLong(ps, 2, actor.userId());
            ps.setString(3, actor.displayName());
            ps.setLong(4, at.toEpochMilli());
            ps.setString(5, version);
            return Jdbc.insert(ps);
        }
    }

    /** Decides the open request; false when none was open (someone else decided first). */
    boolean decide(Connection c, long approvalId, Actor actor, Instant at, Approval.Outcome outcome, String reason)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE notice_approval SET decided_by = ?, decided_name = ?, decided_at = ?, outcome = ?, reason = ?
                WHERE id = ? AND decided_at IS NULL""")) {
            Jdbc.setLong(ps, 1, actor.userId());
            ps.setString(2, actor.displayName());
            ps.setLong(3, at.toEpochMilli());
            ps.setString(4, outcome.key());
            ps.setString(5, reason == null ? "" : reason);
            ps.setLong(6, approvalId);
            return ps.executeUpdate() == 1;
        }
    }

    private static List<Approval> list(Connection c, String tail, Object... args) throws SQLException {
        List<Approval> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(SELECT + " " + tail)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Approval(rs.getLong("id"), rs.getLong("notice_id"), Jdbc.nullableLong(rs, "requested_by"),
                            rs.getString("requested_name"), Jdbc.instant(rs, "requested_at"), rs.getString("version"),
                            Jdbc.nullableLong(rs, "decided_by"), rs.getString("decided_name"), Jdbc.instant(rs, "decided_at"),
                            Approval.Outcome.of(rs.getString("outcome")), rs.getString("reason")));
                }
            }
        }
        return out;
    }
}
