package it.semaforo.app;

import java.time.Clock;
import java.util.Arrays;

/** Command line: `serve` (the default), `create-admin NAME`, `health`. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        String verb = args.length == 0 ? "serve" : args[0];
        String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
        try {
            switch (verb) {
                case "serve" -> serve();
                case "health" -> System.exit(health());
                case "export" -> System.exit(export(rest));
                case "generate-large" -> System.exit(generateLarge());
                case "backup" -> System.exit(backup(rest));
                case "restore" -> System.exit(restore(rest));
                case "create-admin" -> System.exit(createAdmin(rest
));
                case "help", "--help", "-h" -> usage();
                default -> {
                    System.err.println("Unknown command: " + verb);
                    usage();
                    System.exit(2);
                }
            }
        } catch (IllegalStateException | java.io.UncheckedIOException | it.semaforo.db.DatabaseException e) {
            System.err.println("semaforo: " + e.getMessage());
            System.exit(1);
        }
        if (rest.length > 0 && verb.equals("serve")) {
            System.err.println("serve takes no arguments; configure it in config/semaforo.properties or SEMAFORO_* variables");
        }
    }

    private static int createAdmin(String[] args) {
        Config config = Config.load();
        return it.semaforo.admin.CreateAdminCommand.run(config.admin(), config.dataDir().resolve("semaforo.db"), args,
                System.console(), System.in, System.out, System.err);
    }

    private static void serve() {
        Config config = Config.load();
        Semaforo app = Semaforo.start(config, Clock.systemUTC());
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "shutdown"));
    }

    /**
     * Writes the public site as static files, rendered in-process by the renderers the routes
     * use (no server started; beside a running one, if any: SQLite in WAL mode allows it).
     */
    private static int export(String[] args) {
        if (args.length != 1) {
            System.err.println("Usage: java -jar target/semaforo.jar export DIR");
            return 2;
        }
        Config config = Config.load();
        long started = System.nanoTime();
        try (Semaforo app = Semaforo.open(config, Clock.systemUTC())) {
            var result = new it.semaforo.export.StaticExport().export(java.nio.file.Path.of(args[0]), app.publicAddresses());
            System.out.printf("Exported %d files (%d bytes) to %s in %d ms%n", result.files(), result.bytes(),
                    args[0], (System.nanoTime() - started) / 1_000_000);
            if (!result.missing().isEmpty()) {
                System.err.println("Addresses that did not answer: " + result.missing());
                return 1;
            }
            return 0;
        } catch (java.io.IOException | InterruptedException e) {
            System.err.println("export failed: " + e.getMessage());
            return 1;
        }
    }

    /** A consistent copy of the data directory, taken while the server runs. */
    private static int backup(String[] args) {
        Config config = Config.load();
        java.nio.file.Path target = args.length == 1 ? java.nio.file.Path.of(args[0])
                : java.nio.file.Path.of("backup-" + java.time.LocalDateTime.now(config.zone())
                .format(java.time.format.DateTimeFormatter.ofPattern("uuuuMMdd-HHmmss")));
        var result = it.semaforo.db.Backup.take(config.dataDir(), target);
        System.out.printf("Backup in %s: database %d bytes (integrity ok), %d attachments%n",
                result.dir(), result.databaseBytes(), result.attachments());
        return 0;
    }

    /** Puts a backup back into the configured data directory, which must not hold a database. */
    private static int restore(String[] args) {
        if (args.length != 1) {
            System.err.println("Usage: java -jar target/semaforo.jar restore BACKUP_DIR");
            return 2;
        }
        Config config = Config.load();
        it.semaforo.db.Backup.restore(java.nio.file.Path.of(args[0]), config.dataDir());
        System.out.println("Restored " + args[0] + " into " + config.dataDir() + "; start the server.");
        return 0;
    }

    /** Fills an empty data directory with the large comune used for scale measurements. */
    private static int generateLarge() {
        Config config = Config.load().with(java.util.Map.of("demo.enabled", "false"));
        try (Domain domain = Domain.open(config.dataDir().resolve("semaforo.db"), Clock.systemUTC(), config.zone(),
                it.semaforo.admin.AdminSite.auditWording(config.admin()))) {
            var services = domain.services();
            if (!services.isEmpty()) {
                System.err.println("The database in " + config.dataDir() + " is not empty: choose an empty SEMAFORO_DATA_DIR");
                return 1;
            }
            long started = System.nanoTime();
            new it.semaforo.demo.LargeComune(services, domain.notices(),
                    Clock.systemUTC()).seed();
            System.out.printf("Generated %d services and %d avvisi with %d updates in %s in %d ms%n",
                    it.semaforo.demo.LargeComune.SERVICES, it.semaforo.demo.LargeComune.NOTICES,
                    it.semaforo.demo.LargeComune.NOTICES * it.semaforo.demo.LargeComune.UPDATES_PER_NOTICE,
                    config.dataDir(), (System.nanoTime() - started) / 1_000_000);
            return 0;
        }
    }

    /** For container health checks: 0 when this machine's server answers /health with 200. */
    private static int health() {
        Config config = Config.load();
        try {
            var client = java.net.http.HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(2)).build();
            var request = java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + config.port() + "/health"))
                    .timeout(java.time.Duration.ofSeconds(3)).build();
            var response = client.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
            System.out.println(response.body());
            return response.statusCode() == 200 ? 0 : 1;
        } catch (Exception e) {
            System.err.println("semaforo is not answering: " + e.getMessage());
            return 1;
        }
    }

    private static void usage() {
        System.out.println("""
                Usage: java -jar target/semaforo.jar [command]
                  serve              start the status page (default)
                  create-admin NAME  create an administrator of the clerks' area (/admin); the password is
                                     asked twice without echo, or read from the first line of stdin
                  backup [DIR]       consistent online copy of the database and attachments
                  restore DIR        put a backup into an empty data directory (server stopped)
                  export DIR         write the whole public site as static files into DIR
                  generate-large     fill an empty data directory with a large comune (scale tests)
                  health             exit 0 if the local server answers /health (for container health checks)
                  help               this text
                Settings: config/semaforo.properties, overridden by SEMAFORO_* environment variables.""");
    }
}
