package it.semaforo.export;

import com.fasterxml.jackson.databind.JsonNode;
import it.semaforo.render.Rendered;
import it.semaforo.testing.ChildJvm;
import it.semaforo.testing.S3Store;
import it.semaforo.testing.Scratch;
import it.semaforo.text.JsonText;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real server in its own JVM, mirroring into a real S3 server, killed with SIGKILL while
 * its first pass is under way: after the restart the bucket converges to the live site, each
 * object byte for byte what the server answers at its address (HTML apart from the banner).
 */
class MirrorCrashTest {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void aServerKilledMidSyncConvergesAfterItsRestart() throws Exception {
        Path data = Files.createTempDirectory("semaforo-mirror-crash");
        int port = Scratch.freePort();
        String base = "http://127.0.0.1:" + port;
        Map<String, String> env = new HashMap<>(Map.of("SEMAFORO_DATA_DIR", data.toString(), "SEMAFORO_PORT", String.valueOf(port),
                "SEMAFORO_HOST", "127.0.0.1", "SEMAFORO_DEMO_ENABLED", "true", "SEMAFORO_BASE_URL", "http://127.0.0.1"));
        try (S3Store s3 = S3Store.start()) {
            env.putAll(s3.environment());
            Process first = process(env, data.resolve("first.log"));
            int before;
            try {
                ChildJvm.awaitReady(base, first, data.resolve("first.log"));
                // killed once the first pass has written some objects, and before its manifest
                // up to a minute on a busy machine; the count is the listing that ended the wait (a
                // later listing may differ while the store moves the objects being written into place)
                before = s3.keys().size();
                for (int i = 0; i < 12000 && before < 10; i++) {
                    Thread.sleep(5);
                    before = s3.keys().size();
                }
                assertFalse(s3.keys().contains(Mirror.MANIFEST), "killed mid-sync (" + before + " objects)");
            } finally {
                first.destroyForcibly();   // SIGKILL: no shutdown hook runs
                first.waitFor();
            }
            assertTrue(before >= 10, "objects when killed: " + before);

            Process second = process(env, data.resolve("second.log"));
            try {
                ChildJvm.awaitReady(base, second, data.resolve("second.log"));
                JsonNode mirror = null;
                for (int i = 0; i < 1200; i++) {
                    JsonNode m = JsonText.MAPPER.readTree(get(base + "/health").body()).get("mirror").get(0);
                    if (m.get("state").asText().equals("ok")) {
                        mirror = m;
                        break;
                    }
                    Thread.sleep(50);
                }
                assertTrue(mirror != null, "the mirror converged: " + Files.readString(data.resolve("second.log")));
                ManifestReader.Manifest manifest = ManifestReader.read(key -> S3Store.decoded(s3.get(key).orElseThrow()));
                Set<String> listed = new HashSet<>();
                List<String> compared = new ArrayList<>();
                for (JsonNode f : manifest.files()) {
                    String key = f.get("path").asText();
                    listed.add(key);
                    byte[] body = S3Store.decoded(s3.get(key).orElseThrow());
                    assertEquals(f.get("sha256").asText(), Mirror.sha256(body), key);
                    HttpResponse<byte[]> live = http.send(HttpRequest.newBuilder(URI.create(base + f.get("address").asText())).build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    assertTrue(live.statusCode() == 200 || live.statusCode() == 410, key + " answers " + live.statusCode());
                    String html = new String(body, StandardCharsets.UTF_8);
                    if (f.get("contentType").asText().startsWith("text/html")) {
                        assertEquals(new String(live.body(), StandardCharsets.UTF_8), Mirror.withoutBanner(html), key);
                        if (html.contains(Rendered.STALE_MARK)) assertTrue(html.contains(Rendered.STATIC_COPY_START), key);
                    } else {
                        assertArrayEquals(live.body(), body, key);
                    }
                    compared.add(key);
                }
                Set<String> keys = new HashSet<>(s3.keys());
                keys.remove(Mirror.MANIFEST);
                keys.removeIf(k -> k.startsWith(Mirror.PARTS));
                assertEquals(keys, listed, "the bucket holds what the manifest lists, nothing else");
                assertTrue(compared.size() > 100, "objects compared: " + compared.size());
            } finally {
                second.destroyForcibly();
                second.waitFor();
            }
        } finally {
            Scratch.delete(data);
        }
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Process process(Map<String, String> env, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), "it.semaforo.app.Main", "serve"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return pb.start();
    }
}
