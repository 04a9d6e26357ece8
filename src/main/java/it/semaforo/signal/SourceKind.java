package it.semaforo.signal;

import java.util.Arrays;
import java.util.Optional;

/** Where signals come from: an upstream's status page, its feed, another Semaforo, or a probe of our own. */
public enum SourceKind {
    STATUSPAGE("statuspage"),
    FEED("feed"),
    SEMAFORO("semaforo"),
    PROBE("probe");

    private final String key;

    SourceKind(String key) {
        this.key = key;
    }

    /** Stored in signal_source.kind and used in forms and message keys. */
    public String key() {
        return key;
    }

    public static Optional<SourceKind> fromKey(String key) {
        return Arrays.stream(values()).filter(k -> k.key.equals(key)).findFirst();
    }
}
