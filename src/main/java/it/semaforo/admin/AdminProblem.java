package it.semaforo.admin;

/**
 * A request the clerks' area refuses, with the HTTP status and the Italian sentence shown to
 * the clerk. Thrown inside a write transaction, it rolls the whole change back.
 */
public class AdminProblem extends RuntimeException {
    private final int status;

    public AdminProblem(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
