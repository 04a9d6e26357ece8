package it.semaforo.export;

import it.semaforo.db.Database;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The mirror's work and memory in the database (tables mirror_pending, mirror_file,
 * mirror_target): what each target must still receive, and what it holds. A row of work leaves
 * the queue only in the transaction that records its result, and only if no newer change
 * queued it again meanwhile, so a crash, or a target that fails, loses nothing.
 */
final class MirrorQueue {
    /** Priorities: what a change altered first, then the archive's pages, then a full pass. */
    static final int CHANGED = 0;
    static final int ARCHIVE = 1;
    static final int FULL = 2;

    private final Database db;

    MirrorQueue(Database db) {
        this.db = db;
    }

    record Work(String path, int priority) {
    }

    record Pending(String path, int priority, Instant queuedAt, long version) {
    }

    /** A file a target holds; part: the part of the manifest that lists it (Mirror#part). */
    record Stored(String path, String file, String renderedSha, String sha256, long size, String contentType,
                  String language, Instant writtenAt, String part) {
        Stored inPart(String other) {
            return new Stored(path, file, renderedSha, sha256, size, contentType, language, writtenAt, other);
        }
    }

    /** A part of the manifest as the target holds it: its file (named by its hash), entries, size and SHA-256. */
    record Part(String part, String file, long entries, long size, String sha256) {
    }

    /** What became of one row of work. stored: what the target holds now, or null when it holds nothing for the path. */
    record Result(Pending pending, Stored stored, boolean changed) {
    }

    record TargetState(String target, long pending, boolean manifestDue, Instant oldestPending, Instant syncedAt,
                       String lastError, Instant lastErrorAt) {
    }

