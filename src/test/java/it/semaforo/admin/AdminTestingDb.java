package it.semaforo.admin;

import it.semaforo.db.Database;

import java.sql.PreparedStatement;
import java.sql.ResultSet;

/** A count on a database opened by the test itself (no server running). */
final class AdminTestingDb {
    private AdminTestingDb() {
    }

    static long count(Database db, String sql) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }
}
