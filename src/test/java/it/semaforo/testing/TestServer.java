package it.semaforo.testing;

import it.semaforo.app.Config;
import it.semaforo.app.Semaforo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/** The real server on a free loopback port, with a real SQLite file in a temporary directory. */
public final class TestServer implements AutoCloseable {
    public final MutableClock clock;
    public final Semaforo app;
    public final Path dataDir;
    private final HttpClient http = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private TestServer(MutableClock clock, Semaforo app, Path dataDir) {
        this.clock = clock;
        this.app = app;
        this.dataDir = dataDir;
    }

    public static TestServer start(MutableClock clock, boolean demo, Map<String, String> settings) {
        try {
            Path dir = Files.createTempDirectory("semaforo-test");
            Map<String, String> all = new HashMap<>(Map.of(
                    "port", "0", "host", "127.0.0.1", "data.dir", dir.toString(),
                    "demo.enabled", String.valueOf(demo), "base.url", "https://stato.comune.example.it"));
            all.putAll(settings);
            Config config = Config.load(Map.of()).with(all);
            return new TestServer(clock, Semaforo.start(config, clock), dir);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String url(String path) {
        return "http://127.0.0.1:" + app.port() + path;
    }

    public HttpResponse<String> get(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(10));
        if (headers.length > 0) b.headers(headers);
        return send(b.GET().build());
    }

    public HttpResponse<byte[]> getBytes(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url(path))).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        app.close();
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}
