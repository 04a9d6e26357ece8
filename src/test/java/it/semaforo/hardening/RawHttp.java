package it.semaforo.hardening;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a raw socket, for requests no well-behaved client sends (pipelined, smuggled,
 * slow, oversized): bytes go out as given, answers are read one by one, framed by
 * Content-Length or chunked encoding, each within a deadline. A connection that neither
 * answers nor closes within it is reported as hanging.
 */
final class RawHttp implements AutoCloseable {
    /** An answer; status 0 when the server closed the connection instead of answering. */
    record Answer(String version, int status, Map<String, String> headers, String body) {
        static final Answer CLOSED = new Answer("", 0, Map.of(), "");

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String contentType() {
            String t = header("content-type");
            return t == null ? "" : t;
        }

        /** Whether the server said it closes the connection after this answer (HTTP/1.0 does unless told). */
        boolean closes() {
            String c = header("connection");
            if (version.equals("HTTP/1.0")) return c == null || !c.toLowerCase(Locale.ROOT).contains("keep-alive");
            return c != null && c.toLowerCase(Locale.ROOT).contains("close");
        }

        @Override
        public String toString() {
            String b = body.length() > 300 ? body.substring(0, 300) + "…" : body;
            return status + " " + contentType() + " " + b.replaceAll("\\s+", " ");
        }
    }

    /** The connection neither answered nor closed in time. */
    static final class Hanging extends AssertionError {
        Hanging(String what) {
            super(what);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawHttp(int port, int timeoutMillis) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(timeoutMillis);
        socket.setTcpNoDelay(true);
        in = new java.io.BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    static byte[] bytes(String request) {
        return request.getBytes(StandardCharsets.ISO_8859_1);
    }

    RawHttp send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    RawHttp send(String request) throws IOException {
        return send(bytes(request));
    }

    /** Whether the server closed the connection (reads end of stream, or a reset) within the deadline. */
    boolean closedByServer() {
        try {
            while (true) {
                int b = in.read();
                if (b < 0) return true;
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** The next answer; headOnly for an answer to HEAD (or a 304/204, read without body anyway). */
    Answer read(boolean headOnly) throws IOException {
        try {
            String statusLine = line();
            if (statusLine == null) return Answer.CLOSED;
            if (!statusLine.startsWith("HTTP/1.")) throw new IOException("not a status line: " + statusLine);
            int status = Integer.parseInt(statusLine.substring(9, 12));
            Map<String, String> headers = new LinkedHashMap<>();
            for (String l = line(); l != null && !l.isEmpty(); l = line()) {
                int colon = l.indexOf(':');
                if (colon > 0) {
                    headers.merge(l.substring(0, colon).strip().toLowerCase(Locale.ROOT), l.substring(colon + 1).strip(),
                            (a, b) -> a + ", " + b);
                }
            }
            byte[] body;
            String length = headers.get("content-length");
            if (headOnly || status == 304 || status == 204 || status / 100 == 1) body = new byte[0];
            else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) body = chunked();
            else if (length != null) body = in.readNBytes(Integer.parseInt(length));
            else body = in.readAllBytes();   // delimited by the close
            return new Answer(statusLine.substring(0, 8), status, headers, new String(body, StandardCharsets.UTF_8));
        } catch (SocketTimeoutException e) {
            throw new Hanging("no answer within " + socket.getSoTimeout() + " ms");
        } catch (java.net.SocketException e) {
            return Answer.CLOSED;   // reset: the server dropped the connection
        }
    }

    Answer read() throws IOException {
        return read(false);
    }

    private byte[] chunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line();
            if (size == null) throw new IOException("chunked body cut");
            int n = Integer.parseInt(size.split(";", 2)[0].strip(), 16);
            if (n == 0) {
                for (String l = line(); l != null && !l.isEmpty(); l = line()) {
                    // trailers: none expected
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(n));
            line();
        }
    }

    /** A CRLF-terminated line in ISO-8859-1, null at the end of the stream before any byte. */
    private String line() throws IOException {
        StringBuilder b = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) return b.length() == 0 ? null : b.toString();
            if (c == '\n') {
                int end = b.length();
                if (end > 0 && b.charAt(end - 1) == '\r') b.setLength(end - 1);
                return b.toString();
            }
            b.append((char) c);
            if (b.length() > 65_536) throw new IOException("line too long");
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
