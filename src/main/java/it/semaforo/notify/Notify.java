package it.semaforo.notify;

import io.javalin.config.RoutesConfig;
import it.semaforo.db.Database;
import it.semaforo.event.EventLog;
import it.semaforo.event.Subscribers;
import it.semaforo.service.ServiceCatalog;
import it.semaforo.web.PublicSite;
import it.semaforo.web.Templates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Optional;

/**
 * The notify feature assembled: subscriptions, the outbox fed by a durable subscriber of the
 * event log, and the mail sender. Without smtp.host nothing of it runs and its pages answer 404.
 */
public final class Notify implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Notify.class);

    private final NotifySettings settings;
    private final Outbox outbox;
    private final Subscriptions subscriptions;
    private final MailSender sender;
    private final SubscriptionRoutes routes;

    private Notify(NotifySettings settings, Outbox outbox, Subscriptions subscriptions, MailSender sender,
                   SubscriptionRoutes routes) {
        this.settings = settings;
        this.outbox = outbox;
        this.subscriptions = subscriptions;
        this.sender = sender;
        this.routes = routes;
    }

    /** Builds the feature and registers its subscriber; start() starts sending. */
    public static Notify create(NotifySettings settings, Database db, EventLog events, Subscribers subscribers,
                                ServiceCatalog catalog, Templates templates, PublicSite site, Clock clock) {
        Outbox outbox = new Outbox(db);
        Subscriptions subscriptions = new Subscriptions(db, outbox, clock);
        if (!settings.mailConfigured()) {
            log.info("mail: smtp.host is not set; subscriptions by email are off");
            return new Notify(settings, outbox, subscriptions, null, null);
        }
        Tokens tokens = Tokens.load(db);
        MailSender sender = new MailSender(outbox, subscriptions, events, new MailComposer(settings), tokens,
                new Mailer(settings.smtp()), settings, clock);
        EventMails mails = new EventMails(db, outbox, subscriptions, catalog, clock, settings.batchWindow(), sender::wake);
        subscribers.register("notify-mail", Subscribers.Delivery.BACKGROUND, true, mails::deliver);
        SubscriptionRoutes routes = new SubscriptionRoutes(subscriptions, tokens, catalog, templates, site, settings, clock,
                sender::wake);
        return new Notify(settings, outbox, subscriptions, sender, routes);
    }

    public void start() {
        if (sender != null) {
            sender.start();
            log.info("mail: sending through {}", settings.smtp());
        }
    }

    public void routes(RoutesConfig r) {
        if (routes != null) routes.routes(r);
    }

    public boolean mailEnabled() {
        return sender != null;
    }

    public Outbox outbox() {
        return outbox;
    }

    public Subscriptions subscriptions() {
        return subscriptions;
    }

    public Optional<MailSender> sender() {
        return Optional.ofNullable(sender);
    }

    @Override
    public void close() {
        if (sender != null) sender.close();
    }
}
