package dev.pgjvm.core;

/**
 * Could not connect, or the connection broke. The message is libpq's wording, e.g.
 * {@code connection to server at "127.0.0.1", port 1 failed: Connection refused\n...}.
 * When the server itself refused us (bad password, too many clients, terminated by an
 * administrator), {@link #serverError()} holds its ErrorResponse.
 */
public class PgConnectionException extends PgException {
    private final PgServerException serverError;

    public PgConnectionException(String message) {
        this(message, null, null);
    }

    public PgConnectionException(String message, Throwable cause) {
        this(message, cause, cause instanceof PgServerException s ? s : null);
    }

    private PgConnectionException(String message, Throwable cause, PgServerException serverError) {
        super(message, cause);
        this.serverError = serverError;
    }

    /** The server's ErrorResponse behind this failure, or null when the failure was local. */
    public PgServerException serverError() {
        return serverError;
    }

    /** The SQLSTATE of {@link #serverError()}, or null. */
    public String sqlState() {
        return serverError == null ? null : serverError.sqlState();
    }
}
