package dev.pgjvm.core;

/**
 * A malformed connection string or an invalid option value. The message is libpq's wording,
 * including its trailing newline (psycopg2 shows it after "invalid dsn: ").
 */
public class ConnInfoException extends PgException {
    public ConnInfoException(String message) {
        super(message);
    }
}
