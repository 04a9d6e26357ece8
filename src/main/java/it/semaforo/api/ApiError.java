package it.semaforo.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import it.semaforo.render.Rendered;

/**
 * An answer the client can act on: status 4xx and {"error": message, "field": name or null}.
 * Every API handler (the write endpoints to come included) throws this instead of answering
 * by hand, so that all errors have one shape, CORS headers included.
 */
public class ApiError extends RuntimeException {
    private final int status;
    private final String field;

    public ApiError(int status, String message, String field) {
        super(message);
        if (status < 400 || status > 499) throw new IllegalArgumentException("an ApiError is a 4xx answer");
        this.status = status;
        this.field = field;
    }

    public static ApiError badRequest(String message, String field) {
        return new ApiError(400, message, field);
    }

    public static ApiError notFound(String message) {
        return new ApiError(404, message, null);
    }

    public int status() {
        return status;
    }

    public String field() {
        return field;
    }

    public Rendered rendered() {
        return rendered(status, getMessage(), field);
    }

    public static Rendered rendered(int status, String message, String field) {
        ObjectNode body = Json.object();
        body.put("error", message);
        Json.text(body, "field", field);
        return Json.rendered(status, body);
    }
}
