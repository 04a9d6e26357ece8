package it.semaforo.web;

import java.nio.charset.StandardCharsets;

/** A response as bytes: what every output renders to, and what a cache can keep per URL. */
public record Rendered(int status, String contentType, byte[] body) {
    public static final String HTML = "text/html; charset=utf-8";

    public static Rendered html(int status, byte[] body) {
        return new Rendered(status, HTML, body);
    }

    public static Rendered json(int status, String body) {
        return new Rendered(status, "application/json; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }
}
