import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The hostile client of bench/hostile-load.sh, bounded in connections and in time: WORKERS
 * threads loop over issue 18's cases (a broken body pipelined before a health check or a
 * cached page, request smuggling shapes, HTTP/0.9 and unknown versions, oversized request
 * lines and headers, many headers, NUL in a header, 5,000 parts, a declared 10 GB body, now and
 * then a real 25 MB one) on fresh loopback connections, and SLOW threads hold slowloris
 * connections (headers, then bodies, a byte every 200 ms) until the server drops them.
 *   java bench/HostileClient.java PORT SECONDS [WORKERS] [SLOW]
 * Prints what it got by case and status, the connections that hung (no answer, no close within
 * 10 s) and the answers that were 5xx; exits 1 on any of those.
 */
public class HostileClient {
    record Case(String name, byte[] request, boolean pipelined) {
    }

    static final Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
    static final AtomicLong hung = new AtomicLong();
    static final AtomicLong serverErrors = new AtomicLong();
    static final AtomicLong sent = new AtomicLong();

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        long seconds = Long.parseLong(args[1]);
        int workers = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        int slow = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        // HOSTILE_SKIP: a regular expression of case names left out (to tell which case causes what)
        String skip = System.getenv().getOrDefault("HOSTILE_SKIP", "");
        List<Case> cases = cases().stream().filter(c -> skip.isEmpty() || !c.name().matches(skip)).toList();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            int offset = w;
            threads.add(start(() -> {
                for (int i = offset; System.nanoTime() < deadline; i++) {
                    Case c = cases.get(i % cases.size());
                    if (c.name().equals("25 MB body") && (i / cases.size()) % 50 != 0) continue;   // a heavy one, rarely
                    run(port, c);
                }
            }));
        }
        for (int s = 0; s < slow; s++) {
            int offset = s;
            threads.add(start(() -> {
                for (int i = offset; System.nanoTime() < deadline; i++) slow(port, i % 2 == 0, deadline);
            }));
        }
        for (Thread t : threads) t.join();
        System.out.printf("hostile client: %d requests in %d s over %d workers and %d slow connections; hung: %d; 5xx: %d%n",
                sent.get(), seconds, workers, slow, hung.get(), serverErrors.get());
        new TreeMap<>(outcomes).forEach((k, v) -> System.out.printf("  %-60s %d%n", k, v.get()));
        System.exit(hung.get() == 0 && serverErrors.get() == 0 ? 0 : 1);
    }

    static Thread start(Runnable r) {
        Thread t = new Thread(r);
        t.start();
        return t;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String multipart(String path, String body) {
        return "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: "
                + bytes(body).length + "\r\n\r\n" + body;
    }

    static List<Case> cases() {
        String truncated = "--x\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nx";
        StringBuilder parts = new StringBuilder();
        for (int i = 0; i < 5000; i++) parts.append("--x\r\nContent-Disposition: form-data; name=\"f").append(i).append("\"\r\n\r\nx\r\n");
        parts.append("--x--\r\n");
        String nul = "--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\u0000b.pdf\"\r\n\r\n%PDF-1.4\r\n--x--\r\n";
        StringBuilder headers = new StringBuilder();
        for (int i = 0; i < 2000; i++) headers.append("X-H").append(i).append(": a\r\n");
        String health = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";
        String home = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
        List<Case> cases = new ArrayList<>(List.of(
                new Case("truncated multipart login + /health", bytes(multipart("/admin/login", truncated) + health), true),
                new Case("truncated multipart login + /", bytes(multipart("/admin/login", truncated) + home), true),
                new Case("truncated multipart avviso + /health", bytes(multipart("/admin/avvisi", truncated) + health), true),
                new Case("5,000 parts + /", bytes(multipart("/admin/login", parts.toString()) + home), true),
                new Case("filename with NUL + /health", bytes(multipart("/admin/login", nul) + health), true),
                new Case("write API broken JSON + /api/v2/summary.json", bytes("POST /api/semaforo/v1/notices.json HTTP/1.1\r\nHost: x\r\n"
                        + "Authorization: Bearer x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{{"
                        + "GET /api/v2/summary.json HTTP/1.1\r\nHost: x\r\n\r\n"), true),
                new Case("404 + /feed.atom", bytes("GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\nGET /feed.atom HTTP/1.1\r\nHost: x\r\n\r\n"), true),
                new Case("Content-Length and Transfer-Encoding", bytes("POST /admin/login HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + health), false),
                new Case("conflicting Content-Length", bytes("POST /admin/login HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n"
                        + "Content-Length: 5\r\n\r\nabcd" + health), false),
                new Case("obsolete line folding", bytes("GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n"), false),
                new Case("HTTP/0.9", bytes("GET /\r\n\r\n"), false),
                new Case("HTTP/2.5", bytes("GET / HTTP/2.5\r\nHost: x\r\n\r\n"), false),
                new Case("request line 70 KB", bytes("GET /" + "a".repeat(70_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"), false),
                new Case("header 10 KB", bytes("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(10_000) + "\r\n\r\n"), false),
                new Case("2,000 headers", bytes("GET / HTTP/1.1\r\nHost: x\r\n" + headers + "\r\n"), false),
                new Case("NUL in a header, API", bytes("GET /api/v2/status.json HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n"), false),
                new Case("%00 as id, API", bytes("POST /api/semaforo/v1/notices/%00/updates.json HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"), false),
                new Case("declared 10 GB", bytes("POST /admin/login HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=x\r\n"
                        + "Content-Length: 10000000000\r\n\r\n"), false)));
        byte[] big = new byte[25 * 1024 * 1024];
        byte[] head = bytes("POST /admin/login HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: "
                + big.length + "\r\n\r\n");
        byte[] request = new byte[head.length + big.length];
        System.arraycopy(head, 0, request, 0, head.length);
        cases.add(new Case("25 MB body", request, false));
        return cases;
    }

    /** One case on a fresh connection: its answers, until the server closes or the pipelined one is read. */
    static void run(int port, Case c) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            try {
                out.write(c.request());
                out.flush();
            } catch (IOException refusedMidway) {
                // the server answered and closed before the whole body was sent (the 25 MB one)
            }
            sent.incrementAndGet();
            InputStream in = new BufferedInputStream(s.getInputStream());
            int answers = c.pipelined() ? 2 : 1;
            StringBuilder got = new StringBuilder();
            for (int k = 0; k < answers; k++) {
                int status = readAnswer(in);
                if (status < 0) break;   // closed
                got.append(k == 0 ? "" : " + ").append(status);
                if (status >= 500 && status != 505) serverErrors.incrementAndGet();
            }
            outcomes.computeIfAbsent(c.name() + " -> " + (got.length() == 0 ? "closed" : got), k -> new AtomicLong()).incrementAndGet();
        } catch (SocketTimeoutException e) {
            hung.incrementAndGet();
            outcomes.computeIfAbsent(c.name() + " -> HUNG", k -> new AtomicLong()).incrementAndGet();
        } catch (IOException e) {
            outcomes.computeIfAbsent(c.name() + " -> reset", k -> new AtomicLong()).incrementAndGet();
        }
    }

    /** Reads one answer (status line, headers, Content-Length or chunked body); -1 when the connection closed first. */
    static int readAnswer(InputStream in) throws IOException {
        String status = line(in);
        if (status == null) return -1;
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        for (String l = line(in); l != null && !l.isEmpty(); l = line(in)) {
            String lower = l.toLowerCase();
            if (lower.startsWith("content-length:")) length = Long.parseLong(l.substring(15).strip());
            if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) chunked = true;
        }
        if (chunked) {
            for (String size = line(in); size != null; size = line(in)) {
                int n = Integer.parseInt(size.strip(), 16);
                in.skipNBytes(n + 2L);
                if (n == 0) break;
            }
        } else if (length > 0) {
            in.skipNBytes(length);
        }
        return code;
    }

    static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
            if (c != '\r') b.write(c);
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    /** A slowloris: headers (or a body) a byte every 200 ms, never finished, until the server drops it. */
    static void slow(int port, boolean headers, long deadline) {
        String name = headers ? "slow headers" : "slow body";
        String prefix = headers ? "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: " : "POST /admin/login HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=x\r\n"
                + "Content-Length: 100000\r\n\r\n";
        long t0 = System.nanoTime();
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(50);
            OutputStream out = s.getOutputStream();
            out.write(bytes(prefix));
            InputStream in = s.getInputStream();
            for (int i = 0; System.nanoTime() < deadline; i++) {
                out.write('a');
                out.flush();
                try {
                    if (in.read() < 0) break;
                } catch (SocketTimeoutException stillOpen) {
                    // not dropped yet
                }
                Thread.sleep(200);
                if (System.nanoTime() - t0 > 60_000_000_000L) {   // never dropped in a minute: counted as hanging
                    hung.incrementAndGet();
                    break;
                }
            }
        } catch (IOException | InterruptedException dropped) {
            // the server closed or reset the connection
        }
        sent.incrementAndGet();
        long millis = (System.nanoTime() - t0) / 1_000_000;
        outcomes.computeIfAbsent(name + " -> dropped after " + (millis / 1000) + " s", k -> new AtomicLong()).incrementAndGet();
    }
}
