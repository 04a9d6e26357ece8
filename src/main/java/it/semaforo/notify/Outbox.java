package it.semaforo.notify;

import it.semaforo.db.Database;
import it.semaforo.db.Jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The transactional outbox: every message due is a row, written in the transaction that makes
 * it due (a sign-up, an event batch), before anything is sent. The sender claims due rows
 * (pending -> sending), sends each, and marks each sent on its own, so that a crash can send
 * again at most the message that was in flight (a power cut: at most those of the last claim).
 */
public final class Outbox {
    /** Sent and failed rows are kept this long, for the delivery log, then forgotten. */
    static final Duration KEEP = Duration.ofDays(30);

    private final Database db;

    public Outbox(Database db) {
        this.db = db;
    }

    /** A claimed row. payload: JSON (the event sequence numbers, or a confirmation token). */
    public record Row(long id, String purpose, Long subscriberId, Long endpointId, String payload, Instant createdAt,
                      int attempts) {
    }

    /** A new row, inside the caller's transaction. */
    void enqueue(Connection c, String purpose, Long subscriberId, String payload, Instant due) throws SQLException {
        insert(c, purpose, subscriberId, null, payload, due, due);
    }

    void enqueueWebhook(Connection c, long endpointId, String payload, Instant now) throws SQLException {
        insert(c, "webhook", null, endpointId, payload, now, now);
    }

    private static void insert(Connection c, String purpose, Long subscriberId, Long endpointId, String payload,
                               Instant created, Instant due) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO notify_outbox(purpose, subscriber_id, endpoint_id, "
                + "payload, created_at, due_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, purpose);
            Jdbc.setLong(ps, 2, subscriberId);
            Jdbc.setLong(ps, 3, endpointId);
            ps.setString(4, payload);
            ps.setLong(5, created.toEpochMilli());
            ps.setLong(6, due.toEpochMilli());
            ps.executeUpdate();
        }
    }

    /**
     * An event for a subscriber, inside the caller's transaction: joins the mail still waiting
     * for them if there is one; else a new mail, due now, or at the end of the batching window
     * that their last mail opened.
     */
    void addEvent(Connection c, Subscriber s, long seq, Instant now, Duration window) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, payload FROM notify_outbox WHERE subscriber_id = ? "
                + "AND purpose = 'events' AND state = 'pending' AND attempts = 0 ORDER BY id DESC LIMIT 1")) {
            ps.setLong(1, s.id());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    String payload = rs.getString(2);
                    String joined = payload.substring(0, payload.length() - 1) + "," + seq + "]";
                    try (PreparedStatement up = c.prepareStatement("UPDATE notify_outbox SET payload = ? WHERE id = ?")) {
                        up.setString(1, joined);
                        up.setLong(2, rs.getLong(1));
                        up.executeUpdate();
                    }
                    return;
                }
            }
        }
        Instant due = now;
        if (s.lastMailAt() != null && s.lastMailAt().plus(window).isAfter(now)) due = s.lastMailAt().plus(window);
        insert(c, "events", s.id(), null, "[" + seq + "]", now, due);
    }

    /** After a restart: what was claimed and not marked sent is due again (the one in flight at a crash). */
    public int recover() {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE notify_outbox SET state = 'pending', claimed_at = NULL WHERE state = 'sending'")) {
                return ps.executeUpdate();
            }
        });
    }

    /** Claims up to max rows due now, oldest due first; purposes: the channel's ('webhook', or the mail ones). */
    public List<Row> claim(Instant now, int max, boolean webhooks) {
        return db.write(c -> {
            List<Row> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM notify_outbox WHERE state = 'pending' AND due_at <= ? "
                    + "AND (purpose = 'webhook') = ? ORDER BY due_at, id LIMIT ?")) {
                ps.setLong(1, now.toEpochMilli());
                ps.setBoolean(2, webhooks);
                ps.setInt(3, max);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new Row(rs.getLong("id"), rs.getString("purpose"), Jdbc.nullableLong(rs, "subscriber_id"),
                                Jdbc.nullableLong(rs, "endpoint_id"), rs.getString("payload"), Jdbc.instant(rs, "created_at"),
                                rs.getInt("attempts")));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE notify_outbox SET state = 'sending', claimed_at = ? WHERE id = ?")) {
                for (Row r : rows) {
                    ps.setLong(1, now.toEpochMilli());
                    ps.setLong(2, r.id());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return rows;
        });
    }

    /**
     * Sent: a confirmation row forgets its token; an events row moves its subscriber's batching
     * window. Committed before the next message goes, but without waiting for the disk (see
     * Database.writeRelaxed): a crash of the process still repeats at most the message in flight;
     * a power cut can repeat those sent since the last synced write (at the latest, the claim of
     * their batch), never lose one. One fsync per mail was most of the cost of a large mailing.
     */
    public void sent(Row r, Instant now) {
        db.writeRelaxed(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE notify_outbox SET state = 'sent', done_at = ?, "
                    + "attempts = attempts + 1, last_error = NULL, payload = CASE WHEN purpose = 'confirm' THEN '{}' "
                    + "ELSE payload END WHERE id = ?")) {
                ps.setLong(1, now.toEpochMilli());
                ps.setLong(2, r.id());
                ps.executeUpdate();
            }
            if ("events".equals(r.purpose()) && r.subscriberId() != null) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE notify_subscriber SET last_mail_at = ? WHERE id = ?")) {
                    ps.setLong(1, now.toEpochMilli());
                    ps.setLong(2, r.subscriberId());
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    /** A temporary failure: due again at retryAt. */
    public void retry(Row r, Instant retryAt, String error) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE notify_outbox SET state = 'pending', claimed_at = NULL, "
                    + "attempts = attempts + 1, due_at = ?, last_error = ? WHERE id = ?")) {
                ps.setLong(1, retryAt.toEpochMilli());
                ps.setString(2, truncate(error));
                ps.setLong(3, r.id());
                return ps.executeUpdate();
            }
        });
    }

    /** Given up on: a permanent failure, or temporary ones for longer than the retry period; bounce counts it. */
    public void failed(Row r, Instant now, String error, boolean bounce) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE notify_outbox SET state = 'failed', done_at = ?, "
                    + "attempts = attempts + 1, last_error = ?, payload = CASE WHEN purpose = 'confirm' THEN '{}' "
                    + "ELSE payload END WHERE id = ?")) {
                ps.setLong(1, now.toEpochMilli());
                ps.setString(2, truncate(error));
                ps.setLong(3, r.id());
                ps.executeUpdate();
            }
            if (bounce && r.subscriberId() != null) Subscriptions.bouncedStatic(c, r.subscriberId(), now);
            return null;
        });
    }

    /** Forgets finished rows older than KEEP. */
    public int prune(Instant now) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM notify_outbox WHERE state IN ('sent', 'failed') AND done_at < ?")) {
                ps.setLong(1, now.minus(KEEP).toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    /** Rows by state, for /admin and the tests. */
    public java.util.Map<String, Integer> countByState() {
        return db.read(c -> {
            java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
            try (var st = c.createStatement(); var rs = st.executeQuery("SELECT state, COUNT(*) FROM notify_outbox GROUP BY state")) {
                while (rs.next()) counts.put(rs.getString(1), rs.getInt(2));
            }
            return counts;
        });
    }

    private static String truncate(String s) {
        if (s == null) return null;
        return s.length() > 500 ? s.substring(0, 500) : s;
    }
}
