package it.semaforo.signal.poll;

import javax.net.ssl.SSLException;
import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * The poller's one HTTP client (java.net.http): a conditional GET with a connect timeout, a
 * total deadline that covers the body too (a slow drip is cut), a size cap (read no further),
 * and redirects followed by hand, at most five, each checked like the first address: loopback,
 * private and link-local addresses are refused unless signals.allow.private is set. Nothing
 * here runs on a thread that answers residents.
 */
public final class Fetcher {
    private static final int MAX_REDIRECTS = 5;

    private final HttpClient http;
    private final PollSettings settings;
    /** The addresses never asked: private ones unless signals.allow.private. */
    private final Predicate<InetAddress> refused;

    public Fetcher(PollSettings settings) {
        this(settings, settings.allowPrivate() ? a -> false : Fetcher::isPrivate);
    }

    /** With another rule for the addresses refused (a test refusing private ranges but not its loopback upstream). */
    Fetcher(PollSettings settings, Predicate<InetAddress> refused) {
        this.settings = settings;
        this.refused = refused;
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(settings.connectTimeout()).build();
    }

    /** An answer: 304 (nothing new, body empty) or a 2xx/4xx/5xx with its body, read within the cap. */
    public record Answer(int status, byte[] body, String etag, String lastModified, URI uri, long millis) {
        public boolean notModified() {
            return status == 304;
        }
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
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).GET().timeout(remaining(deadline, timeout))
                    .header("User-Agent", settings.userAgent()).header("Accept", accept);
            if (hop == 0 && etag != null && !etag.isEmpty()) b.header("If-None-Match", etag);
            if (hop == 0 && lastModified != null && !lastModified.isEmpty()) b.header("If-Modified-Since", lastModified);
            CappedBody[] body = new CappedBody[1];
            CompletableFuture<HttpResponse<byte[]>> f = http.sendAsync(b.build(), info -> {
                body[0] = new CappedBody(settings.maxBytes(), info.headers().firstValueAsLong("Content-Length").orElse(-1));
                return body[0];
            });
            HttpResponse<byte[]> r;
            try {
                r = f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                if (body[0] != null) body[0].cancel();
                f.cancel(true);
                throw new FetchFailure("signals.error.timeout", timeout.toSeconds());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                f.cancel(true);
                throw new FetchFailure("signals.error.stopped");
            } catch (ExecutionException e) {
                throw failure(e.getCause(), timeout);
            }
            int status = r.statusCode();
            if (status >= 300 && status < 400 && status != 304) {
                Optional<String> location = r.headers().firstValue("Location");
                if (location.isEmpty()) throw new FetchFailure("signals.error.status", status);
                if (hop + 1 > MAX_REDIRECTS) throw new FetchFailure("signals.error.redirects", MAX_REDIRECTS);
                URI next;
                try {
                    next = uri.resolve(location.get().strip());
                } catch (IllegalArgumentException e) {
                    throw new FetchFailure("signals.error.address", location.get());
                }
                uri = check(next.toString());
                continue;
            }
            return new Answer(status, r.body(), r.headers().firstValue("ETag").orElse(null),
                    r.headers().firstValue("Last-Modified").orElse(null), uri, (System.nanoTime() - start) / 1_000_000);
        }
    }

    private static Duration remaining(long deadline, Duration timeout) {
        long left = deadline - System.nanoTime();
        if (left <= 0) return Duration.ofMillis(1);
        return Duration.ofNanos(left);
    }

    /** An address the poller may ask: http or https, a host, and not a private one unless allowed. */
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
        try {
            for (InetAddress a : InetAddress.getAllByName(uri.getHost())) {
                if (refused.test(a)) throw new FetchFailure("signals.error.private", uri.getHost(), a.getHostAddress());
            }
        } catch (UnknownHostException e) {
            throw new FetchFailure("signals.error.host", uri.getHost());
        }
        return uri;
    }

    /** Loopback, private, link-local, unique-local, carrier-grade NAT, unspecified, multicast. */
    static boolean isPrivate(InetAddress a) {
        if (a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress()
                || a.isMulticastAddress()) return true;
        byte[] b = a.getAddress();
        if (b.length == 16 && (b[0] & 0xfe) == 0xfc) return true;
        if (b.length == 4 && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64) return true;
        return b.length == 4 && (b[0] & 0xff) == 0;
    }

    private static FetchFailure failure(Throwable t, Duration timeout) {
        if (t instanceof FetchFailure f) return f;
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof FetchFailure f) return f;
            if (c instanceof HttpConnectTimeoutException) return new FetchFailure("signals.error.connect.timeout");
            if (c instanceof HttpTimeoutException) return new FetchFailure("signals.error.timeout", timeout.toSeconds());
            if (c instanceof SSLException) return new FetchFailure("signals.error.tls", String.valueOf(c.getMessage()));
            if (c instanceof ConnectException) return new FetchFailure("signals.error.connect");
        }
        return new FetchFailure("signals.error.io", String.valueOf(t.getMessage()));
    }

    /** Collects a body up to the cap; past it (or a larger Content-Length) it stops reading and fails. */
    private static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final long cap;
        private final long declared;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private volatile Flow.Subscription subscription;

        CappedBody(long cap, long declared) {
            this.cap = cap;
            this.declared = declared;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (declared > cap) {
                s.cancel();
                result.completeExceptionally(new FetchFailure("signals.error.too.large", cap / 1024));
                return;
            }
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) return;
            for (ByteBuffer b : items) {
                if (out.size() + (long) b.remaining() > cap) {
                    subscription.cancel();
                    result.completeExceptionally(new FetchFailure("signals.error.too.large", cap / 1024));
                    return;
                }
                byte[] a = new byte[b.remaining()];
                b.get(a);
                out.write(a, 0, a.length);
            }
            subscription.request(1);
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(out.toByteArray());
        }

        @Override
        public java.util.concurrent.CompletionStage<byte[]> getBody() {
            return result;
        }

        void cancel() {
            Flow.Subscription s = subscription;
            if (s != null) s.cancel();
            result.completeExceptionally(new FetchFailure("signals.error.cancelled"));
        }
    }
}
