package dev.pgjvm.core;

/**
 * Base of every error this library raises. Unchecked: a caller tells the failures apart by
 * subclass ({@link PgServerException}, {@link PgConnectionException}, ...), and most of them
 * can happen on any call that talks to the server.
 */
public class PgException extends RuntimeException {
    public PgException(String message) {
        super(message);
    }

    public PgException(String message, Throwable cause) {
        super(message, cause);
    }
}
