package it.semaforo.api;

import it.semaforo.http.Problem;
import it.semaforo.render.Rendered;

/**
 * An answer the client can act on: status 4xx as RFC 9457 problem details (web.Problem:
 * type, title, status, detail, and the field at fault). Every API handler throws this instead
 * of answering by hand, so that all errors have one shape, CORS headers included.
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
        return Problem.of(status, message, field);
    }
}
