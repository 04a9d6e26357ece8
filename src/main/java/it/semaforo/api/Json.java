package it.semaforo.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import it.semaforo.render.Rendered;
import it.semaforo.text.JsonText;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * JSON for the API: one mapper, trees built field by field (the order and the explicit nulls
 * are part of the contract), and the one timestamp format.
 */
public final class Json {
    /** The application's one mapper (text.JsonText), here for the API's readers and writers. */
    public static final ObjectMapper MAPPER = JsonText.MAPPER;

    /**
     * Statuspage clients parse exactly this: 3 fraction digits and an offset (Z or ±HH:MM),
     * in the page's zone. ISO_OFFSET_DATE_TIME would drop zero fractions.
     */
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX");

    /** Headers of every public API answer: any website may read it, and it is never sniffed as HTML. */
    public static final Map<String, String> PUBLIC_HEADERS = Map.of(
            "Access-Control-Allow-Origin", "*",
            "Access-Control-Expose-Headers", "ETag",
            "X-Content-Type-Options", "nosniff");

    public static final String CONTENT_TYPE = "application/json; charset=utf-8";

    private Json() {
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    public static String timestamp(Instant t, ZoneId zone) {
        return t == null ? null : TIMESTAMP.format(t.atZone(zone));
    }

    public static String date(LocalDate d) {
        return d == null ? null : d.toString();
    }

    /** A string field, null when the value is null or blank. */
    public static void text(ObjectNode node, String field, String value) {
        if (value == null || value.isBlank()) node.putNull(field);
        else node.put(field, value);
    }

    public static byte[] bytes(Object tree) {
        try {
            return MAPPER.writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** A public API answer, ready for the response cache. */
    public static Rendered rendered(int status, Object tree) {
        return new Rendered(status, CONTENT_TYPE, bytes(tree), PUBLIC_HEADERS, null);
    }
}
