package it.semaforo.signal.poll;

import java.time.Duration;

/**
 * How the poller reaches upstreams (signals.* in the configuration): whether loopback and
 * private addresses may be asked (tests and in-house upstreams only), the connect timeout,
 * the largest answer read, how many polls run at once, and whether the sources are polled in
 * the background at all (signals.enabled: off, only a clerk's "Prova ora" polls).
 */
public record PollSettings(boolean allowPrivate, Duration connectTimeout, long maxBytes, int workers, String userAgent,
                           boolean background) {
}
