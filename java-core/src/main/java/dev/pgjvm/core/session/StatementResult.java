package dev.pgjvm.core.session;

import dev.pgjvm.core.protocol.DataRow;
import dev.pgjvm.core.protocol.RowDescription;

import java.nio.charset.Charset;
import java.util.List;

/**
 * The outcome of one statement of a query: its rows still as raw DataRows, the command tag, and
 * the charset that was in force when its rows arrived (a multi-statement query may change
 * client_encoding half-way).
 */
public record StatementResult(Status status, RowDescription description, List<DataRow> rows,
                              String commandTag, Charset charset) {
    public enum Status {
        /** The statement returned rows (possibly none): a RowDescription arrived. */
        TUPLES_OK,
        /** The statement returned no rows. */
        COMMAND_OK,
        /** The query string was empty. */
        EMPTY_QUERY,
        /** COPY TO STDOUT ran (its data went to the caller, or was dropped by a plain query). */
        COPY_OUT,
        /** COPY FROM STDIN ran. */
        COPY_IN
    }

    public StatementResult {
        rows = List.copyOf(rows);
    }
}
