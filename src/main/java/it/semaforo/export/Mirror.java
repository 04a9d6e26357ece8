package it.semaforo.export;

import it.semaforo.db.Database;
import it.semaforo.event.ChangeEvent;
import it.semaforo.event.LoggedEvent;
import it.semaforo.event.Subscribers;
import it.semaforo.render.PublicAddress;
import it.semaforo.render.Rendered;
import it.semaforo.text.JsonText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

/**
 * The static copies kept current: a durable subscriber of the event log turns each public
 * change into the addresses it can alter (by the topics each output gives its addresses),
 * queued in the database for every target; one thread per target renders them again with the
 * export's code, writes only the files whose bytes changed, deletes those that no longer
 * exist, and writes the manifest last, once nothing waits. Pages carry a dated banner
 * (between Rendered.STATIC_COPY_START and STATIC_COPY_END), their only difference from the
 * server's. A target that fails keeps its queue and is tried again with a growing pause.
 */
public final class Mirror implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Mirror.class);
    /** The manifest's index; its parts are under PARTS (docs/operations.md, "The mirror"). */
    public static final String MANIFEST = "manifest.json";
    public static final String PARTS = "manifest/";
    static final int MANIFEST_FORMAT = 2;
    private static final String JSON = "application/json; charset=utf-8";
    /** Archive pages per part of the manifest: ten avvisi a page, the 1,000 places of a numbered sitemap. */
    static final int PAGES_PER_PART = 100;
    private static final int CHUNK = 64;
    private static final int BACKGROUND_CHUNK = 8;
    private static final List<String> LANGUAGES = List.of("it", "en", "de", "ja");
    private static final Duration MAX_PAUSE = Duration.ofMinutes(1);
    /** As the server answers: fingerprinted assets never change; everything else briefly cached. */
    static final String IMMUTABLE = "public, max-age=31536000, immutable";
    static final String SHORT = "public, max-age=30, stale-while-revalidate=60, stale-if-error=86400";

    private final MirrorQueue queue;
    private final Addresses addresses;
    private final List<MirrorTarget> targets;
    private final BiFunction<String, Instant, String> banner;
    private final String siteLanguage;
    private final Clock clock;
    private final List<Worker> workers = new java.util.concurrent.CopyOnWriteArrayList<>();
    /**
     * Every address with its renderer, by path: listed whole by a full pass, then kept current by
     * each change (what it reaches put, what it removed taken out) before the work it makes is queued.
     */
    private volatile Map<String, PublicAddress> current = new ConcurrentHashMap<>();
    /** What each avviso has (its pages, JSON, attachments), and the avvisi whose pages show a service's state. */
    private final Map<Long, Set<String>> pathsByNotice = new HashMap<>();
    private final Map<String, Set<Long>> noticesByState = new HashMap<>();
    /** The manifest's part of each avviso's files: the number of its sitemap (Addresses#sitemapNumbers). */
    private final Map<Long, Integer> noticeParts = new ConcurrentHashMap<>();
    /**
     * Bumped after each change's addresses are in current and before its work is queued: a
     * rendering begun at generation g holds every change queued up to g, so another target may take it.
     */
    private final AtomicLong generation = new AtomicLong();
    /** Renderings the targets share: each address rendered once per change, whatever the number of targets. */
    private final Map<String, Shared> shared = new ConcurrentHashMap<>();
    /**
     * Bumped when a change queues what a resident sees first: a chunk of background work (the
     * archive's pages, a full pass) begun before leaves its remaining rows queued for later.
     */
    private final AtomicLong urgent = new AtomicLong();
    private volatile boolean closed;

    /**
     * Where the mirror finds the addresses and their renderers (app.Semaforo: from every output,
     * render.PublicOutput): all of them, for a full pass; or those a change reaches
     * (PublicOutput#changed), for the avvisi ids (loaded afresh), of which altered changed and
     * moved entered or left the archive, and the topics the change reaches.
     */
    public interface Addresses {
        List<PublicAddress> all();

        List<PublicAddress> changed(Set<Long> ids, Set<Long> altered, Set<Long> moved, Set<String> topics);

        /**
         * The number of the sitemap that lists each avviso of ids (web.PublicSite#sitemapNumbers:
         * its place in the archive from the oldest, 1,000 places each), for the manifest's part of
         * its files; none for an avviso without a place.
         */
        default Map<Long, Integer> sitemapNumbers(Set<Long> ids) {
            return Map.of();
        }
    }

    private record Shared(long generation, CompletableFuture<StaticExport.Outcome> outcome, AtomicInteger uses) {
    }

    /**
     * addresses: see Addresses; banner: the dated notice of a copy's page in a language at an
     * instant (web.ErrorPages.staticCopyNotice).
     */
    public Mirror(Database db, Addresses addresses, List<MirrorTarget> targets,
                  BiFunction<String, Instant, String> banner, Locale siteLanguage, Clock clock) {
        this.queue = new MirrorQueue(db);
        this.addresses = addresses;
        this.targets = List.copyOf(targets);
        this.banner = banner;
        this.siteLanguage = siteLanguage.getLanguage();
        this.clock = clock;
        this.targets.forEach(t -> queue.ensure(t.name()));
    }

    /**
     * What the admin and /health show of a target. state: ok (it holds the site as it is, manifest
     * included), syncing, or failing (lastError); lagSeconds: how long the oldest change has waited.
     */
    public record Status(String target, String state, long pending, long lagSeconds, Instant syncedAt, String lastError,
                         Instant lastErrorAt) {
    }

    public List<Status> status() {
        Instant now = clock.instant();
        return targets.stream().map(t -> {
            MirrorQueue.TargetState s = queue.state(t.name());
            long lag = s.oldestPending() == null ? 0 : Math.max(0, Duration.between(s.oldestPending(), now).toSeconds());
            String state = s.lastError() != null ? "failing" : s.pending() > 0 || s.manifestDue() ? "syncing" : "ok";
            return new Status(t.name(), state, s.pending(), lag, s.syncedAt(), s.lastError(), s.lastErrorAt());
        }).toList();
    }

    /**
     * Starts the targets' threads after a full pass is queued: every address is compared with
     * what each target holds (a new version of the program renders other bytes; the copy may
     * have been touched by hand), and only differences are written.
     */
    public void start() {
        // beside the server's start: listing a large comune's addresses takes a while
        Thread starter = new Thread(this::startNow, "semaforo-mirror-start");
        starter.setDaemon(true);
        starter.start();
    }

    private synchronized void startNow() {
        if (closed) return;
        try {
            queueFullPass();
        } catch (RuntimeException e) {   // the copies are compared again at the next start or new day
            log.warn("the mirror could not queue its full pass; it mirrors the changes from now on", e);
        }
        for (MirrorTarget t : targets) {
            Worker w = new Worker(t);
            workers.add(w);
            w.thread.start();
        }
    }

    private void queueFullPass() {
        fullPass(false);
    }

    /**
     * Every address listed afresh and queued after what changes queue (the archive's pages before
     * the rest when a change asked for it: a new day, the catalogue); what no longer exists removed.
     */
    private synchronized void fullPass(boolean archiveFirst) {
        List<PublicAddress> all = addresses.all();
        Map<String, PublicAddress> byPath = new ConcurrentHashMap<>(all.size() * 2);
        all.forEach(a -> byPath.put(a.path(), a));
        pathsByNotice.clear();
        noticesByState.clear();
        index(all);
        Map<Long, Integer> parts = addresses.sitemapNumbers(pathsByNotice.keySet());
        noticeParts.keySet().retainAll(parts.keySet());
        noticeParts.putAll(parts);
        current = byPath;
        generation.incrementAndGet();
        Instant now = clock.instant();
        List<MirrorQueue.Work> work = new ArrayList<>(all.size());
        all.forEach(a -> work.add(new MirrorQueue.Work(a.path(), a.inArchive() && archiveFirst ? MirrorQueue.ARCHIVE : MirrorQueue.FULL)));
        for (MirrorTarget t : targets) {
            List<MirrorQueue.Work> gone = new ArrayList<>();
            for (String path : queue.storedPaths(t.name())) {
                if (!byPath.containsKey(path)) gone.add(new MirrorQueue.Work(path, MirrorQueue.CHANGED));
            }
            queue.enqueue(List.of(t.name()), gone, now);
        }
        queue.enqueue(names(), work, now);
        workers.forEach(Worker::wake);
    }

    /** Records what each avviso's addresses are, and which of them show a service's state. */
    private void index(List<PublicAddress> listed) {
        for (PublicAddress a : listed) {
            Long id = a.noticeId();
            if (id == null) continue;
            pathsByNotice.computeIfAbsent(id, k -> new HashSet<>()).add(a.path());
            for (String t : a.topics()) {
                if (t.startsWith("state:")) noticesByState.computeIfAbsent(t, k -> new HashSet<>()).add(id);
            }
        }
    }

    /** The durable subscriber: queues what a batch of public changes can have altered, and wakes the targets' threads. */
    public Subscribers.Subscriber subscriber() {
        return this::deliver;
    }

    /**
     * From the events alone, what they can have altered: the avvisi they are about (their pages
     * in every language, JSON, attachments; the archive's pages that show them, or every page of
     * their lists when they entered or left it), the services they name, the pages that show a
     * state that moved, and what any change alters (home pages, feeds, the APIs' lists). Only
     * those are listed, with no walk of the whole site; a new day, the catalogue or an import
     * list everything again.
     */
    synchronized void deliver(List<LoggedEvent> batch) {
        Set<String> topics = new HashSet<>();
        Set<Long> altered = new HashSet<>();
        Set<Long> moved = new HashSet<>();
        boolean any = false;
        boolean full = false;
        for (LoggedEvent logged : batch) {
            ChangeEvent e = logged.event();
            if (e instanceof ChangeEvent.DayBegan || e instanceof ChangeEvent.CatalogChanged
                    || e instanceof ChangeEvent.NoticesImported) {
                full = true;   // the 90-day histories move, the lists of services, many avvisi at once: everything
            } else if (e instanceof ChangeEvent.ServiceStateChanged s) {
                any = true;
                topics.add(PublicAddress.service(s.service().slug()));
                topics.add(PublicAddress.state(s.service().slug()));
            } else if (e instanceof ChangeEvent.NoticeEvent n && n.isPublic()) {
                any = true;
                long id = n.notice().id();
                altered.add(id);
                topics.add(PublicAddress.notice(id));
                for (ChangeEvent.ServiceChange s : n.services()) {
                    topics.add(PublicAddress.service(s.slug()));
                    if (s.changed()) topics.add(PublicAddress.state(s.slug()));
                }
                if (n instanceof ChangeEvent.NoticePublished || n instanceof ChangeEvent.NoticeBecamePublic
                        || n instanceof ChangeEvent.NoticeWithdrawn) {
                    moved.add(id);   // in or out of the archive: its lists' landings and newest pages change
                }
            } else if (e.isPublic()) {
                full = true;   // a kind of change this list does not know yet: everything, to be safe
            }
        }
        if (full) {
            fullPass(true);
            return;
        }
        if (!any) return;
        Set<Long> ids = new HashSet<>(altered);
        for (String t : topics) {
            if (t.startsWith("state:")) ids.addAll(noticesByState.getOrDefault(t, Set.of()));
        }
        long listing = System.nanoTime();
        List<PublicAddress> reached = addresses.changed(ids, altered, moved, topics);
        log.debug("mirror: {} events reach {} addresses, listed in {} ms", batch.size(), reached.size(),
                (System.nanoTime() - listing) / 1_000_000);
        // what an avviso the change is about had and no longer has (an attachment, a page at an old slug)
        Map<Long, Set<String>> now = new HashMap<>();
        for (PublicAddress a : reached) {
            Long id = a.noticeId();
            if (id != null && altered.contains(id)) now.computeIfAbsent(id, k -> new HashSet<>()).add(a.path());
        }
        List<MirrorQueue.Work> gone = new ArrayList<>();
        for (Long id : altered) {
            Set<String> after = now.getOrDefault(id, Set.of());
            for (String path : pathsByNotice.getOrDefault(id, Set.of())) {
                if (!after.contains(path)) gone.add(new MirrorQueue.Work(path, MirrorQueue.CHANGED));
            }
            pathsByNotice.remove(id);
        }
        index(reached);
        Set<Long> shown = new HashSet<>();
        reached.forEach(a -> {
            if (a.noticeId() != null) shown.add(a.noticeId());
        });
        if (!shown.isEmpty()) noticeParts.putAll(addresses.sitemapNumbers(shown));
        Map<String, PublicAddress> byPath = current;
        reached.forEach(a -> byPath.put(a.path(), a));
        gone.forEach(w -> byPath.remove(w.path()));
        generation.incrementAndGet();
        Instant at = clock.instant();
        List<MirrorQueue.Work> first = new ArrayList<>();
        List<MirrorQueue.Work> archive = new ArrayList<>();
        for (PublicAddress a : reached) {
            if (a.inArchive()) archive.add(new MirrorQueue.Work(a.path(), MirrorQueue.ARCHIVE));
            else first.add(new MirrorQueue.Work(a.path(), MirrorQueue.CHANGED));
        }
        first.addAll(gone);
        // what a resident sees first is queued (and taken) before the archive's many pages
        queue.enqueue(names(), first, at);
        urgent.incrementAndGet();
        workers.forEach(Worker::wake);
        queue.enqueue(names(), archive, at);
        workers.forEach(Worker::wake);
    }

    private List<String> names() {
        return targets.stream().map(MirrorTarget::name).toList();
    }

    /** One target's thread: takes its work from the queue, most urgent first, until closed. */
    private final class Worker implements Runnable {
        final MirrorTarget target;
        final Thread thread;
        private final Object signal = new Object();
        private boolean woken;
        private int failures;

        Worker(MirrorTarget target) {
            this.target = target;
            this.thread = new Thread(this, "semaforo-mirror-" + target.name());
            this.thread.setDaemon(true);
        }

        void wake() {
            synchronized (signal) {
                woken = true;
                signal.notifyAll();
            }
        }

        private void await(Duration d) throws InterruptedException {
            synchronized (signal) {
                if (!woken) signal.wait(Math.max(1, d.toMillis()));
                woken = false;
            }
        }

        @Override
        public void run() {
            while (!closed) {
                try {
                    boolean more = step();
                    if (failures > 0) {
                        log.info("mirror target {} works again after {} failures", target.name(), failures);
                        failures = 0;
                        queue.recovered(target.name());
                    }
                    if (!more) await(Duration.ofSeconds(5));
                } catch (InterruptedException e) {
                    return;
                } catch (Exception | LinkageError e) {
                    if (closed) return;
                    failures++;
                    String message = e.getClass().getSimpleName() + ": " + e.getMessage();
                    if (failures == 1) log.warn("mirror target {} failed; its work stays queued and will be tried again", target.name(), e);
                    else log.warn("mirror target {} failed again ({} times): {}", target.name(), failures, message);
                    try {
                        queue.failed(target.name(), message, clock.instant());
                        Duration pause = Duration.ofSeconds(1L << Math.min(failures, 6));
                        Thread.sleep((pause.compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause).toMillis());
                    } catch (InterruptedException stop) {
                        return;
                    } catch (RuntimeException dbToo) {
                        log.warn("mirror target {}: cannot record the failure: {}", target.name(), dbToo.getMessage());
                    }
                }
            }
        }

        /** One chunk of work; false when nothing was waiting. */
        private boolean step() throws Exception {
            List<MirrorQueue.Pending> rows = queue.take(target.name(), CHUNK);
            // read after taking the rows: a list published later comes with work queued again (a newer version)
            long g = generation.get();
            Map<String, PublicAddress> byPath = current;
            if (rows.isEmpty()) {
                if (queue.manifestDue(target.name())) {
                    if (!writeManifest()) return true;   // a change came: its files first, the manifest after them
                    queue.synced(target.name(), clock.instant());
                }
                return false;
            }
            // what waits behind a change (the archive's pages, a full pass) goes in small chunks, so a
            // change queued meanwhile is taken soon; each page with its other languages, which share its queries
            if (rows.get(0).priority() != MirrorQueue.CHANGED && rows.size() > BACKGROUND_CHUNK) {
                rows = queue.withLanguages(target.name(), rows.subList(0, BACKGROUND_CHUNK), LANGUAGES);
            }
            Map<String, MirrorQueue.Stored> held = queue.stored(target.name(), rows.stream().map(MirrorQueue.Pending::path).toList());
            // rendered on every core (as the export does), each file written as soon as it is rendered
            java.util.Queue<MirrorQueue.Result> results = new java.util.concurrent.ConcurrentLinkedQueue<>();
            java.util.concurrent.atomic.AtomicReference<Exception> failure = new java.util.concurrent.atomic.AtomicReference<>();
            // a background chunk gives way to a change queued meanwhile: its rows not yet begun stay queued
            boolean background = rows.get(0).priority() != MirrorQueue.CHANGED;
            long urgentAt = urgent.get();
            long started = System.nanoTime();
            Map<String, Long> took = log.isDebugEnabled() ? new ConcurrentHashMap<>() : null;
            rows.parallelStream().forEach(row -> {
                if (failure.get() != null || background && urgent.get() != urgentAt) return;
                try {
                    long t0 = System.nanoTime();
                    PublicAddress address = byPath.get(row.path());
                    results.add(sync(row, outcome(row.path(), address, g), held.get(row.path()), part(row.path(), address)));
                    if (took != null) took.put(row.path(), (System.nanoTime() - t0) / 1_000_000);
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                }
            });
            queue.complete(target.name(), new ArrayList<>(results));   // what was done before a failure stays done
            if (took != null) {
                // where a pass's time goes (SEMAFORO's log at debug for this class): the chunk, then its slowest addresses
                List<Map.Entry<String, Long>> slowest = took.entrySet().stream()
                        .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(8).toList();
                log.debug("mirror {}: {} addresses (priority {}) in {} ms; slowest {}", target.name(), rows.size(),
                        rows.get(0).priority(), (System.nanoTime() - started) / 1_000_000, slowest);
            }
            if (failure.get() != null) throw failure.get();
            return true;
        }

        /** The rendering of an address at generation g or later: another target's, or this one's, shared. */
        private StaticExport.Outcome outcome(String path, PublicAddress address, long g) {
            if (address == null) return null;
            if (targets.size() < 2) return render(address);
            Shared fresh = new Shared(g, new CompletableFuture<>(), new AtomicInteger());
            Shared s = shared.compute(path, (k, old) -> old != null && old.generation() >= g ? old : fresh);
            if (s == fresh) {
                if (shared.size() > 4096) shared.keySet().removeIf(k -> !k.equals(path));   // a target far behind: forget
                try {
                    fresh.outcome().complete(render(address));
                } catch (RuntimeException e) {
                    shared.remove(path, fresh);
                    fresh.outcome().completeExceptionally(e);
                    throw e;
                }
            }
            StaticExport.Outcome o;
            try {
                o = s.outcome().join();
            } catch (java.util.concurrent.CompletionException e) {
                if (e.getCause() instanceof RuntimeException r) throw r;
                throw e;
            }
            if (s.uses().incrementAndGet() >= targets.size()) shared.remove(path, s);
            return o;
        }

        /** null: no longer an address. A rendering that fails is logged and leaves the copy's file as it was. */
        private StaticExport.Outcome render(PublicAddress address) {
            if (address == null) return null;
            try {
                return StaticExport.render(address);
            } catch (it.semaforo.db.DatabaseException e) {
                throw e;   // the database, not the address: the whole chunk is tried again later
            } catch (RuntimeException e) {
                log.warn("mirror: could not render {}; its copy stays as it was", address.path(), e);
                return new StaticExport.Outcome.Missing(500);
            }
        }

        private MirrorQueue.Result sync(MirrorQueue.Pending row, StaticExport.Outcome outcome, MirrorQueue.Stored old,
                                        String part) throws Exception {
            if (outcome instanceof StaticExport.Outcome.Missing m && m.status() >= 500) {
                return new MirrorQueue.Result(row, old, false);   // a failure of ours is no reason to delete the copy's file
            }
            if (!(outcome instanceof StaticExport.Outcome.File file)) {
                // no longer an address, or one that answers no file (a redirect, an error): nothing to hold
                if (old == null) return new MirrorQueue.Result(row, null, false);
                target.delete(old.file());
                return new MirrorQueue.Result(row, null, true);
            }
            Rendered r = file.rendered();
            String name = StaticExport.fileFor(row.path(), r.contentType(), r.status());
            String renderedSha = sha256(r.body());
            if (old != null && old.renderedSha().equals(renderedSha) && old.file().equals(name)) {
                // the same bytes; listed by another part of the manifest (rows written before the split, an avviso's sitemap)
                return old.part().equals(part) ? new MirrorQueue.Result(row, old, false)
                        : new MirrorQueue.Result(row, old.inPart(part), true);
            }
            Instant now = clock.instant();
            String language = language(row.path(), r.contentType());
            byte[] body = r.body();
            if (r.contentType().startsWith("text/html") && language != null) body = withBanner(body, language, now);
            String cacheControl = row.path().startsWith("/assets/") ? IMMUTABLE : SHORT;
            target.put(new MirrorTarget.MirrorFile(name, body, r.contentType(), language, cacheControl));
            if (old != null && !old.file().equals(name)) target.delete(old.file());
            return new MirrorQueue.Result(row, new MirrorQueue.Stored(row.path(), name, renderedSha, sha256(body), body.length,
                    r.contentType(), language, now, part), true);
        }

        /**
         * The manifest: each part whose entries changed written again under a name of its hash,
         * then the index that names them all (MANIFEST), then the part files that neither this
         * index nor the one before it names deleted. Gives way (false) when a change queues what
         * residents see first meanwhile: the parts written so far stay written, the index waits.
         */
        private boolean writeManifest() throws Exception {
            long started = System.nanoTime();
            long urgentAt = urgent.get();
            long generation = queue.generation(target.name()) + 1;
            List<String> due = queue.dueParts(target.name());
            for (String part : due) {
                if (urgent.get() != urgentAt) {
                    log.debug("mirror {}: manifest left for after a change", target.name());
                    return false;
                }
                writePart(part, generation);
            }
            List<MirrorQueue.Part> parts = queue.parts(target.name());
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(1 << 14);
            long entries = 0;
            try (com.fasterxml.jackson.core.JsonGenerator json = JsonText.MAPPER.getFactory().createGenerator(out)) {
                json.writeStartObject();
                json.writeNumberField("format", MANIFEST_FORMAT);
                json.writeNumberField("generation", generation);
                json.writeStringField("generatedAt", clock.instant().toString());
                for (MirrorQueue.Part p : parts) entries += p.entries();
                json.writeNumberField("entries", entries);
                json.writeArrayFieldStart("parts");
                for (MirrorQueue.Part p : parts) {
                    json.writeStartObject();
                    json.writeStringField("part", p.part());
                    json.writeStringField("path", p.file());
                    json.writeNumberField("entries", p.entries());
                    json.writeNumberField("size", p.size());
                    json.writeStringField("sha256", p.sha256());
                    json.writeEndObject();
                }
                json.writeEndArray();
                json.writeEndObject();
            }
            target.put(new MirrorTarget.MirrorFile(MANIFEST, out.toByteArray(), JSON, null, "no-cache"));
            queue.indexWritten(target.name(), generation);
            for (String file : queue.retired(target.name(), generation)) {
                target.delete(file);
                queue.deleted(target.name(), file);
            }
            log.debug("mirror {}: manifest of {} entries, {} of {} parts written in {} ms", target.name(), entries, due.size(),
                    parts.size(), (System.nanoTime() - started) / 1_000_000);
            return true;
        }

        /**
         * One part: its entries as the rows are read, in the shape of {"part":…,"files":[{"path":…},…]};
         * written under manifest/PART.HASH.json, a name no other content has, so that a reader of an
         * index finds the very part it names, or none.
         */
        private void writePart(String part, long generation) throws Exception {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(1 << 16);
            long[] entries = {0};
            try (com.fasterxml.jackson.core.JsonGenerator json = JsonText.MAPPER.getFactory().createGenerator(out)) {
                json.writeStartObject();
                json.writeStringField("part", part);
                json.writeArrayFieldStart("files");
                queue.manifest(target.name(), part, s -> {
                    try {
                        json.writeStartObject();
                        json.writeStringField("path", s.file());
                        json.writeStringField("address", s.path());
                        json.writeNumberField("size", s.size());
                        json.writeStringField("sha256", s.sha256());
                        json.writeStringField("contentType", s.contentType());
                        json.writeStringField("language", s.language());
                        json.writeEndObject();
                        entries[0]++;
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                json.writeEndArray();
                json.writeEndObject();
            }
            if (entries[0] == 0) {   // nothing left in it: the next index names it no more
                queue.partWritten(target.name(), part, null, generation);
                return;
            }
            byte[] body = out.toByteArray();
            String sha = sha256(body);
            String file = PARTS + part + "." + sha.substring(0, 16) + ".json";
            queue.writing(target.name(), file, generation);
            target.put(new MirrorTarget.MirrorFile(file, body, JSON, null, IMMUTABLE));
            queue.partWritten(target.name(), part, new MirrorQueue.Part(part, file, entries[0], body.length, sha), generation);
        }
    }

    /**
     * The part of the manifest that lists an address's file: an avviso's files with its sitemap
     * (avvisi-N), an archive list's pages by its filters and blocks of PAGES_PER_PART
     * (archivio-servizio-anagrafe-1; the list's first address with its first block), anything
     * else in pagine. So a publication reaches the newest avvisi-N, the newest blocks of its
     * lists and pagine, each a small part.
     */
    String part(String path, PublicAddress address) {
        Long id = address == null ? null : address.noticeId();
        Integer k = id == null ? null : noticeParts.get(id);
        if (k != null) return "avvisi-" + k;
        String p = path;
        for (String tag : LANGUAGES) {
            if (p.startsWith("/" + tag + "/")) {
                p = p.substring(tag.length() + 1);
                break;
            }
        }
        if (address == null || !address.inArchive() || !(p.equals("/avvisi") || p.startsWith("/avvisi/"))) return "pagine";
        String list = p.substring("/avvisi".length());
        int page = 1;
        int at = list.lastIndexOf("/pagina/");
        if (at >= 0) {
            try {
                page = Math.max(1, Integer.parseInt(list.substring(at + "/pagina/".length())));
            } catch (NumberFormatException e) {
                page = 1;
            }
            list = list.substring(0, at);
        }
        String name = list.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        return "archivio" + (name.isEmpty() || name.startsWith("-") ? name : "-" + name).replaceAll("-+$", "")
                + "-" + ((page - 1) / PAGES_PER_PART + 1);
    }

    /** The page with its dated banner at Rendered.STALE_MARK; a page without the mark (the embed's) unchanged. */
    byte[] withBanner(byte[] html, String language, Instant at) {
        String page = new String(html, StandardCharsets.UTF_8);
        int mark = page.indexOf(Rendered.STALE_MARK);
        if (mark < 0) return html;
        int after = mark + Rendered.STALE_MARK.length();
        return (page.substring(0, after) + banner.apply(language, at) + page.substring(after)).getBytes(StandardCharsets.UTF_8);
    }

    /** The language of a file's text: the page's prefix, else the site's for what the server renders in it; null for files. */
    String language(String path, String contentType) {
        for (String tag : LANGUAGES) {
            if (path.equals("/" + tag + "/") || path.startsWith("/" + tag + "/")) return tag;
        }
        if (path.startsWith("/assets/") || path.startsWith("/static/") || path.startsWith("/allegati/")) return null;
        boolean text = contentType.startsWith("text/html") || contentType.contains("json") || contentType.contains("xml")
                || contentType.startsWith("text/calendar") || contentType.contains("javascript");
        return text ? siteLanguage : null;
    }

    /** The page as the server answers it: the copy's banner taken out. */
    public static String withoutBanner(String page) {
        int start = page.indexOf(Rendered.STATIC_COPY_START);
        int end = page.indexOf(Rendered.STATIC_COPY_END);
        if (start < 0 || end < start) return page;
        return page.substring(0, start) + page.substring(end + Rendered.STATIC_COPY_END.length());
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        synchronized (this) {   // not while startNow is starting the threads
            closed = true;
        }
        for (Worker w : workers) {
            w.thread.interrupt();
            try {
                w.thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        targets.forEach(MirrorTarget::close);
    }
}
