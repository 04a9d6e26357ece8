package it.semaforo.export;

import com.fasterxml.jackson.databind.JsonNode;
import it.semaforo.text.JsonText;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reads a mirror's manifest as a reader of the copy would: the index (Mirror.MANIFEST), then
 * each part it names, checking that the part has the size and SHA-256 the index gives and as
 * many entries; whatever the copy is (a directory, a bucket), read through fetch.
 */
final class ManifestReader {
    interface Fetch {
        /** The bytes of a file of the copy, as stored (decoded), or an AssertionError when absent. */
        byte[] bytes(String file) throws Exception;
    }

    /** index: manifest.json; parts: each part's file by its name; files: every entry of every part. */
    record Manifest(JsonNode index, Map<String, String> parts, List<JsonNode> files) {
    }

    static Manifest read(Fetch fetch) throws Exception {
        JsonNode index = JsonText.MAPPER.readTree(fetch.bytes(Mirror.MANIFEST));
        assertEquals(Mirror.MANIFEST_FORMAT, index.get("format").asInt());
        Map<String, String> parts = new LinkedHashMap<>();
        List<JsonNode> files = new ArrayList<>();
        long total = 0;
        for (JsonNode p : index.get("parts")) {
            String path = p.get("path").asText();
            assertTrue(path.startsWith(Mirror.PARTS), path);
            byte[] bytes = fetch.bytes(path);
            assertEquals(p.get("size").asLong(), bytes.length, path);
            assertEquals(p.get("sha256").asText(), Mirror.sha256(bytes), path);
            JsonNode part = JsonText.MAPPER.readTree(bytes);
            assertEquals(p.get("part").asText(), part.get("part").asText(), path);
            assertEquals(p.get("entries").asLong(), part.get("files").size(), path);
            parts.put(p.get("part").asText(), path);
            part.get("files").forEach(files::add);
            total += p.get("entries").asLong();
        }
        assertEquals(index.get("entries").asLong(), total, "the index's count of entries");
        return new Manifest(index, parts, files);
    }

    private ManifestReader() {
    }
}
