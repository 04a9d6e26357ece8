package it.semaforo.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The SQLite database: one writer connection (SQLite allows one writer at a time, and a
 * single connection makes SQLITE_BUSY impossible between our own writes) and a few readers,
 * which WAL lets run alongside the writer. The one transaction helper lives here.
 */
public final class Database implements AutoCloseable {
    private final Path file;
    private final HikariDataSource writer;
    private final HikariDataSource readers;

    private Database(Path file, HikariDataSource writer, HikariDataSource readers) {
        this.file = file;
        this.writer = writer;
        this.readers = readers;
    }

    /** Opens (creating if needed) the database file and applies pending migrations. */
    public static Database open(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new DatabaseException("cannot create the data directory for " + file + ": " + e.getMessage(), e);
        }
        // synchronous=FULL: a write acknowledged to a clerk survives a power cut, not only a crash.
        String url = "jdbc:sqlite:" + file.toAbsolutePath()
                + "?journal_mode=WAL&busy_timeout=10000&foreign_keys=true"
                + "&transaction_mode=IMMEDIATE&synchronous=FULL";
        HikariDataSource writer = pool(url, "sqlite-writer", 1, 10_000);
        // a reader that cannot get a connection fails soon: the cache then serves its last good copy
        HikariDataSource readers = pool(url, "sqlite-readers", 4, 3_000);
        Database db = new Database(file, writer, readers);
        db.migrate();
        return db;
    }

    private static HikariDataSource pool(String url, String name, int size, long timeoutMillis) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(url);
        c.setPoolName(name);
        c.setMaximumPoolSize(size);
        c.setMinimumIdle(1);
        c.setConnectionTimeout(timeoutMillis);
        c.setAutoCommit(true);
        return new HikariDataSource(c);
    }

    private void migrate() {
        // Flyway takes a quarter of a second to load and scan: skip it when every migration
        // shipped is already applied (same scripts, same order), which is every start but the first
        // after an upgrade.
        List<String> shipped = shippedMigrations();
        if (!shipped.isEmpty() && shipped.equals(appliedMigrations())) return;
        Flyway.configure()
                .dataSource(writer)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    /** The migration scripts in the jar (or the classes directory), in version order. */
    static List<String> shippedMigrations() {
        try {
            java.net.URI location = Database.class.getProtectionDomain().getCodeSource().getLocation().toURI();
            Path source = Path.of(location);
            List<String> names = new java.util.ArrayList<>();
            if (Files.isDirectory(source)) {
                Path dir = source.resolve("db/migration");
                if (Files.isDirectory(dir)) {
                    try (var files = Files.list(dir)) {
                        files.forEach(f -> names.add(f.getFileName().toString()));
                    }
                }
            } else {
                try (var jar = new java.util.jar.JarFile(source.toFile())) {
                    jar.stream().map(java.util.jar.JarEntry::getName)
                            .filter(n -> n.startsWith("db/migration/") && n.endsWith(".sql"))
                            .forEach(n -> names.add(n.substring("db/migration/".length())));
                }
            }
            return names.stream().filter(n -> n.matches("V[0-9]+__.+\\.sql"))
                    .sorted(java.util.Comparator.comparingInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))))
                    .toList();
        } catch (IOException | java.net.URISyntaxException | RuntimeException e) {
            return List.of();   // unknown: let Flyway decide
        }
    }

    private List<String> appliedMigrations() {
        try (Connection c = writer.getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT script FROM flyway_schema_history WHERE success = 1 AND version IS NOT NULL "
                     + "ORDER BY installed_rank")) {
            List<String> scripts = new java.util.ArrayList<>();
            while (rs.next()) scripts.add(rs.getString(1));
            return scripts;
        } catch (SQLException e) {
            return List.of();   // a new database: no history table yet
        }
    }

    public Path file() {
        return file;
    }

    /** Runs read-only work on a reader connection. */
    public <T> T read(SqlWork<T> work) {
        Connection c = null;
        try {
            c = readers.getConnection();
            return work.run(c);
        } catch (SQLException e) {
            if (c != null && fileFault(e)) readers.evictConnection(c);
            throw new DatabaseException("database read failed: " + e.getMessage(), e);
        } finally {
            closeQuietly(c);
        }
    }

    /**
     * SQLite's answers about the file rather than the query (I/O error, corrupt, cannot open,
     * not a database): the connection is dropped, so that a fresh one finds the file once it is back.
     */
    static boolean fileFault(SQLException e) {
        int code = e.getErrorCode() & 0xff;   // primary result code
        return code == 10 || code == 11 || code == 14 || code == 26;
    }

    private static void closeQuietly(Connection c) {
        if (c == null) return;
        try {
            c.close();
        } catch (SQLException ignored) {
            // an evicted or broken connection: nothing left to release
        }
    }

    /**
     * Closes every pooled connection (those in use when they are returned); new ones open the
     * file at its path again. For operations that replace the file, and for the fault tests.
     */
    public void dropConnections() {
        readers.getHikariPoolMXBean().softEvictConnections();
        writer.getHikariPoolMXBean().softEvictConnections();
    }

    /**
     * Runs work in one write transaction: all of it is committed, or none of it. Changes the
     * public sees go through event.Ledger, which announces them; this alone announces nothing
     * (sessions, login attempts, the ledger's own transaction).
     */
    public <T> T write(SqlWork<T> work) {
        Connection c = null;
        try {
            c = writer.getConnection();
            return inTransaction(c, work);
        } catch (SQLException e) {
            if (c != null && fileFault(e)) writer.evictConnection(c);
            throw new DatabaseException("database write failed: " + e.getMessage(), e);
        } finally {
            closeQuietly(c);
        }
    }

    /**
     * write(), committed without waiting for the disk (synchronous=NORMAL for this transaction
     * only; the connection is back to FULL before it returns to the pool): the change survives the
     * process crashing, but a power cut may undo it until the next ordinary write, whose sync
     * carries it to the disk too. Only for bookkeeping whose loss repeats work and loses nothing:
     * the outbox's "sent" marks (a mark undone sends that mail again; a mark kept means it went).
     */
    public <T> T writeRelaxed(SqlWork<T> work) {
        Connection c = null;
        try {
            c = writer.getConnection();
            try (var st = c.createStatement()) {
                st.execute("PRAGMA synchronous=NORMAL");
            }
            try {
                return inTransaction(c, work);
            } finally {
                try (var st = c.createStatement()) {
                    st.execute("PRAGMA synchronous=FULL");
                } catch (SQLException e) {
                    writer.evictConnection(c);   // never a relaxed connection left in the pool
                    throw e;
                }
            }
        } catch (SQLException e) {
            if (c != null && fileFault(e)) writer.evictConnection(c);
            throw new DatabaseException("database write failed: " + e.getMessage(), e);
        } finally {
            closeQuietly(c);
        }
    }

    /** work in one transaction on c: all committed, or all rolled back. */
    private static <T> T inTransaction(Connection c, SqlWork<T> work) throws SQLException {
        c.setAutoCommit(false);
        try {
            T result = work.run(c);
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    @Override
    public void close() {
        readers.close();
        writer.close();
    }

    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }
}
