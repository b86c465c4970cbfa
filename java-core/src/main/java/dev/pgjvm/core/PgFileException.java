package dev.pgjvm.core;

/**
 * A local file that a large-object import or export reads or writes ({@link LargeObjects#importFile},
 * {@link LargeObjects#exportFile}) could not be opened, read or written. The message is libpq's,
 * with the operating system's reason: {@code could not open file "/tmp/x": No such file or directory}
 * and a newline. The connection is untouched; what the server did before stays in the transaction.
 */
public final class PgFileException extends PgException {
    public PgFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
