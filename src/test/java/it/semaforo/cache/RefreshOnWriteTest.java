package it.semaforo.cache;

import it.semaforo.testing.MutableClock;
import it.semaforo.render.Rendered;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A write renders the entries readers ask for again before it is acknowledged; readers never wait for it. */
class RefreshOnWriteTest {
    private final ResponseCache cache = new ResponseCache(new MutableClock(Instant.parse("2026-11-24T10:00:00Z")),
            1 << 20, Map.of());
    /** What the "database" says now: the renderings below show it. */
    private final AtomicReference<String> data = new AtomicReference<>("v1");
    private final AtomicInteger renderings = new AtomicInteger();

    private final Supplier<Rendered> page = () -> {
        renderings.incrementAndGet();
        return Rendered.html(200, data.get().getBytes(StandardCharsets.UTF_8));
    };

    private static String text(ResponseCache.Entry e) {
        return new String(e.body, StandardCharsets.UTF_8);
    }

    @Test
    void aWriteRendersAHitEntryAgainBeforeItReturns() {
        cache.current("/|it", "it", false, page);
        assertTrue(cache.fresh("/|it") != null, "a reader hits it");
        data.set("v2");
        cache.invalidateAll();
        assertEquals(2, renderings.get(), "rendered again by the write itself");
        ResponseCache.Entry after = cache.fresh("/|it");
        assertEquals("v2", text(after), "the first reader after the write gets the new bytes, cached");
        assertEquals(2, renderings.get());
    }

    @Test
    void anEntryNobodyAskedForSinceTheLastChangeIsDroppedNotRendered() {
        cache.current("/cold|it", "it", false, page);   // rendered for one request, never hit again
        cache.current("/hot|it", "it", false, page);
        cache.fresh("/hot|it");
        data.set("v2");
        cache.invalidateAll();
        assertEquals(3, renderings.get(), "only the hot entry is rendered again");
        assertNull(cache.fresh("/cold|it"), "the cold one is gone, not served with the old data");
        assertEquals("v2", text(cache.current("/cold|it", "it", false, page)));
    }

    @Test
    void readersGetTheOldBytesWithoutWaitingWhileTheWriteRendersTheNewOnes() throws Exception {
        CountDownLatch renderingStarted = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        AtomicReference<CountDownLatch> gate = new AtomicReference<>();
        Supplier<Rendered> slowAfterTheFirst = () -> {
            CountDownLatch g = gate.get();
            if (g != null) {
                renderingStarted.countDown();
                try {
                    assertTrue(g.await(10, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            return Rendered.html(200, data.get().getBytes(StandardCharsets.UTF_8));
        };
        cache.current("/|it", "it", false, slowAfterTheFirst);
        cache.fresh("/|it");
        data.set("v2");
        gate.set(finish);
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            Future<?> write = writer.submit(cache::invalidateAll);
            assertTrue(renderingStarted.await(10, TimeUnit.SECONDS));
            assertEquals("v1", text(cache.fresh("/|it")), "while the write renders, readers are answered at once, with the old bytes");
            assertFalse(write.isDone(), "the write is not acknowledged before the new bytes are in");
            finish.countDown();
            write.get(10, TimeUnit.SECONDS);
            assertEquals("v2", text(cache.fresh("/|it")));
        } finally {
            writer.shutdownNow();
        }
    }

    @Test
    void aRenderingBegunBeforeAWriteAndFinishedAfterItIsNeverServed() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        Supplier<Rendered> before = () -> {
            started.countDown();
            try {
                assertTrue(finish.await(10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return Rendered.html(200, "v1".getBytes(StandardCharsets.UTF_8));
        };
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            Future<ResponseCache.Entry> slow = reader.submit(() -> cache.current("/|it", "it", false, before));
            assertTrue(started.await(10, TimeUnit.SECONDS));
            cache.invalidateAll();
            finish.countDown();
            assertEquals("v1", text(slow.get(10, TimeUnit.SECONDS)), "its own request, begun before the write, gets it");
            assertNull(cache.fresh("/|it"), "no later request does");
        } finally {
            reader.shutdownNow();
        }
    }

    @Test
    void aRenderingThatFailsAfterAWriteLeavesTheAddressToItsNextRequest() {
        AtomicInteger calls = new AtomicInteger();
        cache.current("/|it", "it", false, () -> {
            if (calls.incrementAndGet() == 2) throw new IllegalStateException("boom");
            return Rendered.html(200, ("v" + calls.get()).getBytes(StandardCharsets.UTF_8));
        });
        cache.fresh("/|it");
        cache.invalidateAll();   // the write stands; the failure is not the clerk's
        assertNull(cache.fresh("/|it"), "the entry from before the write is not served");
        assertEquals("v3", text(cache.current("/|it", "it", false, () -> Rendered.html(200, "v3".getBytes(StandardCharsets.UTF_8)))));
    }
}
