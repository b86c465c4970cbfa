package dev.pgjvm.core;

/**
 * Base of every error this library raises. Unchecked, because the Python layer maps each
 * subclass to a DB-API exception and has no use for Java's checked-exception plumbing.
 */
public class PgException extends RuntimeException {
    public PgException(String message) {
        super(message);
    }

    public PgException(String message, Throwable cause) {
        super(message, cause);
    }
}
