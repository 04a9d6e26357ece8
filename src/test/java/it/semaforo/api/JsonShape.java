package it.semaforo.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import it.semaforo.testing.TestServer;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Reading the API over HTTP and checking the shape of what comes back, field by field. */
final class JsonShape {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final Pattern TIMESTAMP = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}(Z|[+-][0-9]{2}:[0-9]{2})");
    static final Pattern ID = Pattern.compile("[0-9a-z]{12}");

    private JsonShape() {
    }

    /** A 200 JSON answer of the public API, with its CORS header, parsed. */
    static JsonNode get(TestServer server, String path) {
        HttpResponse<String> r = server.get(path);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        assertPublicJson(r, path);
        return parse(r.body());
    }

    static void assertPublicJson(HttpResponse<String> r, String path) {
        assertEquals("application/json;charset=utf-8", r.headers().firstValue("Content-Type").orElse("").replace(" ", ""), path);
        assertEquals("*", r.headers().firstValue("Access-Control-Allow-Origin").orElse(""), path + " is readable from any website");
        assertFalse(r.headers().firstValue("Set-Cookie").isPresent(), path + " sets no cookie");
    }

    /** The members of every API error, RFC 9457 problem details with the field at fault (and the earlier "error"). */
    static final java.util.List<String> PROBLEM = java.util.List.of("type", "title", "status", "detail", "field", "error");

    /** An error answer of the API: problem+json, readable from any website, with its status in the body too. */
    static JsonNode assertProblem(HttpResponse<String> r, int status, String path) {
        assertEquals(status, r.statusCode(), path + ": " + r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""), path);
        assertEquals("*", r.headers().firstValue("Access-Control-Allow-Origin").orElse(""), path + " is readable from any website");
        JsonNode e = parse(r.body());
        java.util.List<String> keys = new java.util.ArrayList<>();
        e.fieldNames().forEachRemaining(keys::add);
        assertEquals(PROBLEM, keys, path);
        assertEquals(status, e.get("status").asInt(), path);
        assertEquals("about:blank", e.get("type").asText(), path);
        assertEquals(e.get("detail").asText(), e.get("error").asText(), path);
        return e;
    }

    static JsonNode parse(String body) {
        try {
            return MAPPER.readTree(body);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    static List<String> keys(JsonNode node) {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    /**
     * Checks that the object has exactly these fields, in this order, each of its type:
     * "name:type" with type one of string, int, bool, ts, id, date, array, object, or "any";
     * a trailing "?" allows null.
     */
    static void shape(JsonNode node, String where, String... specs) {
        assertTrue(node.isObject(), where + " is an object: " + node);
        List<String> expected = new ArrayList<>();
        for (String spec : specs) expected.add(spec.substring(0, spec.indexOf(':')));
        assertEquals(expected, keys(node), where + ": fields and their order");
        for (String spec : specs) {
            String name = spec.substring(0, spec.indexOf(':'));
            String type = spec.substring(spec.indexOf(':') + 1);
            boolean nullable = type.endsWith("?");
            if (nullable) type = type.substring(0, type.length() - 1);
            JsonNode v = node.get(name);
            String at = where + "." + name + " = " + v;
            if (v.isNull()) {
                assertTrue(nullable, at + " must not be null");
                continue;
            }
            switch (type) {
                case "string" -> assertTrue(v.isTextual(), at);
                case "int" -> assertTrue(v.isIntegralNumber(), at);
                case "bool" -> assertTrue(v.isBoolean(), at);
                case "ts" -> assertTrue(v.isTextual() && TIMESTAMP.matcher(v.asText()).matches(), at + " is a timestamp with 3 fraction digits and an offset");
                case "id" -> assertTrue(v.isTextual() && ID.matcher(v.asText()).matches(), at + " is a 12-character id");
                case "date" -> assertTrue(v.isTextual() && v.asText().matches("[0-9]{4}-[0-9]{2}-[0-9]{2}"), at);
                case "array" -> assertTrue(v.isArray(), at);
                case "object" -> assertTrue(v.isObject(), at);
                case "any" -> { }
                default -> fail("unknown type " + type);
            }
        }
    }

    static List<JsonNode> list(JsonNode array) {
        assertTrue(array.isArray(), "an array: " + array);
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    static List<String> texts(JsonNode array, String field) {
        return list(array).stream().map(n -> n.get(field).asText()).toList();
    }
}
