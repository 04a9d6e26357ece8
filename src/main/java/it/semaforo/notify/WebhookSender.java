package it.semaforo.notify;

import it.semaforo.event.EventLog;
import it.semaforo.event.LoggedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Delivers webhook rows of the outbox, one event per request, signed as the Standard Webhooks
 * specification says: webhook-id (the same on every retry), webhook-timestamp, and
 * webhook-signature "v1," + base64 HMAC-SHA256 of "id.timestamp.body" with the endpoint's
 * secret. A 2xx is delivered; anything else (a redirect included: none is followed) is tried
 * again with backoff for the retry period, after which the endpoint is disabled.
 */
public final class WebhookSender implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);

    private final Outbox outbox;
    private final Webhooks webhooks;
    private final EventLog events;
    private final Function<LoggedEvent, String> shape;
    private final NotifySettings settings;
    private final Clock clock;
    /** Clerks told of deliveries that keep failing; null without mail. */
    private final ClerkAlerts clerks;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final Object signal = new Object();
    private final Thread thread;
    private volatile boolean running = true;
    private boolean woken;

    public WebhookSender(Outbox outbox, Webhooks webhooks, EventLog events, Function<LoggedEvent, String> shape,
                         NotifySettings settings, Clock clock, ClerkAlerts clerks) {
        this.clerks = clerks;
        this.outbox = outbox;
        this.webhooks = webhooks;
        this.events = events;
        this.shape = shape;
        this.settings = settings;
        this.clock = clock;
        this.thread = new Thread(this::loop, "semaforo-webhooks");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    public void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    private void loop() {
        while (running) {
            try {
                List<Outbox.Row> rows = outbox.claim(clock.instant(), 20, true);
                for (Outbox.Row r : rows) {
                    if (!running) return;
                    handle(r);
                }
                if (rows.isEmpty()) pause(1000);
            } catch (RuntimeException e) {
                log.warn("webhooks: the sender's round failed; trying again in a few seconds: {}", e.getMessage());
                pause(5000);
            }
        }
    }

    private void pause(long millis) {
        synchronized (signal) {
            if (!woken) {
                try {
                    signal.wait(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
            }
            woken = false;
        }
    }

    /** The signature header's value for a message: "v1," + base64(HMAC-SHA256(secret, id.timestamp.body)). */
    public static String signature(String secret, String id, long timestamp, String body) {
        byte[] key = Base64.getDecoder().decode(secret.startsWith("whsec_") ? secret.substring(6) : secret);
        return "v1," + Base64.getEncoder().encodeToString(Tokens.hmac(key, id + "." + timestamp + "." + body));
    }

    private void handle(Outbox.Row r) {
        Optional<Webhooks.Endpoint> endpoint = webhooks.find(r.endpointId());
        if (endpoint.isEmpty() || !endpoint.get().enabled()) {
            outbox.failed(r, clock.instant(), "endpoint disabled", false);
            return;
        }
        long seq = Long.parseLong(r.payload().replaceAll("[\\[\\]\\s]", ""));
        List<LoggedEvent> found = events.after(seq - 1, 1, false);
        if (found.isEmpty() || found.get(0).seq() != seq) {
            outbox.failed(r, clock.instant(), "event " + seq + " not found", false);
            return;
        }
        String body = shape.apply(found.get(0));
        String id = "msg_" + r.id();
        long timestamp = clock.instant().getEpochSecond();
        String error;
        Optional<String> refused = webhooks.refusal(endpoint.get().url());   // the name may point elsewhere now
        if (refused.isPresent()) {
            error = "refused destination: " + refused.get();
        } else {
            try {
                HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint.get().url()))
                        .timeout(Duration.ofSeconds(15))
                        .header("Content-Type", "application/json")
                        .header("User-Agent", "Semaforo-Webhooks/1")
                        .header("webhook-id", id)
                        .header("webhook-timestamp", Long.toString(timestamp))
                        .header("webhook-signature", signature(endpoint.get().secret(), id, timestamp, body))
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
                HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() >= 200 && response.statusCode() < 300) {
                    outbox.sent(r, clock.instant());
                    return;
                }
                error = "HTTP " + response.statusCode() + (response.statusCode() / 100 == 3 ? " (redirects are not followed)" : "");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
                return;   // left claimed: due again at the next start
            } catch (Exception e) {
                error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
        }
        Instant now = clock.instant();
        if (!now.isBefore(r.createdAt().plus(settings.retryFor()))) {
            outbox.failed(r, now, error, false);
            webhooks.disable(r.endpointId(), "deliveries failing since " + r.createdAt() + ": " + error);
            log.warn("webhooks: endpoint {} disabled after failing for {}: {}", r.endpointId(), settings.retryFor(), error);
            if (clerks != null) clerks.failing("webhook", r.endpointId(), endpoint.get().url(), error, r.createdAt(), true);
        } else {
            outbox.retry(r, now.plus(MailSender.backoff(r.attempts())), error);
            if (clerks != null && !now.isBefore(r.createdAt().plus(ClerkAlerts.FAILING))) {
                clerks.failing("webhook", r.endpointId(), endpoint.get().url(), error, r.createdAt(), false);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
