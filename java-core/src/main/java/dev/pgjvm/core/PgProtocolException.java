package dev.pgjvm.core;

/** The server sent bytes that are not valid PostgreSQL v3 protocol (or a message we cannot handle). */
public class PgProtocolException extends PgException {
    public PgProtocolException(String message) {
        super(message);
    }
}
