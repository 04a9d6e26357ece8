package it.semaforo.app;

import io.javalin.Javalin;
import it.semaforo.cache.FastPath;
import it.semaforo.api.ApiRoutes;
import it.semaforo.api.SemaforoApi;
import it.semaforo.api.StatuspageApi;
import it.semaforo.admin.AdminSite;
import it.semaforo.cache.ResponseCache;
import io.javalin.compression.CompressionStrategy;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import it.semaforo.db.Database;
import it.semaforo.demo.DemoComune;
import it.semaforo.feed.Feeds;
import it.semaforo.embed.EmbedRoutes;
import it.semaforo.notice.NoticeRepository;
import it.semaforo.service.ServiceCatalog;
import it.semaforo.status.StatusService;
import it.semaforo.text.Markdown;
import it.semaforo.web.Assets;
import it.semaforo.notice.Notice;
import it.semaforo.status.ReadModel;
import it.semaforo.web.PublicAddress;
import it.semaforo.web.PublicOutput;
import it.semaforo.web.ErrorGuard;
import it.semaforo.web.Http1Connections;
import it.semaforo.web.PublicSite;
import it.semaforo.web.RequestErrors;
import it.semaforo.web.SecurityHeaders;
import it.semaforo.web.Templates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/** The running application: every part built here, by hand, from the configuration and a clock. */
public final class Semaforo implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Semaforo.class);

    private final Database db;
    private final Javalin server;
    private final ServiceCatalog services;
    private final NoticeRepository notices;
    private final StatusService status;
    private final AdminSite admin;
    private final PublicSite site;
    /** Every public output, in the order the static export lists them. */
    private final List<PublicOutput> outputs;
    private volatile boolean started;
    /** How long opening the database and loading the assets took, for the start-up log line. */
    private final long databaseMillis;
    private final long assetsMillis;

    private Semaforo(Database db, Javalin server, ServiceCatalog services, NoticeRepository notices, StatusService status,
                     AdminSite admin, PublicSite site, List<PublicOutput> outputs, long databaseMillis, long assetsMillis) {
        this.databaseMillis = databaseMillis;
        this.assetsMillis = assetsMillis;
        this.status = status;
        this.db = db;
        this.server = server;
        this.services = services;
        this.notices = notices;
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
        Database db = Database.open(dataDir.resolve("semaforo.db"));
        long tDb = System.nanoTime();
        ServiceCatalog services = new ServiceCatalog(db, clock);
        NoticeRepository notices = new NoticeRepository(db, clock);
        if (config.demoEnabled() && services.isEmpty()) {
            new DemoComune(services, notices, clock, config.zone(), attachments).seed();
            log.info("Empty database: seeded the demo comune (set demo.enabled=false for a real one)");
        }
        StatusService status = new StatusService(db, services, notices, clock, config.zone());
        var securityHeaders = SecurityHeaders.forBaseUrl(config.baseUrl());
        ResponseCache cache = new ResponseCache(clock, config.cacheMaxBytes(), securityHeaders);
        db.onChange(cache::invalidateAll);
        Templates templates = new Templates();
        Markdown markdown = new Markdown();
        long tAssets = System.nanoTime();
        Assets assets = Assets.load(config.comuneLogo());
        tAssets = System.nanoTime() - tAssets;
        PublicSite site = new PublicSite(status, notices, templates, markdown, config, assets, db, attachments, cache);
        Feeds feeds = new Feeds(status, notices, templates, markdown, config, site);
        ApiRoutes api = new ApiRoutes(status, new StatuspageApi(notices, config), new SemaforoApi(notices, config), site, config);
        EmbedRoutes embed = new EmbedRoutes(status, templates, config, site);
        // the clerks' area: its own routes under /admin, never through the public response cache
        AdminSite admin = AdminSite.create(config, clock, db, notices, services, templates, markdown, attachments, site.site());

        Javalin server = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            // Cached answers are served by the fast path before Javalin's routing (see cache.FastPath)
            c.jetty.modifyServer(jetty -> jetty.insertHandler(new FastPath(cache,
                    (path, acceptLanguage) -> site.language(path, acceptLanguage).tag())));
            // what Jetty answers itself (bad headers, 413, 414, 431, a bad path) in the shape of the
            // surface asked for: the API's problem form, the site's page
            RequestErrors errors = new RequestErrors(site, securityHeaders);
            c.jetty.modifyServer(jetty -> jetty.setErrorHandler(errors));
            c.jetty.modifyServletContextHandler(context -> context.setErrorHandler(errors));
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
            site.routes(c.routes);
            admin.routes(c.routes);
            admin.writeApi().routes(c.routes);   // before api.routes: its preflights answer for POST
            feeds.routes(c.routes);
            api.routes(c.routes);
            embed.routes(c.routes);
        });
        return new Semaforo(db, server, services, notices, status, admin, site, List.of(site, feeds, api, embed),
                (tDb - t0) / 1_000_000, tAssets / 1_000_000);
    }

    /**
     * Every public address of the site with its renderer, for the static export: each output
     * lists its own from one read model and one load of the public avvisi.
     */
    public List<PublicAddress> publicAddresses() {
        ReadModel model = status.now();
        List<Notice> published = notices.publicNotices(model.now());
        return outputs.stream().flatMap(o -> o.addresses(model, published)).toList();
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

    public AdminSite admin() {
        return admin;
    }

    @Override
    public void close() {
        if (started) server.stop();
        db.close();
    }
}
