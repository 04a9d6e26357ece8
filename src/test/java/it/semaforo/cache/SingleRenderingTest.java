package it.semaforo.cache;

import it.semaforo.testing.MutableClock;
import it.semaforo.render.Rendered;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** After a change, concurrent misses of one address render it once; a write during a rendering is never hidden. */
class SingleRenderingTest {
    private final ResponseCache cache = new ResponseCache(new MutableClock(Instant.parse("2026-11-24T10:00:00Z")),
            1 << 20, Map.of());
    private final AtomicInteger renderings = new AtomicInteger();

    /** A rendering that waits for the gate, so that the test decides when it ends. */
    private Supplier<Rendered> slow(CountDownLatch gate, String text) {
        return () -> {
            renderings.incrementAndGet();
            try {
                assertTrue(gate.await(10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return Rendered.html(200, text.getBytes(StandardCharsets.UTF_8));
        };
    }

    @Test
    void concurrentMissesOfOneAddressRenderItOnce() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        ExecutorService readers = Executors.newFixedThreadPool(16);
        try {
            List<Future<ResponseCache.Entry>> answers = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                answers.add(readers.submit(() -> cache.current("/|it", "it", false, slow(gate, "home"))));
            }
            Thread.sleep(300);   // every reader has missed by now, one of them is rendering
            gate.countDown();
            ResponseCache.Entry first = answers.get(0).get(10, TimeUnit.SECONDS);
            for (Future<ResponseCache.Entry> a : answers) assertSame(first, a.get(10, TimeUnit.SECONDS));
            assertEquals(1, renderings.get(), "sixteen readers, one rendering");
        } finally {
            readers.shutdownNow();
        }
    }

    @Test
    void aRequestAfterAWriteDoesNotWaitForARenderingBegunBeforeIt() throws Exception {
        CountDownLatch oldGate = new CountDownLatch(1);
        ExecutorService readers = Executors.newFixedThreadPool(2);
        try {
            Future<ResponseCache.Entry> before = readers.submit(() -> cache.current("/|it", "it", false, slow(oldGate, "before")));
            while (renderings.get() == 0) Thread.sleep(5);
            cache.invalidateAll();   // a clerk's write commits while the old rendering runs
            ResponseCache.Entry after = cache.current("/|it", "it", false,
                    () -> Rendered.html(200, "after".getBytes(StandardCharsets.UTF_8)));
            assertEquals("after", new String(after.body, StandardCharsets.UTF_8));
            oldGate.countDown();
            assertEquals("before", new String(before.get(10, TimeUnit.SECONDS).body, StandardCharsets.UTF_8));
            assertEquals("after", new String(cache.current("/|it", "it", false,
                    () -> Rendered.html(200, "third".getBytes(StandardCharsets.UTF_8))).body, StandardCharsets.UTF_8),
                    "the rendering begun before the write is not kept");
        } finally {
            readers.shutdownNow();
        }
    }

    @Test
    void aFailedRenderingIsTriedAgainByTheNextRequest() {
        try {
            cache.current("/|it", "it", false, () -> {
                throw new IllegalStateException("boom");
            });
        } catch (IllegalStateException expected) {
            // the first request gets the failure
        }
        assertEquals("ok", new String(cache.current("/|it", "it", false,
                () -> Rendered.html(200, "ok".getBytes(StandardCharsets.UTF_8))).body, StandardCharsets.UTF_8));
    }
}
