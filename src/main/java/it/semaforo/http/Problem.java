package it.semaforo.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.jetty.http.HttpStatus;

import it.semaforo.render.Rendered;
import it.semaforo.text.JsonText;

import java.util.Map;

/**
 * The one error shape of the APIs, read and write alike, whoever raises the error (a handler,
 * the database, or Jetty before any routing): RFC 9457 problem details,
 * {@code application/problem+json}, with {@code type} about:blank (the status says it all),
 * {@code title} the status's reason phrase, {@code status}, and {@code detail} saying what went
 * wrong and what to send instead, in the site's language. Two extension members: {@code field},
 * the parameter or JSON field at fault (null when none), and {@code error}, the same text as
 * {@code detail}, for clients written against the earlier {"error", "field"} shape.
 */
public final class Problem {
    public static final String CONTENT_TYPE = "application/problem+json";
    /** Any website may read an API error, and it is never sniffed as HTML. */
    public static final Map<String, String> HEADERS = Map.of(
            "Access-Control-Allow-Origin", "*",
            "X-Content-Type-Options", "nosniff");
    private static final ObjectMapper JSON = JsonText.MAPPER;

    private Problem() {
    }

    public static Rendered of(int status, String detail, String field) {
        return new Rendered(status, CONTENT_TYPE, bytes(status, detail, field), HEADERS, null);
    }

    public static byte[] bytes(int status, String detail, String field) {
        ObjectNode body = JSON.createObjectNode();
        body.put("type", "about:blank");
        body.put("title", HttpStatus.getMessage(status));
        body.put("status", status);
        body.put("detail", detail);
        if (field == null || field.isBlank()) body.putNull("field");
        else body.put("field", field);
        body.put("error", detail);
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a problem", e);
        }
    }
}
