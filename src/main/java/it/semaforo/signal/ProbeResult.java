package it.semaforo.signal;

import java.time.Instant;

/** One measurement of a probe: whether it passed, the HTTP status (0: no answer), how long it took. */
public record ProbeResult(Instant at, boolean ok, int status, long latencyMs) {
}
