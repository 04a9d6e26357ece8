package it.semaforo.signal.poll;

import java.util.List;

/**
 * Why an upstream could not be read, as a message key of the clerks' area (signals.error.*)
 * with its arguments: the admin words it, the log keeps the detail.
 */
public final class FetchFailure extends Exception {
    private final String key;
    private final List<Object> args;

    public FetchFailure(String key, Object... args) {
        super(key + " " + List.of(args));
        this.key = key;
        this.args = List.of(args);
    }

    public String key() {
        return key;
    }

    public List<Object> args() {
        return args;
    }
}
