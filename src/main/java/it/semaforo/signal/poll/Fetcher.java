package it.semaforo.signal.poll;

import it.semaforo.net.GuardedHttp;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;

import javax.net.ssl.SSLException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The poller's requests, on the one guarded client (net.GuardedHttp, Apache HttpClient 5): a
 * conditional GET with a connect timeout, a total deadline that covers the body too (a slow
 * drip is cut), a size cap (read no further), and redirects followed by hand, at most five.
 * The host of each request is resolved once, by the guarded client's resolver, which refuses
 * the whole answer if any address is loopback, private or link-local (net.PrivateAddresses;
 * unless signals.allow.private is set), and the client connects only to the addresses it
 * checked (DNS rebinding); every redirect is checked the same way, when it is connected to.
 * Nothing here runs on a thread that answers residents.
 */
public final class Fetcher implements AutoCloseable {
    private static final int MAX_REDIRECTS = 5;

    private final GuardedHttp http;
    private final PollSettings settings;

    public Fetcher(PollSettings settings) {
        this(settings, GuardedHttp.refusing(settings.allowPrivate()));
    }

    /** With another rule for the addresses refused (a test refusing private ranges but not its loopback upstream). */
    Fetcher(PollSettings settings, Predicate<InetAddress> refused) {
        this(settings, refused, GuardedHttp.Lookup.SYSTEM);
    }

    Fetcher(PollSettings settings, Predicate<InetAddress> refused, GuardedHttp.Lookup lookup) {
        this.settings = settings;
        this.http = new GuardedHttp(refused, lookup, settings.connectTimeout(), Math.max(4, settings.workers() * 2),
                Math.max(2, settings.workers()), settings.userAgent(), "semaforo-signals");
    }

    /** An answer: 304 (nothing new, body empty) or a 2xx/4xx/5xx with its body, read within the cap. */
    public record Answer(int status, byte[] body, String etag, String lastModified, URI uri, long millis) {
        public boolean notModified() {
            return status == 304;
        }
    }

    /** What one hop answered: a redirect's Location, or the answer. */
    private record Hop(int status, String location, Answer answer) {
    }

    /**
     * GETs url within timeout (connect, redirects and body together). etag and lastModified,
     * when set, make it conditional. Any status is an answer; failing to get one is a FetchFailure.
     */
    public Answer get(String url, Duration timeout, String etag, String lastModified, String accept) throws FetchFailure {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        URI uri = check(url);
        for (int hop = 0; ; hop++) {
            HttpGet get = new HttpGet(uri);
            get.setHeader("Accept", accept);
            if (hop == 0 && etag != null && !etag.isEmpty()) get.setHeader("If-None-Match", etag);
            if (hop == 0 && lastModified != null && !lastModified.isEmpty()) get.setHeader("If-Modified-Since", lastModified);
            long left = deadline - System.nanoTime();
            if (left <= 0) throw new FetchFailure("signals.error.timeout", timeout.toSeconds());
            URI here = uri;
            Hop h;
            try {
                h = http.execute(get, Duration.ofNanos(left), r -> read(r, get, here, start));
            } catch (GuardedHttp.DeadlinePassed e) {
                throw new FetchFailure("signals.error.timeout", timeout.toSeconds());
            } catch (IOException | RuntimeException e) {
                throw failure(e, timeout, here);
            }
            if (h.answer() != null) return h.answer();
            if (h.location() == null) throw new FetchFailure("signals.error.status", h.status());
            if (hop + 1 > MAX_REDIRECTS) throw new FetchFailure("signals.error.redirects", MAX_REDIRECTS);
            URI next;
            try {
                next = uri.resolve(h.location().strip());
            } catch (IllegalArgumentException e) {
                throw new FetchFailure("signals.error.address", h.location());
            }
            uri = check(next.toString());
        }
    }

    private Hop read(ClassicHttpResponse r, HttpGet get, URI uri, long start) throws IOException {
        int status = r.getCode();
        if (status >= 300 && status < 400 && status != 304) {
            Header location = r.getFirstHeader("Location");
            return new Hop(status, location == null ? null : location.getValue(), null);
        }
        byte[] body = capped(r.getEntity(), get);
        return new Hop(status, null, new Answer(status, body, value(r, "ETag"), value(r, "Last-Modified"), uri,
                (System.nanoTime() - start) / 1_000_000));
    }

    private static String value(ClassicHttpResponse r, String name) {
        Header h = r.getFirstHeader(name);
        return h == null ? null : h.getValue();
    }

    /**
     * The body up to the cap; past it (or a larger Content-Length) it stops reading and fails,
     * aborting the connection first (closing the stream would otherwise read the rest to drain it).
     */
    private byte[] capped(HttpEntity entity, HttpGet get) throws IOException {
        if (entity == null) return new byte[0];
        long cap = settings.maxBytes();
        if (entity.getContentLength() > cap) {
            get.cancel();
            throw new TooLarge();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = entity.getContent()) {
            byte[] buf = new byte[16 * 1024];
            for (int n; (n = in.read(buf)) >= 0; ) {
                if (out.size() + (long) n > cap) {
                    get.cancel();
                    throw new TooLarge();
                }
                out.write(buf, 0, n);
            }
        }
        return out.toByteArray();
    }

    /** Past the size cap: the connection is dropped, not drained. */
    private static final class TooLarge extends IOException {
    }

    /**
     * An address the poller may ask: http or https, a host, no user name. Its DNS answer is
     * checked when it is connected to (net.GuardedHttp), not here: one resolution, the one used.
     */
    public URI check(String url) throws FetchFailure {
        URI uri;
        try {
            uri = new URI(url);
        } catch (Exception e) {
            throw new FetchFailure("signals.error.address", url);
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new FetchFailure("signals.error.scheme", url);
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null) throw new FetchFailure("signals.error.address", url);
        return uri;
    }

    private FetchFailure failure(Throwable t, Duration timeout, URI uri) {
        GuardedHttp.Refused refused = GuardedHttp.refusedIn(t);
        if (refused != null) return new FetchFailure("signals.error.private", refused.host(), refused.address());
        List<Throwable> causes = new ArrayList<>();
        for (Throwable c = t; c != null && causes.size() < 10; c = c.getCause()) {
            causes.add(c);
            causes.addAll(List.of(c.getSuppressed()));
        }
        for (Throwable c : causes) {
            if (c instanceof TooLarge) return new FetchFailure("signals.error.too.large", settings.maxBytes() / 1024);
            if (c instanceof ConnectTimeoutException) return new FetchFailure("signals.error.connect.timeout");
            if (c instanceof SocketTimeoutException) return new FetchFailure("signals.error.timeout", timeout.toSeconds());
            if (c instanceof SSLException) return new FetchFailure("signals.error.tls", String.valueOf(c.getMessage()));
            if (c instanceof HttpHostConnectException || c instanceof java.net.ConnectException) {
                return new FetchFailure("signals.error.connect");
            }
            if (c instanceof UnknownHostException) return new FetchFailure("signals.error.host", uri.getHost());
        }
        return new FetchFailure("signals.error.io", String.valueOf(t.getMessage()));
    }

    @Override
    public void close() {
        http.close();
    }
}
