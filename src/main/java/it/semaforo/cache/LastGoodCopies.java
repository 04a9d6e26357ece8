package it.semaforo.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import it.semaforo.cache.ResponseCache.Entry;
import it.semaforo.render.Rendered;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The last answer rendered per key, kept when the cache is dropped: what is served while the
 * database fails, HTML pages marked (at Rendered.STALE_MARK) with the time they were true.
 */
final class LastGoodCopies {
    private final Cache<String, Entry> copies;
    private volatile BiFunction<String, Instant, String> staleNotice = (language, at) -> "";

    LastGoodCopies(long maxBytes) {
        this.copies = Caffeine.newBuilder().maximumWeight(maxBytes).weigher(Entry::weight).build();
    }

    /** The HTML put at the mark: (language, rendered at). */
    void staleNotice(BiFunction<String, Instant, String> notice) {
        this.staleNotice = notice;
    }

    void put(String key, Entry e) {
        copies.put(key, e);
    }

    Entry getIfPresent(String key) {
        return copies.getIfPresent(key);
    }

    /**
     * The copy as served while the database fails: HTML marked with the time it was rendered;
     * never rendered again, and checked again by shared caches before reuse (see Entry).
     */
    Entry served(Entry good, String language, boolean varyByLanguage, Map<String, String> defaultHeaders) {
        Rendered r = good.rendered;
        byte[] body = r.body();
        if (r.contentType().startsWith("text/html")) {
            String html = new String(body, StandardCharsets.UTF_8);
            body = html.replace(Rendered.STALE_MARK, staleNotice.apply(language, good.renderedAt)).getBytes(StandardCharsets.UTF_8);
        }
        Rendered copy = new Rendered(r.status(), r.contentType(), body, r.headers(), null, r.lastModified());
        return new Entry(copy, good.lastModified, defaultHeaders, varyByLanguage, null, -1, good.renderedAt);
    }
}
