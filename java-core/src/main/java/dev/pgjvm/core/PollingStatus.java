package dev.pgjvm.core;

/**
 * What a non-blocking step is waiting for (libpq's PGRES_POLLING_*): call again once the socket
 * ({@link PgConnection#fileDescriptor()}) is readable or writable, or nothing, the operation is
 * over.
 */
public enum PollingStatus {
    /** Done: the connection is established, or the command's outcome is ready. */
    OK,
    /** Waiting for the socket to be readable. */
    READING,
    /** Waiting for the socket to be writable (output is pending). */
    WRITING
}
