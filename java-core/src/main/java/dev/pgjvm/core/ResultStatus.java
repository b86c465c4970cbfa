package dev.pgjvm.core;

/** What kind of outcome a statement had ({@link PgResult#status()}); names as libpq's PGRES_*. */
public enum ResultStatus {
    /** The statement returned rows (possibly none): a RowDescription arrived. */
    TUPLES_OK,
    /** The statement returned no rows. */
    COMMAND_OK,
    /** The query string was empty. */
    EMPTY_QUERY,
    /** COPY TO STDOUT ran (its data went to the caller, or was dropped by a plain query). */
    COPY_OUT,
    /** COPY FROM STDIN ran. */
    COPY_IN,
    /**
     * A COPY BOTH started (START_REPLICATION): the connection streams until it ends (see
     * {@link dev.pgjvm.core.replication.ReplicationStream}); libpq's PGRES_COPY_BOTH.
     */
    COPY_BOTH
}
