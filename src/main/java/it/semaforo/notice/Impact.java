package it.semaforo.notice;

import it.semaforo.service.ServiceState;

import java.time.Instant;

/**
 * The state an avviso imposes on one service or one provider (exactly one of the two ids is
 * set), from effectiveFrom on, until a later impact on the same target replaces it.
 */
public record Impact(Long serviceId, Long providerId, ServiceState state, String reason, Instant effectiveFrom,
                     Long updateId) {
    public Impact {
        if ((serviceId == null) == (providerId == null)) {
            throw new IllegalArgumentException("an impact names either a service or a provider");
        }
        reason = reason == null ? "" : reason;
    }

    public static Impact onService(long serviceId, ServiceState state, String reason) {
        return new Impact(serviceId, null, state, reason, null, null);
    }

    public static Impact onProvider(long providerId, ServiceState state, String reason) {
        return new Impact(null, providerId, state, reason, null, null);
    }

    /** Identifies the target, so that a later impact on the same target replaces this one. */
    public String targetKey() {
        return serviceId != null ? "s" + serviceId : "p" + providerId;
    }

    public Impact from(Instant instant, Long update) {
        return new Impact(serviceId, providerId, state, reason, instant, update);
    }
}
