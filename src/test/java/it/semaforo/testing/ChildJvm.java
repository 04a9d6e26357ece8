package it.semaforo.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Semaforo in a JVM of its own (it.semaforo.app.Main), for tests that kill it and start it
 * again many times. Its classes start from an AppCDS archive made once by a training run (the
 * server started on a demo, a few pages read, stopped): starting the JVM is most of each round
 * of such a test, and the archive roughly halves it. CDS takes classes from jars only, so the
 * class directories of the test's class path are packed into a jar first. Without the archive
 * (the training run failed) the JVM starts as before, only slower.
 */
public final class ChildJvm {
    private final List<String> classPath;
    private final Path archive;

    private ChildJvm(List<String> classPath, Path archive) {
        this.classPath = classPath;
        this.archive = archive;
    }

    /** The test's class path with its directories packed into jars in dir, and the archive trained there. */
    public static ChildJvm prepare(Path dir) throws Exception {
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(e);
            if (Files.isDirectory(p)) {
                Path jar = dir.resolve("classes-" + n++ + ".jar");
                pack(p, jar);
                entries.add(jar.toString());
            } else {
                entries.add(e);
            }
        }
        Path archive = dir.resolve("semaforo.jsa");
        ChildJvm untrained = new ChildJvm(entries, null);
        Path data = Files.createDirectories(dir.resolve("training"));
        int port = Scratch.freePort();
        Map<String, String> env = Map.of("SEMAFORO_DATA_DIR", data.toString(), "SEMAFORO_PORT", String.valueOf(port),
                "SEMAFORO_HOST", "127.0.0.1", "SEMAFORO_DEMO_ENABLED", "true", "SEMAFORO_BASE_URL", "http://127.0.0.1");
        Process training = untrained.start(List.of("-XX:ArchiveClassesAtExit=" + archive), env, dir.resolve("training.log"), "serve");
        try {
            String base = "http://127.0.0.1:" + port;
            awaitReady(base, training, dir.resolve("training.log"));
            HttpClient http = HttpClient.newHttpClient();
            for (String path : List.of("/", "/servizi/anagrafe", "/avvisi", "/admin/login")) {
                http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.discarding());
            }
        } finally {
            training.destroy();   // SIGTERM: the JVM exits normally and writes the archive
            training.waitFor();
        }
        return new ChildJvm(entries, Files.isRegularFile(archive) ? archive : null);
    }

    /** it.semaforo.app.Main with args, its output in log, the environment added to this one's. */
    public Process start(Map<String, String> env, Path log, String... args) throws IOException {
        return start(archive == null ? List.of() : List.of("-XX:SharedArchiveFile=" + archive), env, log, args);
    }

    private Process start(List<String> flags, Map<String, String> env, Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m"));
        command.addAll(flags);
        command.addAll(List.of("-cp", String.join(java.io.File.pathSeparator, classPath), "it.semaforo.app.Main"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return pb.start();
    }

    /** Waits for /health to answer 200, up to 60 s; fails with the server's log if it died or never answered. */
    public static void awaitReady(String base, Process server, Path log) throws Exception {
        awaitReady(base, server, log, Duration.ofSeconds(60));
    }

    /** The same for any server process of ours, up to the given wait. */
    public static void awaitReady(String base, Process server, Path log, Duration wait) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) throw new AssertionError("the server did not start: " + Files.readString(log));
            try {
                var r = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) return;
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the server did not answer /health within " + wait.toSeconds() + " s: " + Files.readString(log));
    }

    private static void pack(Path dir, Path jar) throws IOException {
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out);
             Stream<Path> files = Files.walk(dir)) {
            // directories get their entries too: scanners (Flyway's migrations) look a folder up by name
            for (Path f : (Iterable<Path>) files.filter(f -> !f.equals(dir)).sorted()::iterator) {
                String name = dir.relativize(f).toString().replace('\\', '/');
                boolean folder = Files.isDirectory(f);
                j.putNextEntry(new JarEntry(folder ? name + "/" : name));
                if (!folder) Files.copy(f, j);
                j.closeEntry();
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
