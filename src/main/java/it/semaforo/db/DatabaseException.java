package it.semaforo.db;

/** A failure of the database itself (not of the input): the caller cannot fix it by retyping. */
public class DatabaseException extends RuntimeException {
    public DatabaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
