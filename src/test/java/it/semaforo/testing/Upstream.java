package it.semaforo.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An upstream on a free loopback port, as a provider's status page or feed is to Semaforo: its
 * answers set by the test (a body with an ETag that answers 304 to If-None-Match, or a handler
 * of its own for hostile ones), each request's conditional headers kept for the test to read.
 */
public final class Upstream implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-upstream");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, HttpHandler> routes = new ConcurrentHashMap<>();
    /** Every request: its path and its If-None-Match / If-Modified-Since (empty when absent). */
    public final List<String[]> requests = new CopyOnWriteArrayList<>();

    private Upstream() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setExecutor(threads);
        server.createContext("/", exchange -> {
            requests.add(new String[]{exchange.getRequestURI().getPath(),
                    String.valueOf(exchange.getRequestHeaders().getFirst("If-None-Match")),
                    String.valueOf(exchange.getRequestHeaders().getFirst("If-Modified-Since"))});
            HttpHandler h = routes.get(exchange.getRequestURI().getPath());
            try {
                if (h == null) send(exchange, 404, "text/plain", "not here");
                else h.handle(exchange);
            } catch (IOException e) {
                // the client went away (a timeout, a size cap): what hostile upstreams are for
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    public static Upstream start() {
        try {
            return new Upstream();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Serves body at path with an ETag of its content; a request naming that ETag gets 304. */
    public void serve(String path, String contentType, String body) {
        String etag = "\"" + Integer.toHexString(body.hashCode()) + "\"";
        routes.put(path, exchange -> {
            if (etag.equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
                exchange.getResponseHeaders().set("ETag", etag);
                exchange.sendResponseHeaders(304, -1);
                return;
            }
            exchange.getResponseHeaders().set("ETag", etag);
            exchange.getResponseHeaders().set("Last-Modified", "Mon, 07 Dec 2026 08:00:00 GMT");
            send(exchange, 200, contentType, body);
        });
    }

    public void handle(String path, HttpHandler handler) {
        routes.put(path, handler);
    }

    /** How many requests reached path, and how many of them carried an If-None-Match. */
    public long count(String path) {
        return requests.stream().filter(r -> r[0].equals(path)).count();
    }

    public long conditional(String path) {
        return requests.stream().filter(r -> r[0].equals(path) && !r[1].equals("null")).count();
    }

    public static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
