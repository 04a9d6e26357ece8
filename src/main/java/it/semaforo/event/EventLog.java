package it.semaforo.event;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import it.semaforo.db.Database;
import it.semaforo.db.Jdbc;
import it.semaforo.text.JsonText;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The persistent, ordered log of change events. Appended only inside the transaction of the
 * change itself (see {@link Ledger}), so an event exists exactly when its change does; read by
 * subscribers from their cursor and by the public change log.
 */
public final class EventLog {
    /** Every kind of event by its record: the log stores the record's name and its JSON. */
    private static final Map<String, Class<? extends ChangeEvent>> KINDS = Arrays.stream(permitted(ChangeEvent.class))
            .collect(Collectors.toUnmodifiableMap(Class::getSimpleName, Function.identity()));

    /**
     * The one JSON configuration (instants as RFC 3339 text), with record components only
     * (type() and isPublic() are derived) in snake_case like the rest of the public API.
     */
    private final ObjectMapper json = JsonText.MAPPER.copy()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
            .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY);

    private final Database db;

    public EventLog(Database db) {
        this.db = db;
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends ChangeEvent>[] permitted(Class<?> type) {
        List<Class<? extends ChangeEvent>> leaves = new ArrayList<>();
        for (Class<?> sub : type.getPermittedSubclasses()) {
            if (sub.isInterface()) leaves.addAll(Arrays.asList(permitted(sub)));
            else leaves.add((Class<? extends ChangeEvent>) sub);
        }
        return leaves.toArray(Class[]::new);
    }

    /** Appends inside the caller's transaction; returns the new sequence number. */
    long append(Connection c, Instant at, ChangeEvent e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO event_log(at, type, public, notice_id, payload) VALUES (?, ?, ?, ?, ?)", Jdbc.keys())) {
            ps.setLong(1, at.toEpochMilli());
            ps.setString(2, e.getClass().getSimpleName());
            ps.setInt(3, e.isPublic() ? 1 : 0);
            Jdbc.setLong(ps, 4, e.noticeId());
            ps.setString(5, encode(e));
            return Jdbc.insert(ps);
        }
    }

    /** The events after seq, oldest first, at most limit; publicOnly leaves drafts and housekeeping out. */
    public List<LoggedEvent> after(long seq, int limit, boolean publicOnly) {
        return db.read(c -> after(c, seq, limit, publicOnly));
    }

    public List<LoggedEvent> after(Connection c, long seq, int limit, boolean publicOnly) throws SQLException {
        List<LoggedEvent> events = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, at, type, payload FROM event_log WHERE seq > ?"
                + (publicOnly ? " AND public = 1" : "") + " ORDER BY seq LIMIT ?")) {
            ps.setLong(1, seq);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    events.add(new LoggedEvent(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)),
                            decode(rs.getString(3), rs.getString(4))));
                }
            }
        }
        return events;
    }

    /** The sequence number of the latest event (0 for an empty log); publicOnly: of the latest public one. */
    public long head(boolean publicOnly) {
        return db.read(c -> head(c, publicOnly));
    }

    long head(Connection c, boolean publicOnly) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(max(seq), 0) FROM event_log"
                + (publicOnly ? " WHERE public = 1" : ""));
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The event's own fields as a JSON tree: the body of the public change log and of webhooks. */
    public JsonNode fields(ChangeEvent e) {
        return json.valueToTree(e);
    }

    String encode(ChangeEvent e) {
        try {
            return json.writeValueAsString(e);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot write event " + e.type() + " as JSON", ex);
        }
    }

    ChangeEvent decode(String kind, String payload) {
        Class<? extends ChangeEvent> type = KINDS.get(kind);
        if (type == null) throw new IllegalStateException("unknown event kind in the log: " + kind);
        try {
            return json.readValue(payload, type);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot read event " + kind + " from the log", ex);
        }
    }

    // ---- the clock's last instant and the subscribers' cursors: the rest of the log's state ----

    /** The last instant turned into events, or null for a log that has not started its clock. */
    Instant lastInstant(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT last_instant FROM event_clock WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Instant.ofEpochMilli(rs.getLong(1)) : null;
        }
    }

    void setLastInstant(Connection c, Instant t) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO event_clock(id, last_instant) VALUES (1, ?)
                ON CONFLICT(id) DO UPDATE SET last_instant = excluded.last_instant""")) {
            ps.setLong(1, t.toEpochMilli());
            ps.executeUpdate();
        }
    }

    /** Where a durable subscriber has got to, or -1 if it never subscribed. */
    long cursor(String subscriber) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT seq FROM event_cursor WHERE subscriber = ?")) {
                ps.setString(1, subscriber);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : -1L;
                }
            }
        });
    }

    void saveCursor(String subscriber, long seq, Instant at) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO event_cursor(subscriber, seq, updated_at) VALUES (?, ?, ?)
                    ON CONFLICT(subscriber) DO UPDATE SET seq = excluded.seq, updated_at = excluded.updated_at""")) {
                ps.setString(1, subscriber);
                ps.setLong(2, seq);
                ps.setLong(3, at.toEpochMilli());
                ps.executeUpdate();
            }
            return null;
        });
    }
}
