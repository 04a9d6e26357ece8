package it.semaforo.notice;

/** Where an avviso is in its life: drafts are never public, withdrawn ones answer 410. */
public enum NoticeStatus {
    DRAFT, PUBLISHED, WITHDRAWN;

    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static NoticeStatus of(String key) {
        return valueOf(key.toUpperCase(java.util.Locale.ROOT));
    }
}
