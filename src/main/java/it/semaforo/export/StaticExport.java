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

    /** Exports every address reachable from the seeds into dir. */
    public Result export(Path dir, Collection<String> seeds) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Deque<String> todo = new ArrayDeque<>(seeds);
        Set<String> seen = new LinkedHashSet<>(seeds);
        Set<String> missing = new LinkedHashSet<>();
        int files = 0;
        long bytes = 0;
        while (!todo.isEmpty()) {
            String path = todo.pop();
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(origin + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() == 301 || r.statusCode() == 302) {
                r.headers().firstValue("Location").filter(l -> l.startsWith("/")).ifPresent(l -> {
                    if (seen.add(l)) todo.add(l);
                });
                continue;
            }
            if (r.statusCode() != 200 && r.statusCode() != 410) {
                missing.add(path + " (" + r.statusCode() + ")");
                continue;
            }
            String type = r.headers().firstValue("Content-Type").orElse("");
            Path file = dir.resolve(fileFor(path, type)).normalize();
            if (!file.startsWith(dir.normalize())) throw new IOException("refusing to write outside " + dir + ": " + path);
            Files.createDirectories(file.getParent());
            Files.write(file, r.body());
            files++;
            bytes += r.body().length;
            if (type.startsWith("text/html") || type.startsWith("text/css") || type.contains("xml")) {
                String text = new String(r.body(), StandardCharsets.UTF_8);
                for (Pattern p : new Pattern[]{LINK, CSS_URL}) {
                    Matcher m = p.matcher(text);
                    while (m.find()) {
                        String link = m.group(1).replace("&amp;", "&");
                        if (link.startsWith(baseUrl + "/")) link = link.substring(baseUrl.length());
                        if (!link.startsWith("/") || link.startsWith("//") || link.contains("?")) continue;   // other hosts; queries have no file
                        if (seen.add(link)) todo.add(link);
                    }
                }
            }
        }
        return new Result(files, bytes, missing);
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
