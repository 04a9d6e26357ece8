package it.semaforo.notice;

import java.util.Arrays;
import java.util.Optional;

/** The kinds of avviso of docs/design.md; the key is stored and appears in URLs. */
public enum NoticeKind {
    OUTAGE("disservizio"),
    MAINTENANCE("manutenzione"),
    SECURITY("sicurezza"),
    DATA_BREACH("violazione-dati"),
    INFORMATION("informazione");

    private final String key;

    NoticeKind(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public static Optional<NoticeKind> fromKey(String key) {
        return Arrays.stream(values()).filter(k -> k.key.equals(key)).findFirst();
    }

    public static NoticeKind of(String key) {
        return fromKey(key).orElseThrow(() -> new IllegalArgumentException("unknown kind of avviso " + key));
    }
}
