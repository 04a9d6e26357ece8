package it.semaforo.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import it.semaforo.event.EventLog;
import it.semaforo.event.LoggedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The mail step of the outbox worker (OutboxWorker claims, marks and retries): writes the mail
 * a row stands for and sends it, saying whether a failure is temporary or permanent (a
 * bounce). At most ratePerMinute mails a minute (0: no limit). Between rounds, on the same
 * thread: the maintenance reminders and clerks' alerts that time brings, and housekeeping.
 */
public final class MailSender implements OutboxWorker.Step {
    private static final Logger log = LoggerFactory.getLogger(MailSender.class);
    private static final ObjectMapper JSON = it.semaforo.text.JsonText.MAPPER;
    static final int CLAIM = 50;

    private final Outbox outbox;
    private final Subscriptions subscriptions;
    private final EventLog events;
    private final MailComposer composer;
    private final Tokens tokens;
    private final Mailer mailer;
    private final NotifySettings settings;
    private final Clock clock;
    private final MaintenanceReminders reminders;
    private final it.semaforo.notice.NoticeRepository notices;
    private final it.semaforo.service.ServiceCatalog catalog;
    private final ClerkAlerts clerks;
    private java.time.LocalDate failingToldOn;
    private Instant nextReminderCheck = Instant.MIN;
    private long nextSendNanos;
    private Instant nextHousekeeping = Instant.MIN;
    /** Renderings of one set of events in one language, shared by every subscriber of that language. */
    private final Map<String, MailComposer.Content> rendered = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, MailComposer.Content> e) {
            return size() > 256;
        }
    };

    public MailSender(Outbox outbox, Subscriptions subscriptions, EventLog events, MailComposer composer, Tokens tokens,
                      Mailer mailer, NotifySettings settings, Clock clock, MaintenanceReminders reminders,
                      it.semaforo.notice.NoticeRepository notices, it.semaforo.service.ServiceCatalog catalog,
                      ClerkAlerts clerks) {
        this.clerks = clerks;
        this.reminders = reminders;
        this.notices = notices;
        this.catalog = catalog;
        this.outbox = outbox;
        this.subscriptions = subscriptions;
        this.events = events;
        this.composer = composer;
        this.tokens = tokens;
        this.mailer = mailer;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public void beforeRound() {
        housekeeping();
    }

    private void housekeeping() {
        Instant now = clock.instant();
        if (!now.isBefore(nextReminderCheck)) {
            nextReminderCheck = now.plus(Duration.ofMinutes(1));
            int queued = reminders.run();
            if (queued > 0) log.info("mail: reminders queued for {} planned maintenance(s)", queued);
            int alerts = clerks.run();
            if (alerts > 0) log.info("mail: {} alert(s) for clerks queued", alerts);
        }
        if (now.isBefore(nextHousekeeping)) return;
        nextHousekeeping = now.plus(Duration.ofMinutes(10));
        int erased = subscriptions.purgeUnconfirmed();
        if (erased > 0) log.info("mail: erased {} address(es) never confirmed within 48 hours", erased);
        outbox.prune(now);
    }

    @Override
    public OutboxWorker.Outcome send(Outbox.Row r) throws InterruptedException {
        Optional<Mailer.Mail> mail = mail(r);
        // the subscriber is gone or suspended, or nothing in it is worth a mail
        if (mail.isEmpty()) return new OutboxWorker.Outcome.Nothing("nothing to send");
        throttle();
        try {
            mailer.send(mail.get());
            return OutboxWorker.SENT;
        } catch (Mailer.Failure f) {
            return f.permanent() ? new OutboxWorker.Outcome.Refused(f.getMessage()) : new OutboxWorker.Outcome.Failed(f.getMessage());
        }
    }

    /** Clerks who chose it are told (once a day at most); not of their own alerts failing, which would feed itself. */
    @Override
    public void failing(Outbox.Row r, String error, boolean givenUp) {
        if ("clerk".equals(r.purpose())) return;
        java.time.LocalDate today = java.time.LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC);
        if (today.equals(failingToldOn)) return;   // a server down fails every row: one look at the database a day
        failingToldOn = today;
        clerks.failing("mail", 0, "", error, r.createdAt(), false);
    }

    private void throttle() throws InterruptedException {
        if (settings.ratePerMinute() <= 0) return;
        long interval = 60_000_000_000L / settings.ratePerMinute();
        long now = System.nanoTime();
        long wait = nextSendNanos - now;
        if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        nextSendNanos = Math.max(now, nextSendNanos) + interval;
    }

    Optional<Mailer.Mail> mail(Outbox.Row r) {
        if ("clerk".equals(r.purpose())) {
            return clerkMail(r, "<semaforo." + r.id() + "." + Tokens.random().substring(0, 12) + "@" + settings.mailDomain() + ">");
        }
        if (r.subscriberId() == null) return Optional.empty();
        Optional<Subscriber> found = subscriptions.byId(r.subscriberId());
        if (found.isEmpty()) return Optional.empty();
        Subscriber s = found.get();
        String lang = s.language();
        String manageToken = tokens.manageToken(s.id(), s.email());   // an HMAC: once for both links
        String manageUrl = settings.baseUrl() + "/" + lang + SubscriptionRoutes.MANAGE + "?t=" + manageToken;
        String unsubscribeUrl = settings.baseUrl() + SubscriptionRoutes.UNSUBSCRIBE + "?t=" + manageToken;
        String messageId = "<semaforo." + r.id() + "." + Tokens.random().substring(0, 12) + "@" + settings.mailDomain() + ">";
        Instant now = clock.instant();
        switch (r.purpose()) {
            case "confirm" -> {
                if (s.confirmed()) return Optional.empty();
                String token = payload(r).path("token").asText("");
                if (token.isEmpty()) return Optional.empty();
                String url = settings.baseUrl() + "/" + lang + SubscriptionRoutes.CONFIRM + "?t=" + token;
                MailComposer.Content c = composer.confirmation(lang, url);
                return Optional.of(new Mailer.Mail(s.email(), c.subject(), c.text(), c.html(), messageId, null, null, now));
            }
            case "reminder" -> {
                if (!s.active()) return Optional.empty();
                MailComposer.Content c = composer.reminder(lang).forManage(manageUrl);
                return Optional.of(new Mailer.Mail(s.email(), c.subject(), c.text(), c.html(), messageId, null, unsubscribeUrl, now));
            }
            case "events" -> {
                if (!s.active()) return Optional.empty();
                MailComposer.Content c;
                synchronized (rendered) {
                    c = rendered.computeIfAbsent(r.payload() + "|" + lang, k -> composer.events(load(r.payload()), lang));
                }
                if (c == null) return Optional.empty();
                c = c.forManage(manageUrl);
                return Optional.of(new Mailer.Mail(s.email(), c.subject(), c.text(), c.html(), messageId, c.threadId(),
                        unsubscribeUrl, now));
            }
            case "maintenance" -> {
                if (!s.active()) return Optional.empty();
                long noticeId = payload(r).path("notice").asLong(-1);
                Optional<it.semaforo.notice.Notice> n = notices.find(noticeId)
                        .filter(x -> x.withdrawnAt() == null && x.closedAt() == null && x.windowStart() != null && x.windowEnd() != null);
                if (n.isEmpty()) return Optional.empty();
                it.semaforo.service.Catalog cat = catalog.load();
                java.util.Set<Long> ids = MaintenanceReminders.services(n.get(), cat);
                List<String> names = cat.services().stream().filter(x -> ids.contains(x.id())).map(x -> x.name()).toList();
                MailComposer.Content c = composer.maintenanceReminder(n.get(), names, lang).forManage(manageUrl);
                return Optional.of(new Mailer.Mail(s.email(), c.subject(), c.text(), c.html(), messageId, c.threadId(),
                        unsubscribeUrl, now));
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    /** A clerk's alert, to the address of their profile, if they still want that kind. */
    private Optional<Mailer.Mail> clerkMail(Outbox.Row r, String messageId) {
        JsonNode p = payload(r);
        Optional<ClerkAlerts.Preferences> to = clerks.recipient(p.path("user").asLong(-1), p.path("alert").asText(""));
        if (to.isEmpty()) return Optional.empty();
        MailComposer.Content c = composer.clerkAlert(p, settings.defaultLanguage().toLanguageTag());
        if (c == null) return Optional.empty();
        return Optional.of(new Mailer.Mail(to.get().email(), c.subject(), c.text(), c.html(), messageId, null, null, clock.instant()));
    }

    private static JsonNode payload(Outbox.Row r) {
        try {
            return JSON.readTree(r.payload());
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }

    /** The events of a row, by their sequence numbers (read in one range). */
    private List<LoggedEvent> load(String payload) {
        List<Long> seqs = new ArrayList<>();
        for (String s : payload.replaceAll("[\\[\\]\\s]", "").split(",")) if (!s.isEmpty()) seqs.add(Long.parseLong(s));
        if (seqs.isEmpty()) return List.of();
        long min = seqs.stream().mapToLong(Long::longValue).min().getAsLong();
        long max = seqs.stream().mapToLong(Long::longValue).max().getAsLong();
        return events.after(min - 1, (int) Math.min(max - min + 1, 10_000), false).stream()
                .filter(e -> seqs.contains(e.seq())).toList();
    }

    @Override
    public void close() {
        mailer.close();
    }
}
