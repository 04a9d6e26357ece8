package it.semaforo.net;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.io.HttpClientResponseHandler;
import org.apache.hc.core5.util.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
import java.util.function.Supplier;

/**
 * The one HTTP client for requests Semaforo makes to addresses typed in the clerks' area
 * (signals' upstreams and probes, webhooks' endpoints), on Apache HttpClient 5. The host of each
 * request is resolved once, by our own resolver, which refuses the whole answer if any address
 * is one we do not ask (PrivateAddresses, unless the operator allowed them); the client then
 * connects only to the addresses that resolver checked, so a DNS answer that changes between a
 * check and the connection (DNS rebinding) cannot lead it inside. It follows no redirect and
 * keeps no cookie: a caller that follows redirects sends each hop through here again, checked
 * the same way. Every request has a total deadline, cut wherever it is (connecting, waiting, a
 * slow body), and a body the caller stops reading is dropped with its connection, not drained.
 */
public final class GuardedHttp implements AutoCloseable {
    /**
     * The client is built at the first request: a server that polls no source and has no webhook
     * never loads it and its TLS set-up (a few hundred classes kept on the heap for nothing).
     */
    private final Supplier<CloseableHttpClient> build;
    private CloseableHttpClient http;
    private boolean closed;
    private final Duration connectTimeout;
    /** Cuts a request at its deadline. */
    private final ScheduledExecutorService deadlines;

    /** A host's addresses, as the system's resolver answers (a test answers as a rebinding DNS server would). */
    @FunctionalInterface
    public interface Lookup {
        InetAddress[] all(String host) throws UnknownHostException;

        Lookup SYSTEM = InetAddress::getAllByName;
    }

    /** The rule as configured: every address allowed (an operator's setting), or the private ones refused. */
    public static Predicate<InetAddress> refusing(boolean allowPrivate) {
        return allowPrivate ? a -> false : PrivateAddresses::isPrivate;
    }

    /**
     * @param refused    the addresses never connected to (see refusing)
     * @param lookup     how a host is resolved (Lookup.SYSTEM)
     * @param maxTotal   connections kept at most, maxPerRoute of them to one host
     * @param name       the threads' name (the deadline's)
     */
    public GuardedHttp(Predicate<InetAddress> refused, Lookup lookup, Duration connectTimeout, int maxTotal,
                       int maxPerRoute, String userAgent, String name) {
        this.connectTimeout = connectTimeout;
        Timeout connect = Timeout.of(connectTimeout);
        this.build = () -> HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(new CheckedResolver(refused, lookup))
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(connect)
                                .setTimeToLive(Timeout.ofMinutes(5)).build())
                        .setMaxConnTotal(maxTotal).setMaxConnPerRoute(maxPerRoute)
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setRedirectsEnabled(false)
                        .setConnectionRequestTimeout(connect).build())
                .disableRedirectHandling().disableAutomaticRetries().disableCookieManagement().disableAuthCaching()
                .setUserAgent(userAgent)
                .build();
        this.deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name + "-deadline");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Sends request and hands its answer to handler, all within left (connect, answer, body).
     * Past it the request is cut and DeadlinePassed thrown; a refused address is a Refused
     * somewhere among the causes (see refusedIn). Redirects are answers like any other.
     */
    public <T> T execute(HttpUriRequestBase request, Duration left, HttpClientResponseHandler<T> handler) throws IOException {
        if (left.isNegative() || left.isZero()) throw new DeadlinePassed();
        CloseableHttpClient client = client(); // before the deadline starts counting: building it takes a moment
        request.setConfig(RequestConfig.custom().setRedirectsEnabled(false)
                .setConnectionRequestTimeout(Timeout.of(connectTimeout))
                .setResponseTimeout(Timeout.of(left)).build());
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> cut = deadlines.schedule(() -> {
            expired.set(true);
            request.cancel();
        }, left.toNanos(), TimeUnit.NANOSECONDS);
        T answer;
        try {
            answer = client.execute(request, handler);
        } catch (IOException | RuntimeException e) {
            if (expired.get()) throw new DeadlinePassed();
            throw e;
        } finally {
            cut.cancel(false);
        }
        if (expired.get()) throw new DeadlinePassed();
        return answer;
    }

    /** The refusal among a failure's causes, if the failure was one. */
    public static Refused refusedIn(Throwable t) {
        List<Throwable> causes = new ArrayList<>();
        for (Throwable c = t; c != null && causes.size() < 10; c = c.getCause()) {
            causes.add(c);
            causes.addAll(List.of(c.getSuppressed()));
        }
        for (Throwable c : causes) if (c instanceof Refused r) return r;
        return null;
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

    /** A host that resolves to an address we do not ask: nothing was sent. */
    public static final class Refused extends UnknownHostException {
        private final String host;
        private final String address;

        Refused(String host, InetAddress a) {
            super(host + " -> " + a.getHostAddress());
            this.host = host;
            this.address = a.getHostAddress();
        }

        public String host() {
            return host;
        }

        public String address() {
            return address;
        }
    }

    /** The request's total deadline passed; it was cut. */
    public static final class DeadlinePassed extends IOException {
        public DeadlinePassed() {
            super("deadline passed");
        }
    }

    private synchronized CloseableHttpClient client() {
        if (closed) throw new IllegalStateException("closed");
        if (http == null) http = build.get();
        return http;
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
