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
            assertEquals(migrationFiles(), applied(db), "every migration applied, in order");
            for (String t : List.of("app_user", "admin_session", "login_attempt", "audit_log", "notice_revision")) {
                assertTrue(tables.contains(t), "table " + t + " in " + tables);
            }
        }
    }

    @Test
    void aRelaxedWriteCommitsAndLeavesTheWriterSyncingEveryCommit() {
        try (Database db = Database.open(dir.resolve("relaxed.db"))) {
            db.writeRelaxed(c -> {
                try (Statement st = c.createStatement()) {
                    try (ResultSet rs = st.executeQuery("PRAGMA synchronous")) {
                        rs.next();
                        assertEquals(1, rs.getInt(1), "NORMAL inside");
                    }
                    st.executeUpdate("INSERT INTO service_group(name, position, created_at) VALUES ('g', 0, 0)");
                }
                return null;
            });
            assertEquals("2", db.write(c -> {   // the one writer connection: FULL again
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA synchronous")) {
                    rs.next();
                    return rs.getString(1);
                }
            }));
            assertEquals("1", db.read(c -> {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM service_group")) {
                    rs.next();
                    return rs.getString(1);
                }
            }));
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
        Database.open(file).close();
        try (Database db = Database.open(file)) {
            assertEquals(migrationFiles(), applied(db), "one row per migration, none repeated");
        }
    }

    /** The versions of the migration files shipped in the jar, in numeric order. */
    private static List<String> migrationFiles() {
        try (var files = java.nio.file.Files.list(Path.of(MigrationTest.class.getResource("/db/migration").toURI()))) {
            return files.map(p -> p.getFileName().toString().replaceAll("^V([0-9]+)__.*", "$1"))
                    .sorted(java.util.Comparator.comparingInt(Integer::parseInt)).toList();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> applied(Database db) {
        return db.read(c -> {
            List<String> versions = new ArrayList<>();
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT version FROM flyway_schema_history WHERE success = 1 ORDER BY installed_rank")) {
                while (rs.next()) versions.add(rs.getString(1));
            }
            return versions;
        });
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
