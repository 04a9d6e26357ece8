package it.semaforo.notify;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One outbox worker, for mail and for webhooks alike, on a thread of its own (a clerk's publish
 * never waits for it): it claims the rows of its channel that are due (pending -> sending), hands
 * each to its sending step, and marks each as the step's outcome says before the next is sent,
 * so that a crash can send again at most the message in flight. Temporary failures are tried
 * again with exponential backoff and jitter until the retry period since the row was written has
 * passed; then the row is failed and the step told.
 */
public final class OutboxWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OutboxWorker.class);
    static final Duration FIRST_RETRY = Duration.ofSeconds(30);
    static final Duration MAX_RETRY = Duration.ofHours(1);

    /** What became of one row. */
    sealed interface Outcome {
        /** Accepted by the other side. */
        record Sent() implements Outcome {
        }

        /** Nothing to send any more (the subscriber is gone, the endpoint disabled): failed, no retry. */
        record Nothing(String reason) implements Outcome {
        }

        /** Refused for good (SMTP 5xx): failed, and counted against the address. */
        record Refused(String error) implements Outcome {
        }

        /** Not now (SMTP 4xx, a network error, a non-2xx answer): tried again later. */
        record Failed(String error) implements Outcome {
        }
    }

    static final Outcome SENT = new Outcome.Sent();

    /** The channel's part: what the worker does with a claimed row. */
    interface Step {
        /** Before each round of claims (housekeeping that runs on this thread). */
        default void beforeRound() {
        }

        /** Sends one row; InterruptedException: stopping, the row stays claimed (due again at the next start). */
        Outcome send(Outbox.Row row) throws InterruptedException;

        /** A row that has kept failing for a while (still retried), or was given up (givenUp). */
        default void failing(Outbox.Row row, String error, boolean givenUp) {
        }

        /** The worker stops. */
        default void close() {
        }
    }

    private final String name;
    private final boolean webhooks;
    private final int claim;
    private final Outbox outbox;
    private final Step step;
    private final Clock clock;
    private final Duration retryFor;
    private final Object signal = new Object();
    private final Thread thread;
    private volatile boolean running = true;
    private boolean woken;

    /** name: the log's and the thread's; webhooks: the channel it claims; claim: rows per round. */
    OutboxWorker(String name, boolean webhooks, int claim, Outbox outbox, Step step, Clock clock, Duration retryFor) {
        this.name = name;
        this.webhooks = webhooks;
        this.claim = claim;
        this.outbox = outbox;
        this.step = step;
        this.clock = clock;
        this.retryFor = retryFor;
        this.thread = new Thread(this::loop, "semaforo-" + name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Something is due: look now rather than at the next second. */
    public void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    private void loop() {
        while (running) {
            try {
                step.beforeRound();
                List<Outbox.Row> rows = outbox.claim(clock.instant(), claim, webhooks);
                for (Outbox.Row r : rows) {
                    if (!running) return;   // the rest stay claimed: due again at the next start
                    handle(r);
                }
                if (rows.isEmpty()) pause(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            } catch (RuntimeException e) {
                log.warn("{}: the sender's round failed; trying again in a few seconds: {}", name, e.getMessage());
                pause(5000);
            }
        }
    }

    private void handle(Outbox.Row r) throws InterruptedException {
        Outcome outcome = step.send(r);
        Instant now = clock.instant();
        if (outcome instanceof Outcome.Sent) {
            outbox.sent(r, now);
        } else if (outcome instanceof Outcome.Nothing n) {
            outbox.failed(r, now, n.reason(), false);
        } else if (outcome instanceof Outcome.Refused f) {
            log.warn("{}: message {} refused for good: {}", name, r.id(), f.error());
            outbox.failed(r, now, f.error(), true);
        } else if (outcome instanceof Outcome.Failed f) {
            if (!now.isBefore(r.createdAt().plus(retryFor))) {
                log.warn("{}: message {} given up after {} attempts: {}", name, r.id(), r.attempts() + 1, f.error());
                outbox.failed(r, now, f.error(), false);
                step.failing(r, f.error(), true);
            } else {
                Instant at = now.plus(backoff(r.attempts()));
                if (r.attempts() == 0) log.warn("{}: message {} not sent, trying again at {}: {}", name, r.id(), at, f.error());
                outbox.retry(r, at, f.error());
                if (!now.isBefore(r.createdAt().plus(ClerkAlerts.FAILING))) step.failing(r, f.error(), false);
            }
        }
    }

    /** 30 s, 1 min, 2 min … at most an hour, each between half and one and a half times that. */
    static Duration backoff(int attempts) {
        long base = FIRST_RETRY.toMillis() << Math.min(attempts, 20);
        base = Math.min(base, MAX_RETRY.toMillis());
        return Duration.ofMillis((long) (base * (0.5 + ThreadLocalRandom.current().nextDouble())));
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

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        step.close();
    }
}
