package it.semaforo.web;

/** Input a visitor can correct: answered with 400 and the message, never a 500. */
public class BadRequest extends RuntimeException {
    public BadRequest(String message) {
        super(message);
    }
}
