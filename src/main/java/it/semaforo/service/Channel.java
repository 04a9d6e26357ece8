package it.semaforo.service;

/** One way to reach a service: value is a URL, an address, a phone number or an e-mail address. */
public record Channel(ChannelKind kind, String label, String value, String hours) {
    /** The href of the channel, or null when it is a place to go to. */
    public String href() {
        return switch (kind) {
            case ONLINE -> value.startsWith("https://") || value.startsWith("http://") ? value : null;
            case PHONE -> "tel:" + value.replaceAll("[^0-9+]", "");
            case EMAIL -> "mailto:" + value;
            case OFFICE -> null;
        };
    }
}
