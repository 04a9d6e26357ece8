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
                case "create-admin" -> System.exit(it.semaforo.admin.CreateAdminCommand.run(Config.load(), rest,
                        System.console(), System.in, System.out, System.err));
                case "help", "--help", "-h" -> usage();
                default -> {
                    System.err.println("Unknown command: " + verb);
                    usage();
                    System.exit(2);
                }
            }
        } catch (IllegalStateException e) {
            System.err.println("semaforo: " + e.getMessage());
            System.exit(1);
        }
        if (rest.length > 0 && verb.equals("serve")) {
            System.err.println("serve takes no arguments; configure it in config/semaforo.properties or SEMAFORO_* variables");
        }
    }

    private static void serve() {
        Config config = Config.load();
        Semaforo app = Semaforo.start(config, Clock.systemUTC());
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "shutdown"));
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
                  health             exit 0 if the local server answers /health (for container health checks)
                  help               this text
                Settings: config/semaforo.properties, overridden by SEMAFORO_* environment variables.""");
    }
}
