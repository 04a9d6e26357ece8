package it.semaforo.signal.poll;

import it.semaforo.signal.ProbeResult;
import it.semaforo.signal.SignalDesk;
import it.semaforo.signal.Source;
import it.semaforo.signal.SourceKind;
import it.semaforo.signal.Sources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The input adapter of signals: polls each source at its interval on threads of its own (a
 * scheduler that looks every second for what is due, and a few workers), reads the answer with
 * the reader of its kind and hands what it says to signal.SignalDesk. A failing upstream is
 * asked again later and later (exponential backoff with jitter, up to 30 minutes); a probe
 * keeps its interval, since its failures are what it measures. Public pages share nothing with
 * it but the database, where it writes a row per poll at most.
 */
public final class Poller implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Poller.class);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(30);
    private static final int MAX_PAGES = 20;

    private final Sources sources;
    private final SignalDesk desk;
    private final Fetcher fetcher;
    private final Clock clock;
    private final PollSettings settings;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService workers;
    /** When each source is next due, in System.nanoTime(): time of the poller, not the comune's clock. */
    private final Map<Long, Long> due = new ConcurrentHashMap<>();
    private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
    private final Map<Long, Object> locks = new ConcurrentHashMap<>();
    private volatile long nextPurge;

    public Poller(Sources sources, SignalDesk desk, Clock clock, PollSettings settings) {
        this.sources = sources;
        this.desk = desk;
        this.clock = clock;
        this.settings = settings;
        this.fetcher = new Fetcher(settings);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "semaforo-signals"));
        this.workers = new ThreadPoolExecutor(settings.workers(), settings.workers(), 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> daemon(r, "semaforo-signals-poll"));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Starts polling in the background, unless signals.enabled is false (then only "Prova ora" polls). */
    public void start() {
        if (settings.background()) scheduler.scheduleWithFixedDelay(this::round, 1, 1, TimeUnit.SECONDS);
    }

    /** Every source that is due and not being polled goes to a worker. */
    private void round() {
        try {
            long now = System.nanoTime();
            // only ids and pauses, each second: a source's row is read when it is polled
            Set<Long> present = new HashSet<>();
            for (Sources.Scheduled s : sources.schedule()) {
                long id = s.id();
                present.add(id);   // a paused source keeps its turn: resumed, it is polled when next due
                if (!s.enabled() || inFlight.contains(id)) continue;
                // a new source (or one after a restart) is due at once; spread them over a second
                long when = due.computeIfAbsent(id, k -> now + ThreadLocalRandom.current().nextLong(1_000_000_000L));
                if (when - now > 0) continue;
                inFlight.add(id);
                workers.execute(() -> {
                    try {
                        poll(id);
                    } finally {
                        inFlight.remove(id);
                    }
                });
            }
            due.keySet().retainAll(present);
            locks.keySet().retainAll(present);
            if (now - nextPurge > 0) {
                nextPurge = now + TimeUnit.HOURS.toNanos(1);
                int gone = sources.purge(clock.instant());
                if (gone > 0) log.info("signals: {} probe measurements older than 90 days removed", gone);
            }
        } catch (RuntimeException e) {
            log.warn("signals: the poller's round failed; trying again in a second: {}", e.getMessage());
        }
    }

    /** Polls one source now, on the caller's thread ("Prova ora" in the admin, and tests); false if it failed. */
    public boolean poll(long id) {
        // one poll of a source at a time (the round's and a clerk's "Prova ora"): what it said is compared once
        synchronized (locks.computeIfAbsent(id, k -> new Object())) {
            Source s = sources.find(id).orElse(null);
            if (s == null) return false;
            boolean ok = s.isProbe() ? probe(s) : follow(s);
            long interval = s.interval().toNanos();
            long wait = ok || s.isProbe() ? interval : backoff(interval, sources.find(id).map(Source::failures).orElse(1));
            due.put(id, System.nanoTime() + wait);
            return ok;
        }
    }

    /** interval × 2^(failures−1), at most 30 minutes (or the interval if longer), between 75% and 125% of that. */
    static long backoff(long interval, int failures) {
        long cap = Math.max(interval, MAX_BACKOFF.toNanos());
        long d = interval;
        for (int i = 1; i < failures && d < cap; i++) d *= 2;
        d = Math.min(d, cap);
        return (long) (d * (0.75 + ThreadLocalRandom.current().nextDouble() * 0.5));
    }

    private boolean follow(Source s) {
        Instant at = clock.instant();
        try {
            switch (s.kind()) {
                case STATUSPAGE -> {
                    Fetcher.Answer a = fetcher.get(s.url(), s.timeout(), s.etag(), s.lastModified(), "application/json");
                    if (a.notModified()) return done(s, at, a, null, null);
                    requireOk(a);
                    desk.observe(s.id(), StatuspageReader.read(a.body(), s.selector(), s.url()));
                    return done(s, at, a, null, null);
                }
                case FEED -> {
                    Fetcher.Answer a = fetcher.get(s.url(), s.timeout(), s.etag(), s.lastModified(),
                            "application/atom+xml, application/rss+xml, application/xml;q=0.9, text/xml;q=0.8");
                    if (a.notModified()) return done(s, at, a, null, null);
                    requireOk(a);
                    desk.observe(s.id(), FeedReader.read(a.body(), a.uri()));
                    return done(s, at, a, null, null);
                }
                case SEMAFORO -> {
                    SemaforoReader reader = new SemaforoReader(s.memory());
                    String url = SemaforoReader.pageUrl(s.url(), s.position());
                    Fetcher.Answer first = fetcher.get(url, s.timeout(), s.etag(), null, "application/json");
                    if (first.notModified()) return done(s, at, first, null, null);
                    Fetcher.Answer a = first;
                    for (int page = 1; ; page++) {
                        requireOk(a);
                        String next = reader.page(a.body());
                        if (next == null || page >= MAX_PAGES) break;
                        fetcher.check(next);
                        a = fetcher.get(next, s.timeout(), null, null, "application/json");
                    }
                    desk.observe(s.id(), reader.reading(s.selector(), s.url()));
                    // the validator of the page asked first stays useful only while the position does not move
                    return done(s, at, first, reader.position(), reader.memory());
                }
                case PROBE -> throw new IllegalStateException("a probe is measured, not followed");
            }
        } catch (FetchFailure f) {
            int failures = sources.failed(s.id(), at, stored(f));
            if (failures == 1) log.info("signals: source {} ({}) failed: {}", s.name(), s.url(), f.getMessage());
            return false;
        } catch (RuntimeException e) {
            sources.failed(s.id(), at, "signals.error.internal");
            log.warn("signals: source {} could not be read", s.name(), e);
            return false;
        }
        return false;
    }

    private boolean done(Source s, Instant at, Fetcher.Answer a, String position, String memory) {
        boolean semaforo = s.kind() == SourceKind.SEMAFORO;
        // a Semaforo's validator belongs to the page after its position: a new position asks without one
        String etag = semaforo && position != null && !position.equals(s.position()) ? "" : a.etag();
        sources.succeeded(s.id(), at, etag, semaforo ? null : a.lastModified(), position, memory);
        return true;
    }

    private static void requireOk(Fetcher.Answer a) throws FetchFailure {
        if (a.status() < 200 || a.status() > 299) throw new FetchFailure("signals.error.status", a.status());
    }

    private boolean probe(Source s) {
        Instant at = clock.instant();
        long start = System.nanoTime();
        try {
            Fetcher.Answer a = fetcher.get(s.url(), s.timeout(), null, null, "*/*");
            boolean statusOk = a.status() == s.expectedStatus();
            boolean textOk = s.selector().isBlank()
                    || new String(a.body(), java.nio.charset.StandardCharsets.UTF_8).contains(s.selector());
            String error = !statusOk ? "signals.error.expected\n" + s.expectedStatus() + "\n" + a.status()
                    : !textOk ? "signals.error.text\n" + s.selector() : null;
            desk.probed(s.id(), new ProbeResult(at, error == null, a.status(), a.millis()), error);
            return error == null;
        } catch (FetchFailure f) {
            desk.probed(s.id(), new ProbeResult(at, false, 0, (System.nanoTime() - start) / 1_000_000), stored(f));
            return false;
        } catch (RuntimeException e) {
            sources.failed(s.id(), at, "signals.error.internal");
            log.warn("signals: probe {} could not run", s.name(), e);
            return false;
        }
    }

    /** A failure as stored: its message key, then its arguments, one a line (the admin words it). */
    static String stored(FetchFailure f) {
        StringBuilder b = new StringBuilder(f.key());
        for (Object a : f.args()) b.append('\n').append(String.valueOf(a).replace('\n', ' '));
        return b.toString();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        workers.shutdownNow();
        fetcher.close();
    }
}
