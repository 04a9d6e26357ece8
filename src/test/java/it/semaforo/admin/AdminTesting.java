package it.semaforo.admin;

import it.semaforo.audit.Actor;
import it.semaforo.testing.TestServer;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.Map;

/** Accounts and counts the tests set up and check directly in the database. */
final class AdminTesting {
    /** bcrypt at its minimum cost: the tests log in often, and the cost is not what they test. */
    static final Map<String, String> SETTINGS = Map.of("admin.password.bcrypt.cost", "4", "base.url", "http://127.0.0.1");
    static final String PASSWORD = "una frase lunga per entrare";

    private AdminTesting() {
    }

    static Map<String, String> settings(String... more) {
        Map<String, String> all = new LinkedHashMap<>(SETTINGS);
        for (int i = 0; i + 1 < more.length; i += 2) all.put(more[i], more[i + 1]);
        return all;
    }

    static long user(TestServer server, String username, Role role) {
        return server.app().admin().users().create(Actor.commandLine(),
                new UserDesk.NewUser(username, username.replace('.', ' '), role, PASSWORD));
    }

    static long count(TestServer server, String sql, Object... args) {
        return server.app().database().read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }
}
