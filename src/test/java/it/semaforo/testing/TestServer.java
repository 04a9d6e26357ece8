package it.semaforo.testing;

import it.semaforo.app.Config;
import it.semaforo.app.Semaforo;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The real server on a free loopback port, with a real SQLite file in a temporary directory.
 *
 * <p>One server for a test class is a static field:
 * <pre>{@code
 * @RegisterExtension
 * static final TestServer server = TestServer.demo(clock);
 * }</pre>
 * It starts before the class's own {@code @BeforeAll} methods and stops, its directory deleted,
 * after its {@code @AfterAll} ones. The field is built when the class loads: declare what it
 * takes (the clock, its instant) above it. A short-lived server inside a test is
 * {@code try (TestServer s = TestServer.start(clock, demo, settings))}.
 */
public final class TestServer implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
    private final MutableClock clock;
    private final boolean demo;
    private final Map<String, String> settings;
    private final HttpClient http = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private Semaforo app;
    private Path dataDir;

    private TestServer(MutableClock clock, boolean demo, Map<String, String> settings) {
        this.clock = clock;
        this.demo = demo;
        this.settings = Map.copyOf(settings);
    }

    /** The demo comune with default settings, started when the class's tests begin. */
    public static TestServer demo(MutableClock clock) {
        return demo(clock, Map.of());
    }

    /** The demo comune, started when the class's tests begin. */
    public static TestServer demo(MutableClock clock, Map<String, String> settings) {
        return new TestServer(clock, true, settings);
    }

    /** A comune with no services and no avvisi (demo.enabled=false), started when the class's tests begin. */
    public static TestServer empty(MutableClock clock, Map<String, String> settings) {
        return new TestServer(clock, false, settings);
    }

    /** A server started now, for a try-with-resources around a short-lived one. */
    public static TestServer start(MutableClock clock, boolean demo, Map<String, String> settings) {
        TestServer server = new TestServer(clock, demo, settings);
        server.startNow();
        return server;
    }

    private void startNow() {
        if (app != null) throw new IllegalStateException("TestServer already started");
        startIn(Scratch.tempDir("semaforo-test"));
    }

    /**
     * Stops the server and starts a new one on the same data directory (the clock stays where
     * the test put it): what a restart, or a crash's aftermath, looks like from outside.
     */
    public void restart() {
        if (app == null) throw notStarted();
        Path dir = dataDir;
        app.close();
        app = null;
        startIn(dir);
    }

    private void startIn(Path dir) {
        Map<String, String> all = new HashMap<>(Map.of(
                "port", "0", "host", "127.0.0.1", "data.dir", dir.toString(),
                "demo.enabled", String.valueOf(demo), "base.url", "https://stato.comune.example.it",
                // the tests sign in with a password alone unless they test the second factor (SecondFactorTest)
                "admin.second.factor.roles", ""));
        all.putAll(settings);
        try {
            app = Semaforo.start(Config.load(Map.of()).with(all), clock);
        } catch (RuntimeException | Error e) {
            Scratch.delete(dir);
            throw e;
        }
        dataDir = dir;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        startNow();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    public Semaforo app() {
        if (app == null) throw notStarted();
        return app;
    }

    public Path dataDir() {
        if (dataDir == null) throw notStarted();
        return dataDir;
    }

    /** Known from construction, so usable before the server starts (to set the time it starts at, say). */
    public MutableClock clock() {
        return clock;
    }

    private static IllegalStateException notStarted() {
        return new IllegalStateException("TestServer not started: register it with @RegisterExtension on a static field "
                + "and use it from @BeforeAll or a test, or start one with TestServer.start(...)");
    }

    public String url(String path) {
        return "http://127.0.0.1:" + app().port() + path;
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

    /** Stops the server and deletes its directory; nothing to do if it never started (a failed beforeAll, say). */
    @Override
    public void close() {
        if (app == null) return;
        try {
            app.close();
        } finally {
            Scratch.delete(dataDir);
            app = null;
            dataDir = null;
        }
    }
}
