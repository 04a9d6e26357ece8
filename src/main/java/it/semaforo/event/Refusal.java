package it.semaforo.event;

import java.util.List;

/**
 * A change the domain refuses, thrown inside its transaction (which then rolls back): why, as a
 * message key with its arguments (instants stay instants: each front end formats them in its
 * language), and the field at fault when there is one. The clerks' area shows it on the form,
 * the write API answers it as JSON.
 */
public final class Refusal extends RuntimeException {
    /** What kind of refusal: the front ends map it to 404, 409 or 422. */
    public enum Kind { NOT_FOUND, CONFLICT, INVALID }

    private final Kind kind;
    private final String field;
    private final String key;
    private final List<Object> args;

    public Refusal(Kind kind, String field, String key, Object... args) {
        super(key, null, false, false);   // an answer to the clerk, not a defect: no stack trace
        this.kind = kind;
        this.field = field;
        this.key = key;
        this.args = List.of(args);
    }

    public static Refusal notFound(String key, Object... args) {
        return new Refusal(Kind.NOT_FOUND, null, key, args);
    }

    public static Refusal conflict(String key, Object... args) {
        return new Refusal(Kind.CONFLICT, null, key, args);
    }

    /** A conflict with what is stored, caused by one field (a name already taken, say). */
    public static Refusal conflictOn(String field, String key, Object... args) {
        return new Refusal(Kind.CONFLICT, field, key, args);
    }

    public static Refusal invalid(String field, String key, Object... args) {
        return new Refusal(Kind.INVALID, field, key, args);
    }

    public Kind kind() {
        return kind;
    }

    /** The field at fault, or null. */
    public String field() {
        return field;
    }

    public String key() {
        return key;
    }

    public List<Object> args() {
        return args;
    }
}
