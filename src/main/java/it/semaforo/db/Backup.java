package it.semaforo.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;

/**
 * Consistent online backups of a data directory while the server keeps writing: the database
 * through VACUUM INTO (one read transaction, so one instant of the data), then the attachment
 * files. Attachments are written before the row that names them and never changed or deleted,
 * so every file the copied database names is there when the files are copied after it.
 */
public final class Backup {
    public static final String DATABASE = "semaforo.db";
    public static final String ATTACHMENTS = "allegati";

    private Backup() {
    }

    public record Result(Path dir, long databaseBytes, int attachments) {
    }

    /** Copies dataDir into target (which must not exist yet) and checks the copy's integrity. */
    public static Result take(Path dataDir, Path target) {
        Path source = dataDir.resolve(DATABASE);
        if (!Files.isRegularFile(source)) throw new IllegalStateException("no database at " + source.toAbsolutePath());
        if (Files.exists(target)) throw new IllegalStateException(target.toAbsolutePath() + " already exists: choose a new directory");
        try {
            Files.createDirectories(target);
            Path copy = target.resolve(DATABASE);
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + source.toAbsolutePath() + "?busy_timeout=10000");
                 PreparedStatement ps = c.prepareStatement("VACUUM INTO ?")) {
                ps.setString(1, copy.toAbsolutePath().toString());
                ps.execute();
            }
            String check = integrity(copy);
            if (!"ok".equals(check)) throw new IllegalStateException("the backup copy fails its integrity check: " + check);
            int files = 0;
            Path attachments = dataDir.resolve(ATTACHMENTS);
            if (Files.isDirectory(attachments)) {
                Path to = Files.createDirectories(target.resolve(ATTACHMENTS));
                try (Stream<Path> list = Files.list(attachments)) {
                    for (Path f : (Iterable<Path>) list::iterator) {
                        if (!Files.isRegularFile(f)) continue;
                        Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
                        files++;
                    }
                }
            }
            return new Result(target, Files.size(copy), files);
        } catch (SQLException e) {
            throw new DatabaseException("backup failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("backup failed: " + e.getMessage(), e);
        }
    }

    /** PRAGMA integrity_check of a database file: "ok" when sound. */
    public static String integrity(Path file) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
            return rs.next() ? rs.getString(1) : "no answer";
        } catch (SQLException e) {
            throw new DatabaseException("integrity check failed: " + e.getMessage(), e);
        }
    }

    /**
     * Restores a backup into an empty or absent data directory (the server stopped): the
     * database file and the attachments, after checking the backup's integrity.
     */
    public static void restore(Path backup, Path dataDir) {
        Path db = backup.resolve(DATABASE);
        if (!Files.isRegularFile(db)) throw new IllegalStateException("no " + DATABASE + " in " + backup.toAbsolutePath());
        if (Files.exists(dataDir.resolve(DATABASE))) {
            throw new IllegalStateException(dataDir.resolve(DATABASE).toAbsolutePath()
                    + " exists: stop the server and move the old data directory away first");
        }
        String check = integrity(db);
        if (!"ok".equals(check)) throw new IllegalStateException("the backup fails its integrity check: " + check);
        try {
            Files.createDirectories(dataDir.resolve(ATTACHMENTS));
            Files.copy(db, dataDir.resolve(DATABASE));
            Path attachments = backup.resolve(ATTACHMENTS);
            if (Files.isDirectory(attachments)) {
                try (Stream<Path> list = Files.list(attachments)) {
                    for (Path f : (Iterable<Path>) list::iterator) {
                        Files.copy(f, dataDir.resolve(ATTACHMENTS).resolve(f.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("restore failed: " + e.getMessage(), e);
        }
    }
}
