package it.semaforo.notify;

import io.javalin.config.RoutesConfig;
import it.semaforo.db.Database;
import it.semaforo.event.EventLog;
import it.semaforo.event.Subscribers;
import it.semaforo.service.ServiceCatalog;
import it.semaforo.http.Answers;
import it.semaforo.render.Site;
import it.semaforo.render.Templates;
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
    /** The outbox's two channels, each one OutboxWorker with its sending step; sender null without mail. */
    private final OutboxWorker sender;
    private final SubscriptionRoutes routes;
    private final Webhooks webhooks;
    private final OutboxWorker webhookSender;
    private final ClerkAlerts clerks;

    private Notify(NotifySettings settings, Outbox outbox, Subscriptions subscriptions, OutboxWorker sender,
                   SubscriptionRoutes routes, Webhooks webhooks, OutboxWorker webhookSender, ClerkAlerts clerks) {
        this.clerks = clerks;
        this.settings = settings;
        this.webhooks = webhooks;
        this.webhookSender = webhookSender;
        this.outbox = outbox;
        this.subscriptions = subscriptions;
        this.sender = sender;
        this.routes = routes;
    }

    /** Builds the feature and registers its subscriber; start() starts sending. */
    public static Notify create(NotifySettings settings, Database db, EventLog events, Subscribers subscribers,
                                ServiceCatalog catalog, Templates templates, Site site, Answers answers, Clock clock,
                                java.util.function.Function<it.semaforo.event.LoggedEvent, String> webhookShape,
                                it.semaforo.notice.NoticeRepository notices) {
        Outbox outbox = new Outbox(db);
        Subscriptions subscriptions = new Subscriptions(db, outbox, clock);
        // webhooks: each public event within an endpoint's scope, in the public change log's shape
        Webhooks webhooks = new Webhooks(db, outbox, catalog, clock, settings.webhooksAllowPrivate());
        // clerks' alerts go by mail: without it there is no one to tell
        ClerkAlerts clerks = settings.mailConfigured()
                ? new ClerkAlerts(db, outbox, notices, catalog, clock, settings.reminderBefore()) : null;
        OutboxWorker webhookSender = new OutboxWorker("webhooks", true, 20, outbox,
                new WebhookSender(webhooks, events, webhookShape, settings, clock, clerks,
                        WebhookSender.client(settings.webhooksAllowPrivate(), it.semaforo.net.GuardedHttp.Lookup.SYSTEM)), clock, settings.retryFor());
        webhooks.onQueued(webhookSender::wake);
        subscribers.register("notify-webhooks", Subscribers.Delivery.BACKGROUND, true, webhooks::deliver);
        if (!settings.mailConfigured()) {
            log.info("mail: smtp.host is not set; subscriptions by email are off");
            return new Notify(settings, outbox, subscriptions, null, null, webhooks, webhookSender, null);
        }
        Tokens tokens = Tokens.load(db);
        OutboxWorker sender = new OutboxWorker("mail", false, MailSender.CLAIM, outbox,
                new MailSender(outbox, subscriptions, events, new MailComposer(settings), tokens, new Mailer(settings.smtp()),
                        settings, clock, new MaintenanceReminders(db, notices, subscriptions, catalog, outbox, clock,
                        settings.reminderBefore()), notices, catalog, clerks), clock, settings.retryFor());
        EventMails mails = new EventMails(db, outbox, subscriptions, catalog, clock, settings.batchWindow(), sender::wake);
        subscribers.register("notify-mail", Subscribers.Delivery.BACKGROUND, true, mails::deliver);
        // signals raised (never public, so not the residents' mail): the clerks who chose them
        subscribers.register("notify-clerk-signals", Subscribers.Delivery.BACKGROUND, true, clerks::signals);
        SubscriptionRoutes routes = new SubscriptionRoutes(subscriptions, tokens, catalog, templates, site, answers, settings, clock,
                sender::wake);
        return new Notify(settings, outbox, subscriptions, sender, routes, webhooks, webhookSender, clerks);
    }

    /** Starts sending: rows claimed before a stop are due again first. */
    public void start() {
        int again = outbox.recover();
        if (again > 0) log.info("notify: {} message(s) claimed before the last stop are due again", again);
        webhookSender.start();
        if (sender != null) {
            sender.start();
            log.info("mail: sending through {}", settings.smtp());
        }
    }

    public void routes(RoutesConfig r) {
        if (routes != null) routes.routes(r);
    }

    public Webhooks webhooks() {
        return webhooks;
    }

    public NotifySettings settings() {
        return settings;
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

    /** The clerks' own alerts and their choices; empty without mail. */
    public Optional<ClerkAlerts> clerkAlerts() {
        return Optional.ofNullable(clerks);
    }

    public Optional<OutboxWorker> sender() {
        return Optional.ofNullable(sender);
    }

    /** The webhooks' sender (tests wake it after moving their clock rather than wait for its next second). */
    public OutboxWorker webhookSender() {
        return webhookSender;
    }

    @Override
    public void close() {
        webhookSender.close();
        if (sender != null) sender.close();
    }
}
