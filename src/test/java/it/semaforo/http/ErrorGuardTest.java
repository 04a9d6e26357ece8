package it.semaforo.http;

import io.javalin.Javalin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Error paths never throw and never loop: an exception handler that fails answers a plain 500,
 * once; one that fails after the response was committed gets its connection closed, never a
 * second answer; an exception nobody claims is a plain 500.
 */
class ErrorGuardTest {
    static final class Broken extends RuntimeException {
    }

    static final class BrokenAfterCommit extends RuntimeException {
    }

    static final AtomicInteger handlerRuns = new AtomicInteger();
    static Javalin app;

    @BeforeAll
    static void start() {
        app = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.jetty.port = 0;
            c.jetty.host = "127.0.0.1";
            ErrorGuard.register(c.routes);
            c.routes.exception(Broken.class, ErrorGuard.safely((e, ctx) -> {
                handlerRuns.incrementAndGet();
                throw new IllegalStateException("the handler itself fails");
            }));
            c.routes.exception(BrokenAfterCommit.class, ErrorGuard.safely((e, ctx) -> {
                handlerRuns.incrementAndGet();
                throw new IllegalStateException("fails too");
            }));
            c.routes.get("/broken", ctx -> {
                throw new Broken();
            });
            c.routes.get("/committed", ctx -> {
                ctx.res().setContentLength(100_000);
                ctx.res().getOutputStream().write("half an answer".getBytes(StandardCharsets.UTF_8));
                ctx.res().flushBuffer();
                throw new BrokenAfterCommit();
            });
            c.routes.get("/unclaimed", ctx -> {
                throw new UnsupportedOperationException("nobody handles this");
            });
        }).start();
    }

    @AfterAll
    static void stop() {
        app.stop();
    }

    static String raw(String path) throws IOException {
        try (Socket s = new Socket("127.0.0.1", app.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            StringBuilder b = new StringBuilder();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    b.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                    if (b.indexOf("500 Internal Server Error\n") > 0) break;
                }
            } catch (java.net.SocketException reset) {
                // the connection was closed on us: what a committed response gets
            }
            return b.toString();
        }
    }

    @Test
    void aFailingHandlerAnswersAPlain500Once() throws IOException {
        handlerRuns.set(0);
        String answer = raw("/broken");
        assertTrue(answer.startsWith("HTTP/1.1 500 "), answer);
        assertTrue(answer.endsWith("500 Internal Server Error\n"), answer);
        assertEquals(1, handlerRuns.get(), "the failing handler ran once, not again and again");
    }

    @Test
    void aCommittedResponseIsClosedNotAnsweredTwice() throws IOException {
        handlerRuns.set(0);
        String answer = raw("/committed");   // returns when the server closes the connection
        assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
        assertTrue(answer.contains("half an answer"), answer);
        assertFalse(answer.contains("HTTP/1.1 500"), "no second answer after the first: " + answer);
        assertEquals(1, handlerRuns.get());
    }

    @Test
    void anUnclaimedExceptionIsAPlain500() throws IOException {
        String answer = raw("/unclaimed");
        assertTrue(answer.startsWith("HTTP/1.1 500 "), answer);
        assertTrue(answer.endsWith("500 Internal Server Error\n"), answer);
    }
}
