package it.semaforo.app;

import it.semaforo.signal.poll.PollSettings;

import java.time.Duration;

/** The signals feature's settings, read from the configuration (signals.*). */
final class SignalWiring {
    private SignalWiring() {
    }

    static PollSettings poll(Config config) {
        return new PollSettings(Boolean.parseBoolean(config.get("signals.allow.private")),
                Duration.ofSeconds(config.integer("signals.connect.timeout.seconds", 1, 120)),
                config.integer("signals.max.bytes", 1024, 64L * 1024 * 1024),
                (int) config.integer("signals.workers", 1, 64),
                "Semaforo (" + config.baseUrl() + ")", Boolean.parseBoolean(config.get("signals.enabled")));
    }

    static Duration interval(Config config) {
        return Duration.ofSeconds(config.integer("signals.interval.seconds", 5, 86_400));
    }

    static Duration timeout(Config config) {
        return Duration.ofSeconds(config.integer("signals.timeout.seconds", 1, 300));
    }
}
