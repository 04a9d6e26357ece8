package it.semaforo.signal;

import java.time.Instant;

/** "Segnalato dal fornitore": what a clerk marked publicly for a provider, with the link. */
public record ProviderReport(long providerId, String text, String link, Instant at) {
}
