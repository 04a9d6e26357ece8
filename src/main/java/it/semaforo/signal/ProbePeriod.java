package it.semaforo.signal;

import java.time.Instant;

/**
 * A probe's measurements over one slice of a period, as a chart draws them: how many checks,
 * how many failed, the mean and the slowest response of those that passed (-1: none passed).
 */
public record ProbePeriod(Instant from, Instant to, int measured, int failed, long meanMillis, long slowestMillis) {
}
