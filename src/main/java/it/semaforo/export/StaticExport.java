package it.semaforo.export;

import io.javalin.http.HttpResponseException;
import it.semaforo.render.PublicAddress;
import it.semaforo.render.Rendered;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes the whole public site as files that any static host serves with the same URLs. Each
 * output lists its public addresses (web.PublicOutput) with the renderer its route calls, so
 * the export renders in-process on every core, with no HTTP, gzip or ETag in between, and
 * writes the very bytes a resident gets. "/x/y" becomes "x/y/index.html" for HTML pages (a
 * static host answers /x/y from it, at most through a redirect to /x/y/); anything with an
 * extension keeps its name; a 410 is kept under GONE. A redirect writes no file: its target
 * must be exported itself.
 */
public final class StaticExport {
    private final int threads;

    /**
     * One thread a core, up to the database's four readers: creating directories and files is
     * the kernel's CPU, not waiting (perf), so a second thread a core only contends with the
     * first and with the JIT compiler (docs/performance.md, "The seventh pass": 8 % faster).
     */
    public StaticExport() {
        this(Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    public StaticExport(int threads) {
        this.threads = Math.max(1, threads);
    }

    /** missing: the addresses that did not answer 200 or 410 (or whose redirect leads nowhere exported). */
    public record Result(int files, long bytes, Set<String> missing) {
    }

    public Result export(Path dir, List<PublicAddress> addresses) throws IOException, InterruptedException {
        Path root = dir.toAbsolutePath().normalize();
        Files.createDirectories(root);
        Set<String> written = ConcurrentHashMap.newKeySet();
        Set<String> missing = ConcurrentHashMap.newKeySet();
        Map<String, String> redirects = new ConcurrentHashMap<>();
        // one mkdir per directory, and no write before its directory exists (computeIfAbsent waits)
        Map<Path, Boolean> directories = new ConcurrentHashMap<>();
        AtomicLong bytes = new AtomicLong();
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            pool.submit(() -> addresses.parallelStream().forEach(a -> {
                Outcome outcome = render(a);
                if (outcome instanceof Outcome.Redirect r) {
                    redirects.put(a.path(), r.location());
                    return;
                }
                if (outcome instanceof Outcome.Missing m) {
                    missing.add(a.path() + " (" + m.status() + ")");
                    return;
                }
                Rendered r = ((Outcome.File) outcome).rendered();
                Path file = root.resolve(fileFor(a.path(), r.contentType(), r.status())).normalize();
                if (!file.startsWith(root)) throw new IllegalStateException("refusing to write outside " + root + ": " + a.path());
                directories.computeIfAbsent(file.getParent(), StaticExport::createDirectories);
                try {
                    Files.write(file, r.body());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                written.add(a.path());
                bytes.addAndGet(r.body().length);
            })).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UncheckedIOException io) throw io.getCause();
            throw new IOException("export failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdown();
        }
        redirects.forEach((from, to) -> {
            if (!written.contains(to)) missing.add(from + " (redirects to " + to + ", not exported)");
        });
        return new Result(written.size(), bytes.get(), new TreeSet<>(missing));
    }

    /** What one address gives a static copy: a file, a redirect (no file: its target is one), or nothing. */
    sealed interface Outcome {
        record File(Rendered rendered) implements Outcome {
        }

        record Redirect(String location) implements Outcome {
        }

        record Missing(int status) implements Outcome {
        }
    }

    /** Renders an address as the export and the mirror both write it: 200 and 410 (a withdrawn avviso's trace) are files. */
    static Outcome render(PublicAddress a) {
        Rendered r;
        try {
            r = a.render().get();
        } catch (HttpResponseException e) {   // what the route answers as an error (NotFoundResponse)
            return new Outcome.Missing(e.getStatus());
        }
        if (r.status() == 301 || r.status() == 302) return new Outcome.Redirect(r.headers().getOrDefault("Location", ""));
        if (r.status() != 200 && r.status() != 410) return new Outcome.Missing(r.status());
        return new Outcome.File(r);
    }

    private static Boolean createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
            return Boolean.TRUE;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Where an answer of 410 (a withdrawn avviso's trace) is kept: under this directory, at the
     * file it had while it answered 200 (_gone/avvisi/12-x/index.html). A static host serves
     * the address as missing, nginx (config/nginx-semaforo.conf) with the page and 410.
     */
    public static final String GONE = "_gone/";

    /** The file that serves a path answering status on a static host: fileFor, under GONE for a 410. */
    static String fileFor(String path, String contentType, int status) {
        return status == 410 ? GONE + fileFor(path, contentType) : fileFor(path, contentType);
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
