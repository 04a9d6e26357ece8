package it.semaforo.http;

import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.NanoTime;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * HTTP/1.1 connections with three things of ours, all looked at as Jetty parses, with no copy
 * and no allocation (a cached answer costs two field reads more):
 * <ul>
 * <li>whether the request line targets /api/: Jetty refuses a request line too long to read
 * (414) before it keeps any of it, and the API's clients must still get its problem form;</li>
 * <li>a deadline on a request's headers: a client sending them a byte at a time (slowloris)
 * never lets the idle timeout fire, and would keep its connection for ever;</li>
 * <li>a least rate for a request's body, after a grace period: a body trickling in holds a
 * thread of the pool (the form parser waits for it), and a few of them would hold them all.</li>
 * </ul>
 * A slow client is dropped through Jetty's own idle timeout, lowered to a millisecond for its
 * connection: Jetty then closes it (or fails the request being read) on its own thread, the way
 * it drops a silent client. Closing or failing from inside the parser instead would race with
 * the thread reading the body over the connection's request buffer.
 */
public final class Http1Connections extends HttpConnectionFactory {
    private static final byte[] API = {'/', 'a', 'p', 'i', '/'};
    private static final long BODY_GRACE_NANOS = Duration.ofSeconds(5).toNanos();

    private final long headerNanos;
    private final long minBodyBytesPerSecond;

    /** headerTimeout: the longest a request's headers may take; minBodyBytesPerSecond: 0 for no least rate. */
    public Http1Connections(HttpConfiguration configuration, Duration headerTimeout, long minBodyBytesPerSecond) {
        super(configuration);
        this.headerNanos = headerTimeout.toNanos();
        this.minBodyBytesPerSecond = minBodyBytesPerSecond;
    }

    /** Whether the request line of the connection serving request began with an /api/ target. */
    public static boolean api(Request request) {
        try {
            return request.getConnectionMetaData().getConnection() instanceof Guarded c && c.api;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        Guarded connection = new Guarded(getHttpConfiguration(), connector, endPoint, headerNanos, minBodyBytesPerSecond);
        connection.setTransferEncodingChunkMaxLength(getTransferEncodingChunkMaxLength());
        return configure(connection, connector, endPoint);
    }

    /** A method token, a space, then an origin-form or absolute-form target whose path starts with /api/. */
    static boolean targetsApi(ByteBuffer buffer) {
        int i = buffer.position();
        int end = buffer.limit();
        while (i < end && (buffer.get(i) == '\r' || buffer.get(i) == '\n')) i++;
        while (i < end && buffer.get(i) != ' ') i++;
        i++;
        if (i < end && buffer.get(i) != '/') {   // absolute form: scheme://authority/path
            int slashes = 0;
            while (i < end && slashes < 3) {
                if (buffer.get(i) == ' ') return false;
                if (buffer.get(i) == '/') slashes++;
                if (slashes < 3) i++;
            }
        }
        for (int k = 0; k < API.length; k++, i++) {
            if (i >= end || buffer.get(i) != API[k]) return false;
        }
        return true;
    }

    private static final class Guarded extends HttpConnection {
        /**
         * Set by the thread parsing, read by the one answering an error after Jetty handed the
         * request over (which orders the two): a plain field, no fence on every request.
         */
        private boolean api;
        // Set from Jetty's constructor, which calls newRequestHandler and newHttpParser before
        // this class's own fields are initialised: no initialisers here, or they would be reset.
        private RequestHandler handler;
        private long headerLimitNanos;
        private long minBodyRate;
        /** When the body began arriving (0: not yet), and how much of it arrived since. */
        private long bodyStart;
        private long bodyBytes;
        /** Once dropped, the connection is never used again. */
        private boolean dropping;

        Guarded(HttpConfiguration configuration, Connector connector, EndPoint endPoint, long headerNanos, long minBodyRate) {
            super(configuration, connector, endPoint);
            this.headerLimitNanos = headerNanos;
            this.minBodyRate = minBodyRate;
        }

        @Override
        protected RequestHandler newRequestHandler() {
            handler = super.newRequestHandler();
            return handler;
        }

        @Override
        protected HttpParser newHttpParser(HttpCompliance compliance) {
            HttpParser parser = new HttpParser(handler, getHttpConfiguration().getRequestHeaderSize(), compliance) {
                @Override
                public boolean parseNext(ByteBuffer buffer) {
                    if (isStart()) {
                        if (buffer.hasRemaining()) api = targetsApi(buffer);
                        bodyStart = 0;
                    } else if (inHeaderState()) {
                        // headers spread over several reads: a slow client, or a slowloris
                        if (headerLimitNanos > 0 && getBeginNanoTime() != 0 && NanoTime.since(getBeginNanoTime()) > headerLimitNanos) {
                            drop();
                        }
                    } else if (minBodyRate > 0 && inBody(getState())) {
                        checkBodyRate(buffer.remaining());
                    }
                    return super.parseNext(buffer);
                }
            };
            parser.setHeaderCacheSize(getHttpConfiguration().getHeaderCacheSize());
            parser.setHeaderCacheCaseSensitive(getHttpConfiguration().isHeaderCacheCaseSensitive());
            return parser;
        }

        private static boolean inBody(HttpParser.State state) {
            return state.ordinal() >= HttpParser.State.CONTENT.ordinal() && state.ordinal() <= HttpParser.State.TRAILER.ordinal();
        }

        /** Counts what is about to be parsed; past the grace period, a body below the least rate drops the connection. */
        private void checkBodyRate(int arriving) {
            long now = NanoTime.now();
            if (bodyStart == 0) {
                bodyStart = now;
                bodyBytes = 0;
            }
            bodyBytes += arriving;
            long elapsed = now - bodyStart;
            if (elapsed > BODY_GRACE_NANOS && bodyBytes < minBodyRate * (elapsed / 1_000_000) / 1000) drop();
        }

        /**
         * Lets Jetty's idle timeout drop the connection at its next check (see the class's
         * comment); should the request being read survive that, the connection is closed from
         * the scheduler a few seconds later, as an idle timeout would close it.
         */
        private void drop() {
            if (dropping) return;
            dropping = true;
            EndPoint endPoint = getEndPoint();
            endPoint.setIdleTimeout(1);
            getConnector().getScheduler().schedule(() -> {
                if (endPoint.isOpen()) endPoint.close(new TimeoutException("slow client"));
            }, 3, TimeUnit.SECONDS);
        }
    }
}
