package it.semaforo.web;

import it.semaforo.render.Messages;

/**
 * Input a visitor can correct: answered with 400 and the message, never a 500. Public pages
 * name a message key, so the explanation comes in the page's language.
 */
public class BadRequest extends RuntimeException {
    private final String key;
    private final transient Object[] args;

    public BadRequest(String message) {
        super(message);
        this.key = null;
        this.args = new Object[0];
    }

    private BadRequest(String key, Object[] args) {
        super(key);
        this.key = key;
        this.args = args;
    }

    /** A 400 whose text is the message key with its arguments. */
    public static BadRequest of(String key, Object... args) {
        return new BadRequest(key, args);
    }

    /** The explanation in the visitor's language. */
    public String text(Messages msg) {
        return key == null ? getMessage() : msg.t(key, args);
    }
}
