package it.semaforo.event;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The thread that turns time into events: every second the ledger's tick (what fell due
 * becomes events) and the subscribers' background round (those behind or failing are tried
 * again). A reader that finds the horizon passed nudges it, so that the caches are told at
 * once rather than at the next beat.
 */
public final class Clockwork implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Clockwork.class);

    private final Ledger ledger;
    private final Subscribers subscribers;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "semaforo-clock");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean started = new AtomicBoolean();
    /** A nudge already waiting: readers that find the horizon passed together ask for one tick. */
    private final AtomicBoolean nudged = new AtomicBoolean();

    public Clockwork(Ledger ledger, Subscribers subscribers) {
        this.ledger = ledger;
        this.subscribers = subscribers;
    }

    /** Starts beating: the first beat at once, which announces what fell due while the server was down. */
    public void start() {
        if (started.compareAndSet(false, true)) thread.scheduleWithFixedDelay(this::beat, 0, 1, TimeUnit.SECONDS);
    }

    /** A beat now, without waiting for the next second; nothing if not started (a tool, a test ticking by hand). */
    public void nudge() {
        if (started.get() && nudged.compareAndSet(false, true)) thread.execute(this::beat);
    }

    /**
     * Until when what is shown at now holds: the ledger's horizon. Once it has passed, its events
     * are not out yet: a beat is asked for, whose events tell the readers' caches, and until then
     * nothing read holds for the next reader. Where no clock beats (a tool: the static export),
     * nothing will tell them, so what is read at now holds until the next instant the schedules name.
     */
    public Instant until(Instant now) {
        Instant horizon = ledger.horizon();
        if (horizon == null || now.isBefore(horizon)) return horizon;
        if (started.get()) {
            nudge();
            return horizon;
        }
        return ledger.nextAfter(now);
    }

    private void beat() {
        nudged.set(false);
        try {
            ledger.tick();
        } catch (RuntimeException e) {
            log.warn("the event clock could not turn time into events; trying again in a second: {}", e.getMessage());
        }
        try {
            subscribers.round();
        } catch (RuntimeException e) {
            log.warn("the subscribers' round failed; trying again in a second: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
