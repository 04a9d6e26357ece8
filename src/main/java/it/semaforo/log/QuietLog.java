package it.semaforo.log;

import org.slf4j.Logger;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A log that a client cannot flood: each kind of event is written at most once a minute, and
 * the next line says how many of that kind were left out meanwhile. A client's bad request is
 * one line without a stack trace; a failure of ours keeps its stack trace. Kinds are fixed
 * strings chosen in the code, never text from a request, so the table of kinds stays small.
 */
public final class QuietLog {
    private static final long WINDOW_NANOS = TimeUnit.MINUTES.toNanos(1);
    /** A guard against a kind built from request data by mistake: past this, kinds share one slot. */
    private static final int MAX_KINDS = 256;

    private final Logger log;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    public QuietLog(Logger log) {
        this(log, System::nanoTime);
    }

    /** nanoTime: for tests that move time. */
    public QuietLog(Logger log, LongSupplier nanoTime) {
        this.log = log;
        this.nanoTime = nanoTime;
    }

    /** A client's request we refused: one line at INFO, no stack trace. */
    public void client(String kind, String message) {
        long left = admit(kind);
        if (left < 0) return;
        if (log.isInfoEnabled()) log.info("{}{}", message, suffix(left));
    }

    /** A failure of ours (a defect, the disk, the database): at ERROR, with its stack trace. */
    public void failure(String kind, String message, Throwable cause) {
        long left = admit(kind);
        if (left < 0) return;
        log.error(message + suffix(left), cause);
    }

    /** A failure worth a line but not a trace (an operational condition already described by its message). */
    public void warn(String kind, String message) {
        long left = admit(kind);
        if (left < 0) return;
        log.warn("{}{}", message, suffix(left));
    }

    private static String suffix(long left) {
        return left == 0 ? "" : " (and " + left + " more like it in the last minute, not logged)";
    }

    /** -1: not now (counted); else how many were counted since the last line of this kind. */
    private long admit(String kind) {
        String key = windows.size() >= MAX_KINDS && !windows.containsKey(kind) ? "(other)" : kind;
        Window w = windows.computeIfAbsent(key, k -> new Window());
        long now = nanoTime.getAsLong();
        synchronized (w) {
            if (w.logged && now - w.since < WINDOW_NANOS) {
                w.suppressed.incrementAndGet();
                return -1;
            }
            w.logged = true;
            w.since = now;
            return w.suppressed.getAndSet(0);
        }
    }

    private static final class Window {
        boolean logged;
        long since;
        final AtomicLong suppressed = new AtomicLong();
    }
}
