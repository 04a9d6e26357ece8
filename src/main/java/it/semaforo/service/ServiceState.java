package it.semaforo.service;

import java.util.Arrays;
import java.util.Optional;

/**
 * The state of a service, from docs/design.md. Declared from the least to the most severe, so that
 * "worst state wins" is a comparison of ordinals.
 */
public enum ServiceState {
    OPERATIONAL("operational", "operational"),
    DEGRADED("degraded", "degraded_performance"),
    ALTERNATIVE("alternative", "partial_outage"),
    LIMITED("limited", "partial_outage"),
    MAINTENANCE("maintenance", "under_maintenance"),
    SUSPENDED("suspended", "major_outage");

    private final String key;
    private final String statuspage;

    ServiceState(String key, String statuspage) {
        this.key = key;
        this.statuspage = statuspage;
    }

    /** The stable key, stored in the database and used in URLs, CSS classes and message keys. */
    public String key() {
        return key;
    }

    /** The component status of the Statuspage v2 API. */
    public String statuspage() {
        return statuspage;
    }

    public boolean worseThan(ServiceState other) {
        return compareTo(other) > 0;
    }

    public static ServiceState worst(ServiceState a, ServiceState b) {
        return a.worseThan(b) ? a : b;
    }

    public static Optional<ServiceState> fromKey(String key) {
        return Arrays.stream(values()).filter(s -> s.key.equals(key)).findFirst();
    }

    public static ServiceState of(String key) {
        return fromKey(key).orElseThrow(() -> new IllegalArgumentException("unknown service state " + key));
    }
}
