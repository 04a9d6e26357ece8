package it.semaforo.web;

import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.internal.HttpConnection;

import java.nio.ByteBuffer;

/**
 * HTTP/1.1 connections that remember whether the request line being read targets /api/.
 * Jetty refuses a request line too long to read (414) before it keeps any of it: the error
 * answer would not know whether an API client or a browser asked, and the API's clients must
 * get its problem form. The first bytes of each request are looked at where they already are
 * (no copy, no allocation), before Jetty parses them.
 */
public final class ApiTargets extends HttpConnectionFactory {
    private static final byte[] API = {'/', 'a', 'p', 'i', '/'};

    public ApiTargets(HttpConfiguration configuration) {
        super(configuration);
    }

    /** Whether the request line of the connection serving request began with an /api/ target. */
    public static boolean api(Request request) {
        try {
            return request.getConnectionMetaData().getConnection() instanceof Sniffing c && c.api;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        Sniffing connection = new Sniffing(getHttpConfiguration(), connector, endPoint);
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

    private static final class Sniffing extends HttpConnection {
        /** Set by the thread parsing, read by the one answering the error. */
        private volatile boolean api;
        /** Set from Jetty's constructor (newRequestHandler runs before newHttpParser): no initializer, or it would be reset. */
        private RequestHandler handler;

        Sniffing(HttpConfiguration configuration, Connector connector, EndPoint endPoint) {
            super(configuration, connector, endPoint);
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
                    if (isStart() && buffer.hasRemaining()) api = targetsApi(buffer);
                    return super.parseNext(buffer);
                }
            };
            parser.setHeaderCacheSize(getHttpConfiguration().getHeaderCacheSize());
            parser.setHeaderCacheCaseSensitive(getHttpConfiguration().isHeaderCacheCaseSensitive());
            return parser;
        }
    }
}
