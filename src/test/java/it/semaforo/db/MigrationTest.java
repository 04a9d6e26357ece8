package it.semaforo.db;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MigrationTest {
    @TempDir
    Path dir;

    @Test
    void migratesAnEmptyFileToTheWholeDomain() {
        try (Database db = Database.open(dir.resolve("new.db"))) {
            List<String> tables = db.read(c -> {
                List<String> names = new ArrayList<>();
                try (Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type IN ('table') ORDER BY name")) {
                    while (rs.next()) names.add(rs.getString(1));
                }
                return names;
            });
            for (String t : List.of("service_group", "service", "channel", "provider", "provider_dependency",
                    "service_provider", "notice", "notice_update", "notice_impact", "attachment", "notice_fts",
                    "flyway_schema_history")) {
                assertTrue(tables.contains(t), "table " + t + " in " + tables);
            }
            List<String> versions = db.read(c -> {
                List<String> applied = new ArrayList<>();
                try (Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT version FROM flyway_schema_history WHERE success = 1 ORDER BY installed_rank")) {
                    while (rs.next()) applied.add(rs.getString(1));
                }
                return applied;
            });
            // later migrations may follow; these must be there, in this order
            assertEquals(List.of("1", "2"), versions.subList(0, 2), versions.toString());
            for (String t : List.of("app_user", "admin_session", "login_attempt", "audit_log", "notice_revision")) {
                assertTrue(tables.contains(t), "table " + t + " in " + tables);
            }
        }
    }

    @Test
    void connectionsUseWalForeignKeysAndABusyTimeout() {
        try (Database db = Database.open(dir.resolve("pragmas.db"))) {
            assertEquals("wal", pragma(db, "journal_mode"));
            assertEquals("1", pragma(db, "foreign_keys"));
            assertEquals("10000", pragma(db, "busy_timeout"));
            // a foreign key violation is refused, and the transaction leaves nothing behind
            assertThrows(DatabaseException.class, () -> db.write(c -> {
                try (Statement st = c.createStatement()) {
                    st.executeUpdate("INSERT INTO service_group(name, position, created_at) VALUES ('g', 0, 0)");
                    st.executeUpdate("INSERT INTO service(slug, name, group_id, created_at, updated_at) VALUES ('s', 'S', 999, 0, 0)");
                }
                return null;
            }));
            assertEquals("0", db.read(c -> {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM service_group")) {
                    rs.next();
                    return rs.getString(1);
                }
            }));
        }
    }

    @Test
    void reopeningAMigratedFileAppliesNothingTwice() {
        Path file = dir.resolve("again.db");
        String sql = "SELECT count(*) || '/' || count(DISTINCT version) FROM flyway_schema_history";
        String first;
        try (Database db = Database.open(file)) {
            first = db.read(c -> {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                    rs.next();
                    return rs.getString(1);
                }
            });
        }
        try (Database db = Database.open(file)) {
            assertEquals(first, db.read(c -> {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                    rs.next();
                    return rs.getString(1);
                }
            }));
        }
        // one row per migration, none repeated
        String[] counts = first.split("/");
        assertEquals(counts[0], counts[1]);
    }

    private static String pragma(Database db, String name) {
        return db.read(c -> {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA " + name)) {
                rs.next();
                return rs.getString(1);
            }
        });
    }
}
