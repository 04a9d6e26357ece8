package it.semaforo.admin;

import it.semaforo.audit.AuditLog;
import it.semaforo.db.Database;
import it.semaforo.render.Messages;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;

/**
 * `create-admin NAME`: the first administrator, since there is no default account and no
 * default password. The password is asked twice without echo on a terminal, or read from the
 * first line of standard input when there is none (scripts, containers).
 */
public final class CreateAdminCommand {
    private CreateAdminCommand() {
    }

    /** Returns the process exit code: 0 created, 1 refused, 2 wrong usage. database: the SQLite file of the data directory. */
    public static int run(AdminSettings settings, Path database, String[] args, Console console, InputStream stdin, PrintStream out,
                          PrintStream err) {
        Messages msg = new Messages("i18n.admin", settings.language());
        if (args.length != 1) {
            err.println(msg.t("admin.cli.usage"));
            return 2;
        }
        String username = Accounts.normalise(args[0]);
        if (!Accounts.USERNAME.matcher(username).matches()) {
            err.println(msg.t("admin.cli.username"));
            return 1;
        }
        String password;
        try {
            password = console != null ? fromConsole(console, msg, username) : fromStream(stdin);
        } catch (IOException e) {
            err.println(msg.t("admin.cli.read", e.getMessage()));
            return 1;
        }
        if (password == null) {
            err.println(msg.t("admin.cli.confirm"));
            return 1;
        }
        Optional<Passwords.Refusal> refusal = Passwords.check(password, username);
        if (refusal.isPresent()) {
            err.println(msg.t(refusal.get().key(), refusal.get().argument()));
            return 1;
        }
        try (Database db = Database.open(database)) {
            Clock clock = Clock.systemUTC();
            Accounts accounts = new Accounts(db, clock, new Passwords(settings.bcryptCost()));
            if (accounts.findByUsername(username).isPresent()) {
                err.println(msg.t("admin.cli.exists", username));
                return 1;
            }
            UserDesk users = new UserDesk(db, accounts,
                    new Sessions(db, clock, settings.sessionIdle(), settings.sessionMax()),
                    new AuditLog(db, clock), msg);
            users.createFirstAdministrator(username, password);
            out.println(msg.t("admin.cli.created", username));
            return 0;
        }
    }

    private static String fromConsole(Console console, Messages msg, String username) {
        char[] first = console.readPassword("%s", msg.t("admin.cli.prompt", username));
        char[] second = console.readPassword("%s", msg.t("admin.cli.prompt.again"));
        try {
            if (first == null || second == null || !Arrays.equals(first, second)) return null;
            return new String(first);
        } finally {
            if (first != null) Arrays.fill(first, '\0');
            if (second != null) Arrays.fill(second, '\0');
        }
    }

    private static String fromStream(InputStream in) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line = reader.readLine();
        return line == null ? "" : line;
    }
}
