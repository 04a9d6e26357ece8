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
 * The webhook step of the outbox worker: delivers a webhook row, one event per request, signed as the Standard Webhooks
 * specification says: webhook-id (the same on every retry), webhook-timestamp, and
 * webhook-signature "v1," + base64 HMAC-SHA256 of "id.timestamp.body" with the endpoint's
 * secret. A 2xx is delivered; anything else (a redirect included: none is followed) is tried
 * again with backoff for the retry period, after which the endpoint is disabled.
 */
public final class WebhookSender implements OutboxWorker.Step {
    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);

    private final Webhooks webhooks;
    private final EventLog events;
    private final Function<LoggedEvent, String> shape;
    private final NotifySettings settings;
    private final Clock clock;
    /** Clerks told of deliveries that keep failing; null without mail. */
    private final ClerkAlerts clerks;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10)).build();

    public WebhookSender(Webhooks webhooks, EventLog events, Function<LoggedEvent, String> shape,
                         NotifySettings settings, Clock clock, ClerkAlerts clerks) {
        this.clerks = clerks;
        this.webhooks = webhooks;
        this.events = events;
        this.shape = shape;
        this.settings = settings;
        this.clock = clock;
    }

    /** The signature header's value for a message: "v1," + base64(HMAC-SHA256(secret, id.timestamp.body)). */
    public static String signature(String secret, String id, long timestamp, String body) {
        byte[] key = Base64.getDecoder().decode(secret.startsWith("whsec_") ? secret.substring(6) : secret);
        return "v1," + Base64.getEncoder().encodeToString(Tokens.hmac(key, id + "." + timestamp + "." + body));
    }

    @Override
    public OutboxWorker.Outcome send(Outbox.Row r) throws InterruptedException {
        Optional<Webhooks.Endpoint> endpoint = webhooks.find(r.endpointId());
        if (endpoint.isEmpty() || !endpoint.get().enabled()) return new OutboxWorker.Outcome.Nothing("endpoint disabled");
        long seq = Long.parseLong(r.payload().replaceAll("[\\[\\]\\s]", ""));
        List<LoggedEvent> found = events.after(seq - 1, 1, false);
        if (found.isEmpty() || found.get(0).seq() != seq) return new OutboxWorker.Outcome.Nothing("event " + seq + " not found");
        String body = shape.apply(found.get(0));
        String id = "msg_" + r.id();
        long timestamp = clock.instant().getEpochSecond();
        Optional<String> refused = webhooks.refusal(endpoint.get().url());   // the name may point elsewhere now
        if (refused.isPresent()) return new OutboxWorker.Outcome.Failed("refused destination: " + refused.get());
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
            if (response.statusCode() >= 200 && response.statusCode() < 300) return OutboxWorker.SENT;
            return new OutboxWorker.Outcome.Failed("HTTP " + response.statusCode()
                    + (response.statusCode() / 100 == 3 ? " (redirects are not followed)" : ""));
        } catch (InterruptedException e) {
            throw e;   // left claimed: due again at the next start
        } catch (Exception e) {
            return new OutboxWorker.Outcome.Failed(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    /** Failing for the whole retry period: the endpoint is disabled (its waiting deliveries given up); clerks who chose it are told. */
    @Override
    public void failing(Outbox.Row r, String error, boolean givenUp) {
        Optional<Webhooks.Endpoint> endpoint = webhooks.find(r.endpointId());
        if (givenUp) {
            webhooks.disable(r.endpointId(), "deliveries failing since " + r.createdAt() + ": " + error);
            log.warn("webhooks: endpoint {} disabled after failing for {}: {}", r.endpointId(), settings.retryFor(), error);
        }
        if (clerks != null && endpoint.isPresent()) clerks.failing("webhook", r.endpointId(), endpoint.get().url(), error, r.createdAt(), givenUp);
    }

    @Override
    public void close() {
        // the HTTP client's threads are daemons and end with the process
    }
}
