package it.semaforo.admin;

import it.semaforo.app.Config;
import it.semaforo.db.Database;
import it.semaforo.testing.MutableClock;
import it.semaforo.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `create-admin NAME`: the only way to the first account, with no default password anywhere. */
class CreateAdminCommandTest {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private Run run(String stdin, String... args) {
        Config config = Config.load(Map.of()).with(Map.of("data.dir", dir.toString(), "admin.password.bcrypt.cost", "4"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = CreateAdminCommand.run(config.admin(), config.dataDir().resolve("semaforo.db"), args, null, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private long users() {
        try (Database db = Database.open(dir.resolve("semaforo.db"))) {
            return AdminTestingDb.count(db, "SELECT count(*) FROM app_user");
        }
    }

    @Test
    void createsAnAdministratorWhoCanSignIn() {
        Run r = run("una frase lunga per entrare\n", "Sindaco.Roccaverde");
        assertEquals(0, r.code(), r.err());
        assertEquals("Creato l'amministratore sindaco.roccaverde. Accedi da /admin/login.", r.out().strip());

        try (Database db = Database.open(dir.resolve("semaforo.db"))) {
            assertEquals(1, AdminTestingDb.count(db, "SELECT count(*) FROM app_user WHERE username = 'sindaco.roccaverde' "
                    + "AND role = 'amministratore' AND active = 1 AND password_hash LIKE '$2b$04$%'"));
            assertEquals(1, AdminTestingDb.count(db, "SELECT count(*) FROM audit_log WHERE action = 'user.create' "
                    + "AND username = 'riga-di-comando' AND after_json NOT LIKE '%frase%'"));
        }
        // the server started on that data directory lets them in, with the administrators' menu
        try (TestServer server = TestServer.start(new MutableClock(Instant.parse("2026-11-24T10:00:00Z")), false,
                AdminTesting.settings("data.dir", dir.toString()))) {
            AdminClient browser = new AdminClient(server);
            assertEquals(303, browser.login("sindaco.roccaverde", "una frase lunga per entrare").status());
            assertEquals(200, browser.get("/admin/utenti").status());
        }

        Run again = run("un'altra frase lunga\n", "sindaco.roccaverde");
        assertEquals(1, again.code());
        assertTrue(again.err().startsWith("L'utente sindaco.roccaverde esiste già"), again.err());
        assertEquals(1, users());
    }

    @Test
    void refusesWeakPasswordsBadNamesAndWrongUsage() {
        Run shortOne = run("corta\n", "admin.comune");
        assertEquals(1, shortOne.code());
        assertEquals("La password deve avere almeno 12 caratteri.", shortOne.err().strip());
        Run empty = run("", "admin.comune");
        assertEquals(1, empty.code(), "no password at all is the shortest one");
        Run common = run("password1234567\n", "admin.comune");
        assertEquals(1, common.code());
        assertTrue(common.err().startsWith("La password è troppo facile da indovinare"), common.err());
        Run ownName = run("sono luca.neri e basta\n", "luca.neri");
        assertEquals(1, ownName.code(), "a password that contains the name is refused");
        Run badName = run("una frase lunga per entrare\n", "Mario Rossi!");
        assertEquals(1, badName.code());
        assertTrue(badName.err().startsWith("Il nome utente deve avere da 3 a 40 caratteri"));
        assertEquals(2, run("", new String[0]).code());
        assertEquals(2, run("", "uno", "due").code());
        assertEquals(0, users(), "nothing was created");
    }
}
