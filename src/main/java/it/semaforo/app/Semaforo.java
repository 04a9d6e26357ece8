package it.semaforo.app;

import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import it.semaforo.admin.AdminSite;
import it.semaforo.cache.ResponseCache;
import it.semaforo.db.Database;
import it.semaforo.demo.DemoComune;
import it.semaforo.notice.NoticeRepository;
import it.semaforo.service.ServiceCatalog;
import it.semaforo.status.StatusService;
import it.semaforo.text.Markdown;
import it.semaforo.web.PublicSite;
import it.semaforo.web.Templates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/** The running application: every part built here, by hand, from the configuration and a clock. */
public final class Semaforo implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Semaforo.class);

    private final Database db;
    private final Javalin server;
    private final ServiceCatalog services;
    private final NoticeRepository notices;
    private final AdminSite admin;

    private Semaforo(Database db, Javalin server, ServiceCatalog services, NoticeRepository notices, AdminSite admin) {
        this.db = db;
        this.server = server;
        this.services = services;
        this.notices = notices;
        this.admin = admin;
    }

    public static Semaforo start(Config config, Clock clock) {
        Path dataDir = config.dataDir();
        Path attachments = dataDir.resolve("allegati");
        try {
            Files.createDirectories(attachments);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dataDir.toAbsolutePath(), e);
        }
        Database db = Database.open(dataDir.resolve("semaforo.db"));
        ServiceCatalog services = new ServiceCatalog(db, clock);
        NoticeRepository notices = new NoticeRepository(db, clock);
        if (config.demoEnabled() && services.isEmpty()) {
            new DemoComune(services, notices, clock, config.zone(), attachments).seed();
            log.info("Empty database: seeded the demo comune (set demo.enabled=false for a real one)");
        }
        StatusService status = new StatusService(services, notices, clock, config.zone());
        ResponseCache cache = new ResponseCache(clock, 64L * 1024 * 1024);
        db.onChange(cache::invalidateAll);
        Templates templates = new Templates();
        Markdown markdown = new Markdown();
        PublicSite site = new PublicSite(status, notices, templates, markdown, config, db, attachments, cache);
        // the clerks' area: its own routes under /admin, never through the public response cache
        AdminSite admin = AdminSite.create(config, clock, db, notices, services, templates, markdown, attachments);

        Javalin server = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.jetty.modifyHttpConfiguration(http -> {
                http.setSendServerVersion(false);
                http.setSendXPoweredBy(false);
                http.setRelativeRedirectAllowed(true);
            });
            c.staticFiles.add(s -> {
                s.hostedPath = "/static";
                s.directory = "/static";
                s.location = Location.CLASSPATH;
            });
            admin.configure(c);
            site.routes(c.routes);
            admin.routes(c.routes);
        });
        server.start(config.host(), config.port());
        log.info("Semaforo serving {} on port {} (public address {})", config.comune().name(), server.port(), config.baseUrl());
        return new Semaforo(db, server, services, notices, admin);
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
        server.stop();
        db.close();
    }
}
