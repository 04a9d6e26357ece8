package it.semaforo.app;

import io.javalin.Javalin;
import it.semaforo.cache.FastPath;
import it.semaforo.api.ApiRoutes;
import it.semaforo.api.ChangeLog;
import it.semaforo.api.SemaforoApi;
import it.semaforo.api.StatuspageApi;
import it.semaforo.admin.AdminSite;
import it.semaforo.admin.AccessReview;
import it.semaforo.cache.ResponseCache;
import io.javalin.compression.CompressionStrategy;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import it.semaforo.db.Database;
import it.semaforo.event.ChangeEvent;
import it.semaforo.event.Subscribers;
import it.semaforo.export.BucketTarget;
import it.semaforo.export.DirectoryTarget;
import it.semaforo.export.Mirror;
import it.semaforo.export.MirrorTarget;
import it.semaforo.demo.DemoComune;
import it.semaforo.feed.Feeds;
import it.semaforo.http.Answers;
import it.semaforo.http.Errors;
import it.semaforo.embed.EmbedRoutes;
import it.semaforo.notice.AttachmentFiles;
import it.semaforo.notice.NoticeRepository;
import it.semaforo.notify.ClerkAlerts;
import it.semaforo.service.ServiceCatalog;
import it.semaforo.status.StatusService;
import it.semaforo.text.Markdown;
import it.semaforo.render.Assets;
import it.semaforo.render.Site;
import it.semaforo.notice.Notice;
import it.semaforo.signal.SignalDesk;
import it.semaforo.signal.Sources;
import it.semaforo.signal.poll.Poller;
import it.semaforo.status.ReadModel;
import it.semaforo.render.PublicAddress;
import it.semaforo.render.PublicChange;
import it.semaforo.render.PublicOutput;
import it.semaforo.web.Attachments;
import it.semaforo.web.ErrorPages;
import it.semaforo.web.Health;
import it.semaforo.web.PublicSite;
import it.semaforo.web.RequestErrors;
import it.semaforo.http.ErrorGuard;
import it.semaforo.http.Http1Connections;
import it.semaforo.render.SecurityHeaders;
import it.semaforo.render.Templates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/** The running application: every part built here, by hand, from the configuration and a clock. */
public final class Semaforo implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Semaforo.class);

    private final Domain domain;
    private final Database db;
    private final Javalin server;
    private final ServiceCatalog services;
    private final NoticeRepository notices;
    private final StatusService status;
    private final AdminSite admin;
    private final PublicSite site;
    /** Every public output, in the order the static export lists them. */
    private final List<PublicOutput> outputs;
    private final it.semaforo.notify.Notify notify;
    /** The static copies kept current; null when none is configured. */
    private final Mirror mirror;
    private final Poller poller;
    private final SignalDesk signals;
    private volatile boolean started;
    /** How long opening the database and loading the assets took, for the start-up log line. */
    private final long databaseMillis;
    private final long assetsMillis;

    private Semaforo(Domain domain, Javalin server, AdminSite admin, PublicSite site, List<PublicOutput> outputs,
                     it.semaforo.notify.Notify notify, Mirror mirror, Poller poller, SignalDesk signals, long databaseMillis,
                     long assetsMillis) {
        this.mirror = mirror;
        this.notify = notify;
        this.poller = poller;
        this.signals = signals;
        this.databaseMillis = databaseMillis;
        this.assetsMillis = assetsMillis;
        this.domain = domain;
        this.status = domain.status();
        this.db = domain.db();
        this.server = server;
        this.services = domain.services();
        this.notices = domain.notices();
        this.admin = admin;
        this.site = site;
        this.outputs = List.copyOf(outputs);
    }

    /** Builds and starts the server. */
    public static Semaforo start(Config config, Clock clock) {
        Semaforo app = open(config, clock);
        long tServer = System.nanoTime();
        // the home page renders on the other core while Jetty starts: the first request finds it ready
        java.util.concurrent.CompletableFuture.runAsync(app.site::warmUp).exceptionally(e -> {
            log.warn("Could not render the home page at start; the first request will", e);
            return null;
        });
        app.server.start();   // host and port are on the connector (see open)
        app.started = true;
        app.notify.start();
        if (app.mirror != null) app.mirror.start();
        app.poller.start();
        // what fell due while the server was down is announced now, once; then every second
        app.domain.clockwork().start();
        long tEnd = System.nanoTime();
        log.info("Semaforo serving {} on port {} (public address {}); ready in {} ms since JVM start: database {} ms, "
                        + "assets {} ms, server {} ms", config.comune().name(), app.server.port(), config.baseUrl(),
                java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime(), app.databaseMillis,
                app.assetsMillis, (tEnd - tServer) / 1_000_000);
        return app;
    }

    /** Builds every part, database and renderers included, without listening: the static export needs no server. */
    public static Semaforo open(Config config, Clock clock) {
        Path dataDir = config.dataDir();
        Path attachments = dataDir.resolve("allegati");
        try {
            Files.createDirectories(attachments);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dataDir.toAbsolutePath(), e);
        }
        long t0 = System.nanoTime();
        Domain domain = Domain.open(dataDir.resolve("semaforo.db"), clock, config.zone(), AdminSite.auditWording(config.admin()),
                config.review(AdminSite.approvers()));
        Database db = domain.db();
        long tDb = System.nanoTime();
        ServiceCatalog services = domain.services();
        NoticeRepository notices = domain.notices();
        if (config.demoEnabled() && services.isEmpty()) {
            new DemoComune(services, notices, clock, config.zone(), attachments).seed();
            log.info("Empty database: seeded the demo comune (set demo.enabled=false for a real one)");
        }
        StatusService status = domain.status();
        var securityHeaders = SecurityHeaders.forBaseUrl(config.baseUrl());
        ResponseCache cache = new ResponseCache(clock, config.cacheMaxBytes(), securityHeaders);
        // The subscribers of the event log, in order (the read model is the domain's own, first):
        // the response cache renders what readers ask for again before a clerk's write is acknowledged.
        // Drafts and signals alone change nothing it holds; anything else may (a scheduled avviso moves the instant
        // until which a cached answer holds, midnight moves the histories).
        domain.subscribers().register("response-cache", Subscribers.Delivery.BEFORE_ACKNOWLEDGEMENT, false, batch -> {
            if (!batch.stream().allMatch(e -> e.event() instanceof ChangeEvent.NoticeDrafted
                    || e.event() instanceof ChangeEvent.SignalRaised || e.event() instanceof ChangeEvent.SignalDecided)) {
                cache.invalidateAll();
            }
        });
        Templates templates = new Templates();
        Markdown markdown = new Markdown();
        long tAssets = System.nanoTime();
        Assets assets = Assets.load(config.comuneLogo(), config.shareImage());
        if (!assets.sharesAPicture()) {
            log.warn("comune.logo is not a PNG or JPEG: links shared in messaging apps preview without the emblem; "
                    + "set comune.share.image to a PNG or JPEG of it");
        }
        tAssets = System.nanoTime() - tAssets;
        // what the outputs show of the site, handed to each: none of them reads the configuration
        Site site = config.site(assets);
        Answers answers = new Answers(cache, site.defaultLanguage());
        ErrorPages errorPages = new ErrorPages(templates, site, answers);
        cache.staleNotice(errorPages::staleNotice);
        Attachments files = new Attachments(notices, new AttachmentFiles(attachments), answers, errorPages);
        PublicSite pages = new PublicSite(status, notices, templates, markdown, site, files, answers, errorPages);
        // the static copies (mirror.dir, mirror.s3.*): a durable subscriber, and one thread per target once started
        List<MirrorTarget> targets = mirrorTargets(config);
        List<PublicOutput> outputs = new java.util.ArrayList<>();   // filled below, once the outputs exist
        Mirror mirror = targets.isEmpty() ? null : new Mirror(db, new Mirror.Addresses() {
            @Override
            public List<PublicAddress> all() {
                return publicAddresses(status, notices, outputs);
            }

            @Override
            public List<PublicAddress> changed(Set<Long> ids, Set<Long> altered, Set<Long> moved, Set<String> topics) {
                ReadModel model = status.now();
                PublicChange change = new PublicChange(notices.publicNotices(ids, model.now()), altered, moved, topics);
                return outputs.stream().flatMap(o -> o.changed(model, change)).toList();
            }

            @Override
            public java.util.Map<Long, Integer> sitemapNumbers(Set<Long> ids) {
                return pages.sitemapNumbers(ids);
            }
        }, targets,
                errorPages::staticCopyNotice, site.defaultLanguage(), clock);
        Health health = new Health(db, cache, attachments, config.minFreeDiskBytes(),
                mirror == null ? null : mirror::status);
        Feeds feeds = new Feeds(status, notices, templates, markdown, site, answers, errorPages);
        ChangeLog changeLog = new ChangeLog(domain.events(), site.baseUrl());
        ApiRoutes api = new ApiRoutes(status, new StatuspageApi(notices, site), new SemaforoApi(notices, site),
                changeLog, site, answers);
        EmbedRoutes embed = new EmbedRoutes(status, templates, site, answers);
        // the clerks' area: its own routes under /admin, never through the public response cache
        AdminSite admin = AdminSite.create(config.admin(), clock, db, domain.audit(), notices, domain.noticeDesk(), services,
                domain.catalogDesk(), templates, markdown, attachments, site);
        // every 404 and every failed database goes one way, and each area says it in its own words
        Errors errors = new Errors(List.of(
                new Errors.Area("/api/", api::notFound, api::unavailable),
                new Errors.Area("/admin", admin::notFound, errorPages::unavailable),
                new Errors.Area("", errorPages::notFound, errorPages::unavailable)));

        // mail to residents (and webhooks): a durable subscriber feeding an outbox, sent by a thread of its own
        it.semaforo.notify.Notify notify = it.semaforo.notify.Notify.create(NotifyWiring.settings(config), db, domain.events(),
                domain.subscribers(), services, templates, site, answers, clock, e -> changeLog.event(e).toString(), notices);
        admin.notifications(notify, services, db);
        // the page rating every public page carries, its results in the clerks' area
        it.semaforo.rating.RatingRoutes rating = new it.semaforo.rating.RatingRoutes(new it.semaforo.rating.PageRatings(db),
                templates, site, answers, config.admin().trustProxy(), clock);
        admin.ratings(rating.ratings());
        // signals in: the domain part (signals recorded and announced through the ledger) and the
        // poller, the input adapter with its own threads and HTTP client
        Sources signalSources = new Sources(db);
        SignalDesk signals = new SignalDesk(db, domain.ledger(), signalSources, domain.noticeDesk(), notices, services,
                domain.audit(), clock, AdminSite.signalWording(config.admin()), config.language().getLanguage());
        Poller poller = new Poller(signalSources, signals, clock, SignalWiring.poll(config));
        pages.signals(signals);
        admin.signals(signals, services, poller::poll, clock, SignalWiring.interval(config), SignalWiring.timeout(config));
        // the access review: once a day (the day-began event) accounts unused for too long are suspended;
        // durable, so a day that began while the server was down is caught up at the next start. The
        // administrators who chose it are mailed in the suspensions' own transaction: once per batch
        AccessReview.Told told = notify.clerkAlerts().<AccessReview.Told>map(alerts -> (c, batch) -> alerts.accountsSuspended(c,
                batch.stream().map(s -> new ClerkAlerts.SuspendedAccount(s.username(), s.displayName())).toList(),
                batch.get(0).at(), admin.accessReview().policy().inactiveAfter())).orElse(AccessReview.Told.NOBODY);
        domain.subscribers().register("access-review", Subscribers.Delivery.BACKGROUND, true, batch -> {
            if (batch.stream().anyMatch(e -> e.event() instanceof ChangeEvent.DayBegan)) {
                var suspended = admin.accessReview().suspendUnused(told);
                if (!suspended.isEmpty()) log.info("access review: {} account(s) unused for too long suspended", suspended.size());
            }
        });
        Javalin server = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            // Cached answers are served by the fast path before Javalin's routing (see cache.FastPath)
            c.jetty.modifyServer(jetty -> jetty.insertHandler(new FastPath(cache,
                    (path, acceptLanguage) -> answers.language(path, acceptLanguage).tag())));
            // what Jetty answers itself (bad headers, 413, 414, 431, a bad path) in the shape of the
            // surface asked for: the API's problem form, the site's page
            RequestErrors requestErrors = new RequestErrors(answers, errorPages, site, securityHeaders);
            c.jetty.modifyServer(jetty -> jetty.setErrorHandler(requestErrors));
            c.jetty.modifyServletContextHandler(context -> context.setErrorHandler(requestErrors));
            c.jetty.threadPool = new QueuedThreadPool(8, 4, 60_000);   // more threads only add contention on small machines
            // cache hits are answered on the selector threads (FastPath is non-blocking): one per core
            c.jetty.addConnector((jetty, http) -> {
                ServerConnector connector = new ServerConnector(jetty, 1,
                        Math.min(8, Runtime.getRuntime().availableProcessors()), new Http1Connections(http,
                        java.time.Duration.ofSeconds(config.integer("http.header.timeout.seconds", 1, 300)),
                        config.integer("http.body.min.bytes.per.second", 0, 1024 * 1024)));
                connector.setHost(config.host());
                connector.setPort(config.port());
                return connector;
            });
            c.http.compressionStrategy = CompressionStrategy.NONE;   // cached bytes are precompressed
            c.jetty.modifyHttpConfiguration(http -> {
                http.setSendServerVersion(false);
                http.setSendXPoweredBy(false);
                http.setRelativeRedirectAllowed(true);
            });
            // answers that bypass the cache (clerks' pages, errors, files) get the same headers
            c.routes.before(ctx -> securityHeaders.forEach(ctx::header));
            admin.configure(c);
            ErrorGuard.register(c.routes);   // exception handlers that never throw, a plain 500 at worst
            notify.routes(c.routes);
            rating.routes(c.routes);
            pages.routes(c.routes);
            files.routes(c.routes);
            health.routes(c.routes);
            errorPages.routes(c.routes);
            errors.routes(c.routes);
            admin.routes(c.routes);
            admin.writeApi().routes(c.routes);   // before api.routes: its preflights answer for POST
            feeds.routes(c.routes);
            api.routes(c.routes);
            embed.routes(c.routes);
        });
        outputs.addAll(List.of(pages, feeds, api, embed));
        Semaforo app = new Semaforo(domain, server, admin, pages, outputs, notify, mirror, poller, signals,
                (tDb - t0) / 1_000_000, tAssets / 1_000_000);
        if (mirror != null) {
            admin.copies(() -> mirror.status().stream().map(s -> new it.semaforo.admin.AdminPages.CopyState(s.target(), s.state(),
                    s.pending(), s.lagSeconds(), s.syncedAt(), s.lastError(), s.lastErrorAt())).toList());
            // a public change wakes the clock thread at once, so the copies do not wait for its next beat
            domain.subscribers().register("mirror-wake", Subscribers.Delivery.BEFORE_ACKNOWLEDGEMENT, false, batch -> {
                if (batch.stream().anyMatch(e -> e.isPublic())) domain.clockwork().nudge();
            });
            // its cursor is kept in the database: what changed while the server was down is mirrored after a restart
            domain.subscribers().register("mirror", Subscribers.Delivery.BACKGROUND, true, mirror.subscriber());
        }
        return app;
    }

    private static List<MirrorTarget> mirrorTargets(Config config) {
        List<MirrorTarget> targets = new java.util.ArrayList<>();
        config.mirrorDir().ifPresent(dir -> {
            try {
                targets.add(new DirectoryTarget(dir));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the mirror directory " + dir.toAbsolutePath(), e);
            }
        });
        config.mirrorBucket().ifPresent(s3 -> targets.add(new BucketTarget(s3)));
        return targets;
    }

    /**
     * Every public address of the site with its renderer, for the static export: each output
     * lists its own from one read model and one load of the public avvisi.
     */
    public List<PublicAddress> publicAddresses() {
        return publicAddresses(status, notices, outputs);
    }

    private static List<PublicAddress> publicAddresses(StatusService status, NoticeRepository notices, List<PublicOutput> outputs) {
        ReadModel model = status.now();
        List<Notice> published = notices.publicNotices(model.now());
        return outputs.stream().flatMap(o -> o.addresses(model, published)).toList();
    }

    public Domain domain() {
        return domain;
    }

    public int port() {
        return server.port();
    }

    public Database database() {
        return db;
    }

    public ServiceCatalog services() {
        return services;
    }

    public NoticeRepository notices() {
        return notices;
    }

    public it.semaforo.notify.Notify notifications() {
        return notify;
    }

    /** The mirror, when mirror.dir or mirror.s3.* is configured. */
    public java.util.Optional<Mirror> mirror() {
        return java.util.Optional.ofNullable(mirror);
    }

    /** Signals in: the sources, their signals and what clerks did of them. */
    public SignalDesk signals() {
        return signals;
    }

    /** The poller of the sources (tests poll a source at once through it). */
    public Poller poller() {
        return poller;
    }

    public AdminSite admin() {
        return admin;
    }

    @Override
    public void close() {
        domain.clockwork().close();
        poller.close();
        notify.close();
        if (mirror != null) mirror.close();
        if (started) server.stop();
        db.close();
    }
}
