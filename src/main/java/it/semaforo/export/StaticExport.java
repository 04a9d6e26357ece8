package it.semaforo.export;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes the whole public site as files that any static host serves with the same URLs: it
 * asks the running server for every public address (the very bytes residents get, from the
 * same renderers and cache) and follows every same-site link, feed and asset it finds.
 * "/x/y" becomes "x/y/index.html" for HTML pages (a static host answers /x/y from it, at most
 * through a redirect to /x/y/); anything with an extension keeps its name.
 */
public final class StaticExport {
    private static final Pattern LINK = Pattern.compile("(?:href|src)=\"([^\"#]*)[\"#]");
    private static final Pattern CSS_URL = Pattern.compile("url\\(\"?'?([^)\"']+)\"?'?\\)");

    private final String origin;
    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * origin: the address of the running server, e.g. http://127.0.0.1:7070; baseUrl: its
     * public address, which absolute links (feeds, autodiscovery) start with.
     */
    public StaticExport(String origin, String baseUrl) {
        this.origin = origin;
        this.baseUrl = baseUrl;
    }

    public record Result(int files, long bytes, Set<String> missing) {
    }

    /**
     * Exports every address reachable from the seeds into dir, several requests at a time
     * (the server renders on every core while files are written).
     */
    public Result export(Path dir, Collection<String> seeds) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Set<String> missing = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.atomic.AtomicInteger files = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicLong bytes = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicReference<Exception> failure = new java.util.concurrent.atomic.AtomicReference<>();
        // addresses asked for and not answered yet; the export ends when none is left
        java.util.concurrent.atomic.AtomicInteger pending = new java.util.concurrent.atomic.AtomicInteger(1);
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.ExecutorService workers = java.util.concurrent.Executors.newFixedThreadPool(
                Math.max(4, 3 * Runtime.getRuntime().availableProcessors()));
        java.util.function.Consumer<String> enqueue = new java.util.function.Consumer<>() {
            @Override
            public void accept(String path) {
                if (!seen.add(path) || failure.get() != null) return;
                pending.incrementAndGet();
                workers.execute(() -> {
                    try {
                        fetch(dir, path, this, missing, files, bytes);
                    } catch (Exception e) {
                        failure.compareAndSet(null, e);
                    } finally {
                        if (pending.decrementAndGet() == 0) done.complete(null);
                    }
                });
            }
        };
        seeds.forEach(enqueue);
        if (pending.decrementAndGet() == 0) done.complete(null);
        try {
            done.get();
        } catch (java.util.concurrent.ExecutionException impossible) {
            throw new IllegalStateException(impossible);
        }
        workers.shutdown();
        Exception e = failure.get();
        if (e instanceof IOException io) throw io;
        if (e instanceof InterruptedException ie) throw ie;
        if (e != null) throw new IOException("export failed: " + e.getMessage(), e);
        return new Result(files.get(), bytes.get(), new java.util.TreeSet<>(missing));
    }

    private void fetch(Path dir, String path, java.util.function.Consumer<String> enqueue, Set<String> missing,
                       java.util.concurrent.atomic.AtomicInteger files, java.util.concurrent.atomic.AtomicLong bytes)
            throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(origin + path)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() == 301 || r.statusCode() == 302) {
            r.headers().firstValue("Location").filter(l -> l.startsWith("/")).ifPresent(enqueue);
            return;
        }
        if (r.statusCode() != 200 && r.statusCode() != 410) {
            missing.add(path + " (" + r.statusCode() + ")");
            return;
        }
        String type = r.headers().firstValue("Content-Type").orElse("");
        Path file = dir.resolve(fileFor(path, type)).normalize();
        if (!file.startsWith(dir.normalize())) throw new IOException("refusing to write outside " + dir + ": " + path);
        Files.createDirectories(file.getParent());
        Files.write(file, r.body());
        files.incrementAndGet();
        bytes.addAndGet(r.body().length);
        if (type.startsWith("text/html") || type.startsWith("text/css") || type.contains("xml")) {
            String text = new String(r.body(), StandardCharsets.UTF_8);
            for (Pattern p : new Pattern[]{LINK, CSS_URL}) {
                Matcher m = p.matcher(text);
                while (m.find()) {
                    String link = m.group(1).replace("&amp;", "&");
                    if (link.startsWith(baseUrl + "/")) link = link.substring(baseUrl.length());
                    if (!link.startsWith("/") || link.startsWith("//") || link.contains("?")) continue;   // other hosts; queries have no file
                    enqueue.accept(link);
                }
            }
        }
    }

    /** The file that serves a path on a static host. */
    static String fileFor(String path, String contentType) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        String last = p.substring(p.lastIndexOf('/') + 1);
        boolean html = contentType.startsWith("text/html");
        if (p.isEmpty()) return "index.html";
        if (html && !last.endsWith(".html")) return (p.endsWith("/") ? p : p + "/") + "index.html";
        return p;
    }
}
