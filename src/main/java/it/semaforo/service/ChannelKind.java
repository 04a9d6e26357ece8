package it.semaforo.service;

import java.util.Arrays;

/** How a resident reaches a service. */
public enum ChannelKind {
    ONLINE("online"), OFFICE("office"), PHONE("phone"), EMAIL("email");

    private final String key;

    ChannelKind(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public static ChannelKind of(String key) {
        return Arrays.stream(values()).filter(k -> k.key.equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown channel kind " + key));
    }
}
