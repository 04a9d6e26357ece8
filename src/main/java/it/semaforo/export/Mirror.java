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
import java.util.function.BiFunction;
import java.util.function.Supplier;

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
    public static final String MANIFEST = "manifest.json";
    private static final int CHUNK = 64;
    private static final Duration MAX_PAUSE = Duration.ofMinutes(1);
    /** As the server answers: fingerprinted assets never change; everything else briefly cached. */
    static final String IMMUTABLE = "public, max-age=31536000, immutable";
    static final String SHORT = "public, max-age=30, stale-while-revalidate=60, stale-if-error=86400";

    private final MirrorQueue queue;
    private final Supplier<List<PublicAddress>> addresses;
    private final List<MirrorTarget> targets;
    private final BiFunction<String, Instant, String> banner;
    private final String siteLanguage;
    private final Clock clock;
    private final List<Worker> workers = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The latest list of addresses, by path: published before the work it makes is queued. */
    private volatile Map<String, PublicAddress> current = Map.of();
    private volatile boolean closed;

    /**
     * addresses: every public address, listed afresh (Semaforo.publicAddresses); banner: the
     * dated notice of a copy's page in a language at an instant (web.ErrorPages.staticCopyNotice).
     */
    public Mirror(Database db, Supplier<List<PublicAddress>> addresses, List<MirrorTarget> targets,
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
        List<PublicAddress> all = addresses.get();
        publish(all);
        List<MirrorQueue.Work> work = new ArrayList<>();
        all.forEach(a -> work.add(new MirrorQueue.Work(a.path(), MirrorQueue.FULL)));
        for (MirrorTarget t : targets) {
            List<MirrorQueue.Work> gone = new ArrayList<>();
            for (String path : queue.storedPaths(t.name())) {
                if (!current.containsKey(path)) gone.add(new MirrorQueue.Work(path, MirrorQueue.CHANGED));
            }
            queue.enqueue(List.of(t.name()), gone, clock.instant());
        }
        queue.enqueue(names(), work, clock.instant());
    }

    /** The durable subscriber: queues what a batch of public changes can have altered, and wakes the targets' threads. */
    public Subscribers.Subscriber subscriber() {
        return this::deliver;
    }

    void deliver(List<LoggedEvent> batch) {
        Set<String> topics = new HashSet<>();
        boolean any = false;
        boolean full = false;
        boolean removals = false;
        for (LoggedEvent logged : batch) {
            ChangeEvent e = logged.event();
            if (e instanceof ChangeEvent.DayBegan) {
                full = true;   // the 90-day histories move: everything
            } else if (e instanceof ChangeEvent.CatalogChanged || e instanceof ChangeEvent.NoticesImported) {
                full = removals = true;
            } else if (e instanceof ChangeEvent.ServiceStateChanged s) {
                any = true;
                topics.add(PublicAddress.service(s.service().slug()));
                topics.add(PublicAddress.state(s.service().slug()));
            } else if (e instanceof ChangeEvent.NoticeEvent n && n.isPublic()) {
                any = true;
                topics.add(PublicAddress.notice(n.notice().id()));
                topics.add(PublicAddress.ARCHIVE);
                for (ChangeEvent.ServiceChange s : n.services()) {
                    topics.add(PublicAddress.service(s.slug()));
                    if (s.changed()) topics.add(PublicAddress.state(s.slug()));
                }
                // a withdrawal takes attachments down and shortens the archive; a removal takes a file down
                if (n instanceof ChangeEvent.NoticeWithdrawn || n instanceof ChangeEvent.AttachmentRemoved) removals = true;
            } else if (e.isPublic()) {
                full = removals = true;   // a kind of change this list does not know yet: everything, to be safe
            }
        }
        if (!any && !full) return;
        List<PublicAddress> all = addresses.get();
        publish(all);
        List<MirrorQueue.Work> work = new ArrayList<>();
        for (PublicAddress a : all) {
            boolean fixed = a.topics().contains(PublicAddress.FIXED);
            boolean archive = a.topics().contains(PublicAddress.ARCHIVE);
            boolean hit = full || (!fixed && a.topics().isEmpty()) || a.topics().stream().anyMatch(topics::contains);
            if (hit) work.add(new MirrorQueue.Work(a.path(), archive ? MirrorQueue.ARCHIVE : full ? MirrorQueue.FULL : MirrorQueue.CHANGED));
        }
        Instant now = clock.instant();
        // what a resident sees first is queued (and taken) before the archive's many pages
        queue.enqueue(names(), work.stream().filter(w -> w.priority() != MirrorQueue.ARCHIVE).toList(), now);
        workers.forEach(Worker::wake);
        queue.enqueue(names(), work.stream().filter(w -> w.priority() == MirrorQueue.ARCHIVE).toList(), now);
        if (removals) {
            for (MirrorTarget t : targets) {
                List<MirrorQueue.Work> gone = new ArrayList<>();
                for (String path : queue.storedPaths(t.name())) {
                    if (!current.containsKey(path)) gone.add(new MirrorQueue.Work(path, MirrorQueue.CHANGED));
                }
                queue.enqueue(List.of(t.name()), gone, now);
            }
        }
        workers.forEach(Worker::wake);
    }

    private void publish(List<PublicAddress> all) {
        Map<String, PublicAddress> byPath = new HashMap<>(all.size() * 2);
        all.forEach(a -> byPath.put(a.path(), a));
        current = byPath;
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
            Map<String, PublicAddress> byPath = current;
            if (rows.isEmpty()) {
                if (queue.manifestDue(target.name())) {
                    writeManifest();
                    queue.synced(target.name(), clock.instant());
                }
                return false;
            }
            Map<String, MirrorQueue.Stored> held = queue.stored(target.name(), rows.stream().map(MirrorQueue.Pending::path).toList());
            // rendered on every core (as the export does), written one by one
            List<StaticExport.Outcome> outcomes = rows.parallelStream().map(row -> render(byPath.get(row.path()))).toList();
            List<MirrorQueue.Result> results = new ArrayList<>();
            try {
                for (int i = 0; i < rows.size(); i++) {
                    results.add(sync(rows.get(i), outcomes.get(i), held.get(rows.get(i).path())));
                }
            } finally {
                queue.complete(target.name(), results);   // what was done before a failure stays done
            }
            return true;
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

        private MirrorQueue.Result sync(MirrorQueue.Pending row, StaticExport.Outcome outcome, MirrorQueue.Stored old) throws Exception {
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
            String name = StaticExport.fileFor(row.path(), r.contentType());
            String renderedSha = sha256(r.body());
            if (old != null && old.renderedSha().equals(renderedSha) && old.file().equals(name)) {
                return new MirrorQueue.Result(row, old, false);
            }
            Instant now = clock.instant();
            String language = language(row.path(), r.contentType());
            byte[] body = r.body();
            if (r.contentType().startsWith("text/html") && language != null) body = withBanner(body, language, now);
            String cacheControl = row.path().startsWith("/assets/") ? IMMUTABLE : SHORT;
            target.put(new MirrorTarget.MirrorFile(name, body, r.contentType(), language, cacheControl));
            if (old != null && !old.file().equals(name)) target.delete(old.file());
            return new MirrorQueue.Result(row, new MirrorQueue.Stored(row.path(), name, renderedSha, sha256(body), body.length,
                    r.contentType(), language, now), true);
        }

        private void writeManifest() throws Exception {
            List<Map<String, Object>> files = new ArrayList<>();
            for (MirrorQueue.Stored s : queue.manifest(target.name())) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("path", s.file());
                f.put("address", s.path());
                f.put("size", s.size());
                f.put("sha256", s.sha256());
                f.put("contentType", s.contentType());
                f.put("language", s.language());
                files.add(f);
            }
            Map<String, Object> manifest = new LinkedHashMap<>();
            manifest.put("generatedAt", clock.instant().toString());
            manifest.put("files", files);
            target.put(new MirrorTarget.MirrorFile(MANIFEST, JsonText.write(manifest).getBytes(StandardCharsets.UTF_8),
                    "application/json; charset=utf-8", null, "no-cache"));
        }
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
        for (String tag : List.of("it", "en", "de", "ja")) {
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
