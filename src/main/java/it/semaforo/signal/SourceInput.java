package it.semaforo.signal;

import it.semaforo.service.ServiceState;

import java.time.Duration;

/** A source as an administrator enters it, already checked by the form. */
public record SourceInput(SourceKind kind, String name, String url, Long providerId, Long serviceId, String selector,
                          ServiceState proposedState, Duration interval, Duration timeout, int expectedStatus,
                          int threshold, boolean autoPublish, boolean publicMeasurements) {
    public SourceInput {
        if ((providerId == null) == (serviceId == null)) {
            throw new IllegalArgumentException("a source reaches either a provider or a service");
        }
        selector = selector == null ? "" : selector;
    }
}
