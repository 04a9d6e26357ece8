package it.semaforo.signal.poll;

import it.semaforo.net.PrivateAddresses;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.util.Timeout;

import javax.net.ssl.SSLException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * The poller's one HTTP client (Apache HttpClient 5): a conditional GET with a connect timeout,
 * a total deadline that covers the body too (a slow drip is cut), a size cap (read no further),
 * and redirects followed by hand, at most five. The host of each request is resolved once, by
 * our own resolver, which refuses the whole answer if any address is loopback, private or
 * link-local (net.PrivateAddresses; unless signals.allow.private is set): the client connects
 * only to the addresses that resolver checked, so a DNS answer that changes between the check
 * and the connection (DNS rebinding) cannot lead it inside, and every redirect is checked the
 * same way, when it is connected to. Nothing here runs on a thread that answers residents.
 */
public final class Fetcher implements AutoCloseable {
    private static final int MAX_REDIRECTS = 5;

    private final PollSettings settings;
    private final Predicate<InetAddress> refused;
    private final Lookup lookup;
    /**
     * Built at the first request: a server without sources never loads the client and its TLS
     * set-up (a few hundred classes kept on the heap for nothing).
     */
    private CloseableHttpClient http;
    private boolean closed;
    /** Cuts a request at its deadline, wherever it is (connecting, waiting, reading a slow body). */
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "semaforo-signals-deadline");
        t.setDaemon(true);
        return t;
    });

    public Fetcher(PollSettings settings) {
        this(settings, settings.allowPrivate() ? a -> false : PrivateAddresses::isPrivate);
    }

    /** With another rule for the addresses refused (a test refusing private ranges but not its loopback upstream). */
    Fetcher(PollSettings settings, Predicate<InetAddress> refused) {
        this(settings, refused, InetAddress::getAllByName);
    }

    /** A host's addresses, as the system's resolver answers (a test answers as a rebinding DNS server would). */
    @FunctionalInterface
    interface Lookup {
        InetAddress[] all(String host) throws UnknownHostException;
    }

    Fetcher(PollSettings settings, Predicate<InetAddress> refused, Lookup lookup) {
        this.settings = settings;
        this.refused = refused;
        this.lookup = lookup;
    }

    private synchronized CloseableHttpClient client() {
        if (closed) throw new IllegalStateException("the fetcher is closed");
        if (http == null) http = build(settings, refused, lookup);
        return http;
    }

    private static CloseableHttpClient build(PollSettings settings, Predicate<InetAddress> refused, Lookup lookup) {
        Timeout connect = Timeout.of(settings.connectTimeout());
        return HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(new CheckedResolver(refused, lookup))
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(connect)
                                .setTimeToLive(Timeout.ofMinutes(5)).build())
                        .setMaxConnTotal(Math.max(4, settings.workers() * 2)).setMaxConnPerRoute(Math.max(2, settings.workers()))
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setRedirectsEnabled(false)
                        .setConnectionRequestTimeout(connect).build())
                .disableRedirectHandling().disableAutomaticRetries().disableCookieManagement().disableAuthCaching()
                .setUserAgent(settings.userAgent())
                .build();
    }

    /**
     * Resolves a host once and hands the client only addresses it checked: one refused address
     * refuses them all (a name that also points inside is not one to follow).
     */
    private static final class CheckedResolver implements DnsResolver {
        private final Predicate<InetAddress> refused;
        private final Lookup lookup;

        CheckedResolver(Predicate<InetAddress> refused, Lookup lookup) {
            this.refused = refused;
            this.lookup = lookup;
        }

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            InetAddress[] all = lookup.all(host);
            for (InetAddress a : all) if (refused.test(a)) throw new Refused(host, a);
            return all;
        }

        @Override
        public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
            List<InetSocketAddress> out = new ArrayList<>();
            for (InetAddress a : resolve(host)) out.add(new InetSocketAddress(a, port));
            return out;
        }

        @Override
        public String resolveCanonicalHostname(String host) throws UnknownHostException {
            return SystemDefaultDnsResolver.INSTANCE.resolveCanonicalHostname(host);
        }
    }

    /** A host that resolves to an address we do not ask. */
    private static final class Refused extends UnknownHostException {
        final String host;
        final String address;

        Refused(String host, InetAddress a) {
            super(host + " -> " + a.getHostAddress());
            this.host = host;
            this.address = a.getHostAddress();
        }
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
        URI uri = check(url);
        CloseableHttpClient http;
        try {
            http = client();   // built before the deadline starts, as when it was built at start
        } catch (RuntimeException e) {
            throw failure(e, timeout, uri);   // closed: as a request on a closed client failed
        }
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        for (int hop = 0; ; hop++) {
            HttpGet get = new HttpGet(uri);
            get.setHeader("Accept", accept);
            if (hop == 0 && etag != null && !etag.isEmpty()) get.setHeader("If-None-Match", etag);
            if (hop == 0 && lastModified != null && !lastModified.isEmpty()) get.setHeader("If-Modified-Since", lastModified);
            long left = deadline - System.nanoTime();
            if (left <= 0) throw new FetchFailure("signals.error.timeout", timeout.toSeconds());
            get.setConfig(RequestConfig.custom().setRedirectsEnabled(false)
                    .setConnectionRequestTimeout(Timeout.of(settings.connectTimeout()))
                    .setResponseTimeout(Timeout.of(Duration.ofNanos(left))).build());
            AtomicBoolean expired = new AtomicBoolean();
            ScheduledFuture<?> cut = deadlines.schedule(() -> {
                expired.set(true);
                get.cancel();
            }, left, TimeUnit.NANOSECONDS);
            URI here = uri;
            Hop h;
            try {
                h = http.execute(get, r -> read(r, get, here, start));
            } catch (IOException | RuntimeException e) {
                if (expired.get()) throw new FetchFailure("signals.error.timeout", timeout.toSeconds());
                throw failure(e, timeout, here);
            } finally {
                cut.cancel(false);
            }
            if (expired.get()) throw new FetchFailure("signals.error.timeout", timeout.toSeconds());
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
     * checked when it is connected to (CheckedResolver), not here: one resolution, the one used.
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
        List<Throwable> causes = new ArrayList<>();
        for (Throwable c = t; c != null && causes.size() < 10; c = c.getCause()) {
            causes.add(c);
            causes.addAll(List.of(c.getSuppressed()));
        }
        for (Throwable c : causes) {
            if (c instanceof Refused r) return new FetchFailure("signals.error.private", r.host, r.address);
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
        deadlines.shutdownNow();
        CloseableHttpClient built;
        synchronized (this) {
            closed = true;
            built = http;
        }
        if (built == null) return;
        try {
            built.close();
        } catch (IOException e) {
            // closing: nothing left to tell
        }
    }
}
