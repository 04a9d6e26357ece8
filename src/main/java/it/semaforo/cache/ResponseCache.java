package it.semaforo.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.javalin.http.Context;
import it.semaforo.db.DatabaseException;
import it.semaforo.render.Gzip;
import it.semaforo.render.Rendered;
import it.semaforo.render.SecurityHeaders;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Public GET responses rendered once per change and kept as bytes, with their gzip form and a
 * strong ETag, keyed by URL and language. The whole cache is dropped when the database
 * announces a change; an entry also dies at the instant its content stops being true by
 * itself (Rendered.validUntil), measured on the injected clock. Last-Modified is the output's
 * own time when it has one (Rendered.lastModified), else the last change the cache saw.
 * Entries are served by Javalin on a miss ({@link #respond}) and by the {@link FastPath} in
 * front of it on a hit.
 *
 * <p>A write is not acknowledged before the answers readers are asking for show it: the
 * committing thread renders again the entries hit since the previous change (the hottest
 * first, within {@link #REFRESH_BUDGET_NANOS}) and swaps them in, while readers keep getting
 * the old bytes, which were true until the write is acknowledged; the other entries are dropped
 * and rendered on their next request. So readers never wait for a rendering after a write, and
 * a request made after the acknowledgement never gets bytes from before it.
 *
 * <p>When the database fails, the last good copy of each answer is served instead (kept
 * across invalidations), HTML pages marked with the time they were rendered where the layout
 * says {@link Rendered#STALE_MARK}; for a few seconds after a failure no rendering is tried, and the
 * first one that succeeds again ends it by itself.
 */
public final class ResponseCache {
    /** A CDN or reverse proxy may serve a copy for 30 s, and keep serving it if we die. */
    public static final String CACHE_CONTROL = "public, max-age=30, stale-while-revalidate=60, stale-if-error=86400";
    private static final long RETRY_NANOS = 2_000_000_000L;
    /** How long a write may spend rendering hot entries again before it is acknowledged. */
    static final long REFRESH_BUDGET_NANOS = 300_000_000L;
    private static final System.Logger LOG = System.getLogger(ResponseCache.class.getName());

    private final Cache<String, Entry> entries;
    private final Clock clock;
    private final Map<String, String> defaultHeaders;
    private volatile Instant lastChange;
    /** Counts invalidations, so that a render that raced with a write is not kept. */
    private final AtomicLong generation = new AtomicLong();
    /**
     * The oldest generation whose entries may still be served: it stays behind generation while
     * a write refreshes entries, and catches up before the write is acknowledged (so that an entry
     * rendered before a write and put just after it is never served).
     */
    private volatile long servedFrom;
    /** Renderings under way, by generation and key: one per key at a time (see current). */
    private final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.CompletableFuture<Entry>> rendering =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** The last answer rendered per key, kept when the cache is dropped: served while the database fails. */
    private final LastGoodCopies lastGood;
    /** System.nanoTime before which no rendering is tried after a database failure; 0 when healthy. */
    private volatile long degradedUntil;
    /** One refresh at a time: two writes committed together refresh in turn, the later one last. */
    private final ReentrantLock refreshing = new ReentrantLock();

    /** defaultHeaders: what every answer carries (security headers), under the output's own. */
    public ResponseCache(Clock clock, long maxBytes, Map<String, String> defaultHeaders) {
        this.clock = clock;
        this.defaultHeaders = Map.copyOf(defaultHeaders);
        this.lastChange = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        this.entries = Caffeine.newBuilder().maximumWeight(maxBytes).weigher(Entry::weight).build();
        this.lastGood = new LastGoodCopies(maxBytes);
    }

    /** The HTML put at {@link Rendered#STALE_MARK} of a page served from its last good copy: (language, rendered at). */
    public void staleNotice(java.util.function.BiFunction<String, Instant, String> notice) {
        lastGood.staleNotice(notice);
    }

    /**
     * The database failed (a rendering, or /health): nothing cached is served as fresh any more,
     * the last good copies answer, marked, and rendering is tried again in a moment.
     */
    public void databaseFailed() {
        degradedUntil = System.nanoTime() + RETRY_NANOS;
        servedFrom = generation.incrementAndGet();
        entries.invalidateAll();
    }

    /** True while answers come from last good copies. */
    public boolean degraded() {
        return degradedUntil != 0;
    }

    /**
     * Called on every committed write, before it is acknowledged: everything public may have
     * changed. Entries hit since the last change are rendered again and swapped in, the hottest
     * first, within the budget; every other entry of before the write is dropped.
     */
    public void invalidateAll() {
        refreshing.lock();
        try {
            lastChange = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            long now = generation.incrementAndGet();
            // the counts read once: readers go on counting while this sorts
            List<Hot> hot = new ArrayList<>();
            entries.asMap().forEach((key, e) -> {
                long hits = e.hits.sum();
                if (e.render != null && hits > 0) hot.add(new Hot(key, e, hits));
            });
            hot.sort(Comparator.comparingLong(Hot::hits).reversed());
            long deadline = System.nanoTime() + REFRESH_BUDGET_NANOS;
            for (Hot h : hot) {
                if (System.nanoTime() - deadline > 0 || generation.get() != now) break;
                if (!refresh(h.key(), h.entry(), now)) break;
            }
            // whatever was not rendered again since this write (by the loop or by a reader) goes
            servedFrom = Math.max(servedFrom, now);
            entries.asMap().values().removeIf(e -> e.generation < now);
        } finally {
            refreshing.unlock();
        }
    }

    private record Hot(String key, Entry entry, long hits) {
    }

    /** Renders one entry again for the data of generation now and swaps it in; false if it could not. */
    private boolean refresh(String key, Entry old, long now) {
        Instant at = clock.instant();
        Instant changed = lastChange;
        Rendered r;
        try {
            r = old.render.get();
        } catch (DatabaseException e) {
            // the readers' path renders it and handles the failure; the write stands
            LOG.log(System.Logger.Level.WARNING, "database failed while rendering " + key + " again after a change", e);
            return false;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not render " + key + " again after a change", e);
            return true;   // dropped with the others; its next request renders it and answers the failure
        }
        if (!cacheable(r.status())) return true;   // the old entry goes with the others
        Entry fresh = new Entry(r, modifiedAt(r, old, changed, at), defaultHeaders, old.varyByLanguage, old.render, now, at);
        if (generation.get() != now) return false;
        entries.asMap().replace(key, old, fresh);
        lastGood.put(key, fresh);
        return true;
    }

    /** The cache key: the raw path and query exactly as sent, and the language of the answer. */
    public static String key(String rawPath, String rawQuery, String language) {
        return rawPath + (rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery) + "|" + language;
    }

    /** The entry for a key if it is cached and still true now, else null. */
    Entry fresh(String key) {
        Entry e = usable(entries.getIfPresent(key), clock.instant());
        if (e != null) e.hits.increment();
        return e;
    }

    /** The entry if it may be served at now: of a generation still served, and still true. */
    private Entry usable(Entry e, Instant now) {
        return e == null || e.generation < servedFrom || e.staleAt(now) ? null : e;
    }

    /**
     * Answers a public GET from the cache, rendering it on a miss. Only 200 and 410 answers
     * are kept (a 404 for every random address would fill the cache), and only they carry
     * ETag, Last-Modified and Cache-Control. render must not read the request (path
     * parameters, query, headers): it is called again after writes, when the request is gone,
     * so whatever it needs is read before. Returns the status of the answer.
     */
    public int respond(Context ctx, String language, Supplier<Rendered> render) {
        return respond(ctx, language, false, render);
    }

    /**
     * As above; varyByLanguage when the language was negotiated from Accept-Language (the
     * address alone does not decide it), so shared caches keep one copy per language.
     */
    public int respond(Context ctx, String language, boolean varyByLanguage, Supplier<Rendered> render) {
        Entry entry = current(key(ctx.path(), ctx.queryString(), language), language, varyByLanguage, render);
        // the entry's headers are the whole set: drop the defaults an output removed (framing, say)
        defaultHeaders.keySet().forEach(name -> ctx.res().setHeader(name, null));
        for (HttpField f : entry.fields) ctx.header(f.getName(), f.getValue());
        boolean gzip = acceptsGzip(ctx.header("Accept-Encoding")) && entry.gzipSmaller();
        if (cacheable(entry.rendered.status())
                && entry.notModified(ctx.header("If-None-Match"), ctx.header("If-Modified-Since"))) {
            // the length a 200 would have had (RFC 9110 §8.6), never a false Content-Length: 0
            ctx.header("Content-Length", String.valueOf(gzip ? entry.gzip.length : entry.body.length));
            ctx.status(304);
            return 304;
        }
        ctx.status(entry.rendered.status());
        if (gzip) {
            ctx.header("Content-Encoding", "gzip");   // Javalin leaves already-encoded bodies alone
            ctx.result(entry.gzip);
        } else {
            ctx.result(entry.body);
        }
        return entry.rendered.status();
    }

    /**
     * The entry to answer with: the cached one, else a rendering. Requests that miss the same key
     * while it renders wait for that one rendering (after a write, fifty readers of the home page
     * would otherwise render it fifty times at once), unless a write committed after it began:
     * then its bytes may be older than the write, and the request renders anew.
     */
    Entry current(String key, String language, boolean varyByLanguage, Supplier<Rendered> render) {
        Entry cached = fresh(key);
        if (cached != null) return cached;
        String flightKey = generation.get() + "|" + key;
        java.util.concurrent.CompletableFuture<Entry> mine = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.CompletableFuture<Entry> running = rendering.putIfAbsent(flightKey, mine);
        if (running != null) {
            try {
                return running.join();
            } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException failed) {
                return rendered(key, language, varyByLanguage, render);   // its failure may not be ours: try
            }
        }
        try {
            Entry entry = rendered(key, language, varyByLanguage, render);
            mine.complete(entry);
            return entry;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            rendering.remove(flightKey, mine);
        }
    }

    /**
     * Renders an answer into the cache before anyone asks for it (the home page while the server
     * starts); a request for it meanwhile waits for this rendering instead of starting another.
     */
    public void warm(String key, String language, boolean varyByLanguage, Supplier<Rendered> render) {
        current(key, language, varyByLanguage, render);
    }

    /** Renders the answer for a key (or takes its last good copy while the database fails), and keeps it. */
    private Entry rendered(String key, String language, boolean varyByLanguage, Supplier<Rendered> render) {
        Instant now = clock.instant();
        Entry entry = entries.getIfPresent(key);
        if (usable(entry, now) != null) return entry;
        Entry good = lastGood.getIfPresent(key);
        long until = degradedUntil;
        if (good != null && until != 0 && System.nanoTime() - until < 0) {
            entry = stale(good, language, varyByLanguage);   // the database failed a moment ago
        } else {
            long seen = generation.get();
            Instant changed = lastChange;
            Rendered r;
            try {
                r = render.get();
            } catch (DatabaseException e) {
                databaseFailed();
                if (good == null) throw e;
                r = null;
            }
            if (r == null) {
                entry = stale(good, language, varyByLanguage);
            } else {
                degradedUntil = 0;
                Entry rendered = new Entry(r, modifiedAt(r, entry, changed, now), defaultHeaders, varyByLanguage, render,
                        seen, now);
                // a write committed while rendering may not be in these bytes: serve them, keep nothing
                if (cacheable(r.status()) && generation.get() == seen) entries.put(key, rendered);
                if (cacheable(r.status())) lastGood.put(key, rendered);
                entry = rendered;
            }
        }
        return entry;
    }

    /** The last good copy as served while the database fails: HTML marked with the time it was rendered. */
    private Entry stale(Entry good, String language, boolean varyByLanguage) {
        return lastGood.served(good, language, varyByLanguage, defaultHeaders);
    }

    private static boolean cacheable(int status) {
        return status == 200 || status == 410;
    }

    /**
     * Last-Modified of a new rendering: the output's own time when it knows it; else the last
     * change of data, or, when the old entry ran out at its validUntil (an expiry passed), that
     * instant, unless the bytes came out the same.
     */
    private static Instant modifiedAt(Rendered r, Entry old, Instant lastChange, Instant now) {
        if (r.lastModified() != null) {
            Instant own = r.lastModified().truncatedTo(ChronoUnit.SECONDS);
            return own.isAfter(now) ? now.truncatedTo(ChronoUnit.SECONDS) : own;
        }
        if (old == null || old.rendered.validUntil() == null) return lastChange;
        if (old.etag.equals(Validators.etag(r))) return old.lastModified;
        Instant expired = old.rendered.validUntil().truncatedTo(ChronoUnit.SECONDS);
        return expired.isAfter(lastChange) ? expired : lastChange;
    }

    static boolean acceptsGzip(String acceptEncoding) {
        return acceptEncoding != null && acceptEncoding.contains("gzip") && !acceptEncoding.contains("gzip;q=0");
    }

    /** One cached answer, with every header pre-encoded once for the fast path. */
    static final class Entry {
        final Rendered rendered;
        final byte[] body;
        final byte[] gzip;
        final ByteBuffer bodyBuffer;
        final ByteBuffer gzipBuffer;
        final String etag;
        final Instant lastModified;
        final List<HttpField> fields = new ArrayList<>();
        final HttpField bodyLength;
        final HttpField gzipLength;
        final Instant renderedAt;
        /** The cache's generation whose data the bytes show; -1 for a last good copy. */
        final long generation;
        final boolean varyByLanguage;
        /** How to render it again after a change; null for a last good copy. */
        final Supplier<Rendered> render;
        /** Requests answered with it: a change renders the hottest entries again first. */
        final LongAdder hits = new LongAdder();

        /**
         * render null: a last good copy, never rendered again, which shared caches must check
         * again before reuse (no-cache).
         */
        Entry(Rendered r, Instant lastModified, Map<String, String> defaultHeaders, boolean varyByLanguage,
              Supplier<Rendered> render, long generation, Instant renderedAt) {
            this.renderedAt = renderedAt;
            this.generation = generation;
            this.varyByLanguage = varyByLanguage;
            this.render = render;
            boolean stale = render == null;
            this.rendered = r;
            this.body = r.body();
            this.gzip = ResponseCache.gzip(r.body());
            // off-heap copies: the socket write takes them as they are, with no copy per request
            this.bodyBuffer = direct(body);
            this.gzipBuffer = direct(gzip);
            this.etag = Validators.etag(r);
            this.lastModified = lastModified;
            fields.add(new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, r.contentType()));
            if (cacheable(r.status())) {
                fields.add(new PreEncodedHttpField(HttpHeader.ETAG, etag));
                fields.add(new PreEncodedHttpField(HttpHeader.LAST_MODIFIED, Validators.httpDate(lastModified)));
                fields.add(new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, stale ? "no-cache" : CACHE_CONTROL));
            }
            fields.add(new PreEncodedHttpField(HttpHeader.VARY,
                    varyByLanguage ? "Accept-Encoding, Accept-Language" : "Accept-Encoding"));
            SecurityHeaders.merge(defaultHeaders, r.headers())
                    .forEach((name, value) -> fields.add(new PreEncodedHttpField(name, value)));
            this.bodyLength = new PreEncodedHttpField(HttpHeader.CONTENT_LENGTH, body.length);
            this.gzipLength = new PreEncodedHttpField(HttpHeader.CONTENT_LENGTH, gzip.length);
        }

        private static ByteBuffer direct(byte[] bytes) {
            return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip().asReadOnlyBuffer();
        }

        /** What an entry costs the cache's memory budget. */
        static int weight(String key, Entry e) {
            return e.body.length + e.gzip.length + key.length() + 512;
        }

        boolean staleAt(Instant now) {
            return rendered.validUntil() != null && !now.isBefore(rendered.validUntil());
        }

        boolean gzipSmaller() {
            return gzip.length < body.length;
        }

        boolean notModified(String ifNoneMatch, String ifModifiedSince) {
            return Validators.notModified(etag, lastModified, ifNoneMatch, ifModifiedSince);
        }
    }

    public static byte[] gzip(byte[] body) {
        return Gzip.compress(body);
    }
}