    void ensure(String target) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT OR IGNORE INTO mirror_target(target) VALUES (?)")) {
                ps.setString(1, target);
                return ps.executeUpdate();
            }
        });
    }

    /**
     * Queues the paths for each target; a path already waiting keeps its oldest time and its
     * highest priority. Many paths (a full pass, the archive's pages) go in several
     * transactions, so that the one writer is not held from a clerk's change or a target's
     * progress for long; a crash in between delivers the change again.
     */
    void enqueue(Collection<String> targets, Collection<Work> work, Instant at) {
        List<Work> all = new ArrayList<>(work);
        for (int from = 0; from < all.size(); from += ENQUEUE_BATCH) {
            enqueueNow(targets, all.subList(from, Math.min(all.size(), from + ENQUEUE_BATCH)), at);
        }
    }

    private static final int ENQUEUE_BATCH = 2000;

    private void enqueueNow(Collection<String> targets, Collection<Work> work, Instant at) {
        if (work.isEmpty()) return;
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO mirror_pending(target, path, priority, queued_at) "
                    + "VALUES (?, ?, ?, ?) ON CONFLICT(target, path) DO UPDATE SET version = version + 1, "
                    + "priority = min(priority, excluded.priority)")) {
                for (String target : targets) {
                    for (Work w : work) {
                        ps.setString(1, target);
                        ps.setString(2, w.path());
                        ps.setInt(3, w.priority());
                        ps.setLong(4, at.toEpochMilli());
                        ps.addBatch();
                    }
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /** The next rows of work of a target, most urgent first. */
    List<Pending> take(String target, int limit) {
        return db.read(c -> {
            List<Pending> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT path, priority, queued_at, version FROM mirror_pending "
                    + "WHERE target = ? ORDER BY priority, queued_at, path LIMIT ?")) {
                ps.setString(1, target);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new Pending(rs.getString(1), rs.getInt(2), Instant.ofEpochMilli(rs.getLong(3)), rs.getLong(4)));
                    }
                }
            }
            return rows;
        });
    }

    /**
     * The rows, each followed by the rows waiting for the same address in the other languages
     * (/avvisi/pagina/2 and /en/avvisi/pagina/2, …), which render from the same queries.
     */
    List<Pending> withLanguages(String target, List<Pending> rows, List<String> languages) {
        java.util.LinkedHashSet<String> wanted = new java.util.LinkedHashSet<>();
        for (Pending r : rows) {
            String base = r.path();
            for (String tag : languages) {
                if (base.startsWith("/" + tag + "/")) {
                    base = base.substring(tag.length() + 1);
                    break;
                }
            }
            wanted.add(base);
            for (String tag : languages) wanted.add("/" + tag + base);
        }
        Map<String, Pending> found = db.read(c -> {
            Map<String, Pending> all = new HashMap<>();
            List<String> paths = new ArrayList<>(wanted);
            try (PreparedStatement ps = c.prepareStatement("SELECT path, priority, queued_at, version FROM mirror_pending "
                    + "WHERE target = ? AND path IN (" + "?,".repeat(paths.size() - 1) + "?)")) {
                ps.setString(1, target);
                for (int i = 0; i < paths.size(); i++) ps.setString(i + 2, paths.get(i));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        all.put(rs.getString(1), new Pending(rs.getString(1), rs.getInt(2), Instant.ofEpochMilli(rs.getLong(3)),
                                rs.getLong(4)));
                    }
                }
            }
            return all;
        });
        List<Pending> out = new ArrayList<>();
        java.util.Set<String> taken = new HashSet<>();
        for (Pending r : rows) {
            if (taken.add(r.path())) out.add(r);
        }
        for (String p : wanted) {
            Pending r = found.get(p);
            if (r != null && taken.add(p)) out.add(r);
        }
        return out;
    }

    /** What the target holds for these paths. */
    Map<String, Stored> stored(String target, Collection<String> paths) {
        if (paths.isEmpty()) return Map.of();
        return db.read(c -> {
            Map<String, Stored> found = new HashMap<>();
            List<String> all = new ArrayList<>(paths);
            for (int from = 0; from < all.size(); from += 500) {
                List<String> part = all.subList(from, Math.min(all.size(), from + 500));
                try (PreparedStatement ps = c.prepareStatement("SELECT * FROM mirror_file WHERE target = ? AND path IN ("
                        + "?,".repeat(part.size() - 1) + "?)")) {
                    ps.setString(1, target);
                    for (int i = 0; i < part.size(); i++) ps.setString(i + 2, part.get(i));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            Stored s = stored(rs);
                            found.put(s.path(), s);
                        }
                    }
                }
            }
            return found;
        });
    }

    /** Every path the target holds. */
    Set<String> storedPaths(String target) {
        return db.read(c -> {
            Set<String> paths = new HashSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT path FROM mirror_file WHERE target = ?")) {
                ps.setString(1, target);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) paths.add(rs.getString(1));
                }
            }
            return paths;
        });
    }

    /** What the target holds of one part of the manifest, in file order. */
    void manifest(String target, String part, java.util.function.Consumer<Stored> each) {
        db.read(c -> {
            // each row handed on as it is read
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM mirror_file WHERE target = ? AND part = ? ORDER BY file")) {
                ps.setString(1, target);
                ps.setString(2, part);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) each.accept(stored(rs));
                }
            }
            return null;
        });
    }

    /** Records what the target now holds, and takes the work off the queue unless a newer change queued it again. */
    void complete(String target, List<Result> results) {
        if (results.isEmpty()) return;
        db.write(c -> {
            boolean changed = false;
            try (PreparedStatement upsert = c.prepareStatement("INSERT OR REPLACE INTO mirror_file(target, path, file, "
                    + "rendered_sha, sha256, size, content_type, language, written_at, part) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
                 PreparedStatement forget = c.prepareStatement("DELETE FROM mirror_file WHERE target = ? AND path = ?");
                 PreparedStatement done = c.prepareStatement("DELETE FROM mirror_pending WHERE target = ? AND path = ? AND version = ?");
                 // the part that listed the file before, and the one that lists it now, are written again
                 PreparedStatement wasDue = c.prepareStatement("UPDATE mirror_part SET due = 1 WHERE target = ?1 AND part = "
                         + "(SELECT part FROM mirror_file WHERE target = ?1 AND path = ?2)");
                 PreparedStatement isDue = c.prepareStatement("INSERT INTO mirror_part(target, part, due) VALUES (?, ?, 1) "
                         + "ON CONFLICT(target, part) DO UPDATE SET due = 1")) {
                for (Result r : results) {
                    if (r.changed()) {
                        changed = true;
                        wasDue.setString(1, target);
                        wasDue.setString(2, r.pending().path());
                        wasDue.executeUpdate();
                        if (r.stored() != null) {
                            isDue.setString(1, target);
                            isDue.setString(2, r.stored().part());
                            isDue.executeUpdate();
                        }
                        if (r.stored() == null) {
                            forget.setString(1, target);
                            forget.setString(2, r.pending().path());
                            forget.executeUpdate();
                        } else {
                            Stored s = r.stored();
                            upsert.setString(1, target);
                            upsert.setString(2, s.path());
                            upsert.setString(3, s.file());
                            upsert.setString(4, s.renderedSha());
                            upsert.setString(5, s.sha256());
                            upsert.setLong(6, s.size());
                            upsert.setString(7, s.contentType());
                            if (s.language() == null) upsert.setNull(8, Types.VARCHAR);
                            else upsert.setString(8, s.language());
                            upsert.setLong(9, s.writtenAt().toEpochMilli());
                            upsert.setString(10, s.part());
                            upsert.executeUpdate();
                        }
                    }
                    done.setString(1, target);
                    done.setString(2, r.pending().path());
                    done.setLong(3, r.pending().version());
                    done.executeUpdate();
                }
            }
            if (changed) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE mirror_target SET manifest_due = 1 WHERE target = ?")) {
                    ps.setString(1, target);
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    boolean manifestDue(String target) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT manifest_due FROM mirror_target WHERE target = ?")) {
                ps.setString(1, target);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() && rs.getInt(1) == 1;
                }
            }
        });
    }

    /** The parts of the manifest whose entries changed since they were written, in name order. */
    List<String> dueParts(String target) {
        return db.read(c -> {
            List<String> parts = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT part FROM mirror_part WHERE target = ? AND due = 1 ORDER BY part")) {
                ps.setString(1, target);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) parts.add(rs.getString(1));
                }
            }
            return parts;
        });
    }

    /** The parts the next index names, in name order. */
    List<Part> parts(String target) {
        return db.read(c -> {
            List<Part> parts = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT part, file, entries, size, sha256 FROM mirror_part "
                    + "WHERE target = ? AND file IS NOT NULL ORDER BY part")) {
                ps.setString(1, target);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) parts.add(new Part(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getString(5)));
                }
            }
            return parts;
        });
    }

    /** The number of the index last written. */
    long generation(String target) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT manifest_generation FROM mirror_target WHERE target = ?")) {
                ps.setString(1, target);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }

    /**
     * A part's file is about to be written: recorded as retired until partWritten names it, so
     * that a crash in between leaves no file that nothing ever deletes.
     */
    void writing(String target, String file, long generation) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT OR IGNORE INTO mirror_part_retired(target, file, generation) "
                    + "VALUES (?, ?, ?)")) {
                ps.setString(1, target);
                ps.setString(2, file);
                ps.setLong(3, generation);
                return ps.executeUpdate();
            }
        });
    }

    /**
     * The part's file is in place (written: null when the part has no entries left): the next
     * index names it, and the file it replaces is retired from that index on.
     */
    void partWritten(String target, String part, Part written, long generation) {
        db.write(c -> {
            String old = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT file FROM mirror_part WHERE target = ? AND part = ?")) {
                ps.setString(1, target);
                ps.setString(2, part);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) old = rs.getString(1);
                }
            }
            String now = written == null ? null : written.file();
            if (old != null && !old.equals(now)) writing(c, target, old, generation);
            if (now != null) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM mirror_part_retired WHERE target = ? AND file = ?")) {
                    ps.setString(1, target);
                    ps.setString(2, now);
                    ps.executeUpdate();
                }
            }
            if (written == null) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM mirror_part WHERE target = ? AND part = ?")) {
                    ps.setString(1, target);
                    ps.setString(2, part);
                    ps.executeUpdate();
                }
            } else {
                try (PreparedStatement ps = c.prepareStatement("UPDATE mirror_part SET due = 0, file = ?, entries = ?, size = ?, "
                        + "sha256 = ? WHERE target = ? AND part = ?")) {
                    ps.setString(1, written.file());
                    ps.setLong(2, written.entries());
                    ps.setLong(3, written.size());
                    ps.setString(4, written.sha256());
                    ps.setString(5, target);
                    ps.setString(6, part);
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    private static void writing(java.sql.Connection c, String target, String file, long generation) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO mirror_part_retired(target, file, generation) "
                + "VALUES (?, ?, ?)")) {
            ps.setString(1, target);
            ps.setString(2, file);
            ps.setLong(3, generation);
            ps.executeUpdate();
        }
    }

    /** The index numbered generation is in place. */
    void indexWritten(String target, long generation) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE mirror_target SET manifest_generation = ? WHERE target = ?")) {
                ps.setLong(1, generation);
                ps.setString(2, target);
                return ps.executeUpdate();
            }
        });
    }

    /** The part files that neither the index numbered generation nor the one before it names: to delete. */
    List<String> retired(String target, long generation) {
        return db.read(c -> {
            List<String> files = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT file FROM mirror_part_retired WHERE target = ? AND generation < ?")) {
                ps.setString(1, target);
                ps.setLong(2, generation);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) files.add(rs.getString(1));
                }
            }
            return files;
        });
    }

    void deleted(String target, String file) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM mirror_part_retired WHERE target = ? AND file = ?")) {
                ps.setString(1, target);
                ps.setString(2, file);
                return ps.executeUpdate();
            }
        });
    }

    /** The manifest is written and nothing waits: the target holds the site as it is. */
    void synced(String target, Instant at) {
        update(target, "UPDATE mirror_target SET manifest_due = 0, synced_at = ?, last_error = NULL, last_error_at = NULL "
                + "WHERE target = ? AND NOT EXISTS (SELECT 1 FROM mirror_pending WHERE target = ?2)", at.toEpochMilli());
    }

    void failed(String target, String error, Instant at) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE mirror_target SET last_error = ?, last_error_at = ? WHERE target = ?")) {
                ps.setString(1, error);
                ps.setLong(2, at.toEpochMilli());
                ps.setString(3, target);
                return ps.executeUpdate();
            }
        });
    }

    void recovered(String target) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE mirror_target SET last_error = NULL, last_error_at = NULL "
                    + "WHERE target = ? AND last_error IS NOT NULL")) {
                ps.setString(1, target);
                return ps.executeUpdate();
            }
        });
    }

    TargetState state(String target) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT t.synced_at, t.last_error, t.last_error_at, t.manifest_due, "
                    + "(SELECT count(*) FROM mirror_pending p WHERE p.target = t.target), "
                    + "(SELECT min(queued_at) FROM mirror_pending p WHERE p.target = t.target) "
                    + "FROM mirror_target t WHERE t.target = ?")) {
                ps.setString(1, target);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return new TargetState(target, 0, false, null, null, null, null);
                    return new TargetState(target, rs.getLong(5), rs.getInt(4) == 1, instant(rs, 6), instant(rs, 1),
                            rs.getString(2), instant(rs, 3));
                }
            }
        });
    }

    private void update(String target, String sql, long at) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, at);
                ps.setString(2, target);
                return ps.executeUpdate();
            }
        });
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    private static Stored stored(ResultSet rs) throws SQLException {
        return new Stored(rs.getString("path"), rs.getString("file"), rs.getString("rendered_sha"), rs.getString("sha256"),
                rs.getLong("size"), rs.getString("content_type"), rs.getString("language"),
                Instant.ofEpochMilli(rs.getLong("written_at")), rs.getString("part"));
    }
}
