package it.semaforo.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import it.semaforo.db.Database;
import it.semaforo.db.Jdbc;
import it.semaforo.text.JsonText;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Who changed what and when, with the record before and after as JSON. Entries are written
 * in the same transaction as the change they describe, so there is never a change without
 * its entry nor an entry without its change. There is no method to alter or remove an entry,
 * and the database refuses UPDATE and DELETE on the table (see V2__accounts.sql).
 */
public final class AuditLog {
    private final Database db;
    private final Clock clock;
    private final ObjectMapper json = JsonText.MAPPER;

    public AuditLog(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public record Entry(long id, Instant at, Long userId, String username, String address, String action,
                        String entity, Long entityId, String summary, String beforeJson, String afterJson) {
    }

    /** before and after are serialised as JSON (null when there was nothing before, or after). */
    public void record(Connection c, Actor actor, String action, String entity, Long entityId, String summary,
                       Object before, Object after) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO audit_log(at, user_id, username, address, action, entity, entity_id, summary, before_json, after_json)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            ps.setLong(1, clock.millis());
            Jdbc.setLong(ps, 2, actor.userId());
            ps.setString(3, actor.username());
            ps.setString(4, actor.address() == null ? "" : actor.address());
            ps.setString(5, action);
            ps.setString(6, entity);
            Jdbc.setLong(ps, 7, entityId);
            ps.setString(8, summary == null ? "" : summary);
            setJson(ps, 9, before);
            setJson(ps, 10, after);
            ps.executeUpdate();
        }
    }

    private void setJson(PreparedStatement ps, int index, Object value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.VARCHAR);
            return;
        }
        try {
            ps.setString(index, json.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an audit record as JSON", e);
        }
    }

    public int count() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM audit_log"); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    /** Newest first. */
    public List<Entry> page(int page, int pageSize) {
        return db.read(c -> list(c, "ORDER BY id DESC LIMIT ? OFFSET ?", pageSize, (long) (page - 1) * pageSize));
    }

    /** Every entry about one record, oldest first. */
    public List<Entry> about(String entity, long entityId) {
        return db.read(c -> list(c, "WHERE entity = ? AND entity_id = ? ORDER BY id", entity, entityId));
    }

    private static List<Entry> list(Connection c, String tail, Object... args) throws SQLException {
        List<Entry> entries = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT id, at, user_id, username, address, action, entity, entity_id, summary, before_json, after_json
                FROM audit_log""" + " " + tail)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    entries.add(new Entry(rs.getLong("id"), Jdbc.instant(rs, "at"), Jdbc.nullableLong(rs, "user_id"),
                            rs.getString("username"), rs.getString("address"), rs.getString("action"),
                            rs.getString("entity"), Jdbc.nullableLong(rs, "entity_id"), rs.getString("summary"),
                            rs.getString("before_json"), rs.getString("after_json")));
                }
            }
        }
        return entries;
    }
}
