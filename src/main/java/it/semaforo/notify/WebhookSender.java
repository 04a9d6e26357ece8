package it.semaforo.notify;

import it.semaforo.event.EventLog;
import it.semaforo.event.LoggedEvent;
import it.semaforo.net.GuardedHttp;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * again with backoff for the retry period, after which the endpoint is disabled. Requests go
 * through the guarded client (net.GuardedHttp): the endpoint's host is resolved when it is sent
 * to and the address checked is the one connected to, so a name that answered a public address
 * at registration and a private one now (DNS rebinding) is refused, unless
 * webhooks.allow.private is set; no redirect is followed; each request has a total deadline.
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
    /** Connect, send, answer: the whole of one delivery attempt. */
    static final Duration DEADLINE = Duration.ofSeconds(20);
    private final GuardedHttp http;

    /** The client every webhook is sent with, as configured: private addresses refused unless allowed. */
    public static GuardedHttp client(boolean allowPrivate, GuardedHttp.Lookup lookup) {
        return new GuardedHttp(GuardedHttp.refusing(allowPrivate), lookup, Duration.ofSeconds(10), 8, 2,
                "Semaforo-Webhooks/1", "semaforo-webhooks");
    }

    public WebhookSender(Webhooks webhooks, EventLog events, Function<LoggedEvent, String> shape,
                         NotifySettings settings, Clock clock, ClerkAlerts clerks, GuardedHttp http) {
        this.http = http;
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
        // no DNS check of our own here: the guarded client checks the addresses it connects to
        try {
            HttpPost post = new HttpPost(endpoint.get().url());
            post.setHeader("webhook-id", id);
            post.setHeader("webhook-timestamp", Long.toString(timestamp));
            post.setHeader("webhook-signature", signature(endpoint.get().secret(), id, timestamp, body));
            post.setHeader("Content-Type", "application/json");
            post.setEntity(new ByteArrayEntity(body.getBytes(StandardCharsets.UTF_8), null));
            int status = http.execute(post, DEADLINE, response -> response.getCode());
            if (status >= 200 && status < 300) return OutboxWorker.SENT;
            return new OutboxWorker.Outcome.Failed("HTTP " + status + (status / 100 == 3 ? " (redirects are not followed)" : ""));
        } catch (GuardedHttp.DeadlinePassed e) {
            return new OutboxWorker.Outcome.Failed("no answer within " + DEADLINE.toSeconds() + " s");
        } catch (Exception e) {
            GuardedHttp.Refused refused = GuardedHttp.refusedIn(e);
            if (refused != null) {
                return new OutboxWorker.Outcome.Failed("refused destination: " + refused.host() + " resolves to "
                        + refused.address() + ", a loopback, private or link-local address");
            }
            // stopping (the worker interrupted, or an interrupted read): left claimed, due again at the next start
            // (only the plain InterruptedIOException: timeouts, a connect timeout included, are its subclasses)
            if (Thread.currentThread().isInterrupted() || e.getClass() == java.io.InterruptedIOException.class
                    || e instanceof java.nio.channels.ClosedByInterruptException) {
                throw new InterruptedException();
            }
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
        http.close();
    }
}
