package dev.pgjvm.core.session;

import dev.pgjvm.core.ResultStatus;
import dev.pgjvm.core.protocol.DataRow;
import dev.pgjvm.core.protocol.RowDescription;

import java.nio.charset.Charset;
import java.util.List;

/**
 * The outcome of one statement of a query: its rows still raw (as DataRows), the command tag, and
 * the charset that was in force when its rows arrived (a multi-statement query may change
 * client_encoding half-way).
 */
public record StatementResult(ResultStatus status, RowDescription description, List<DataRow> rows,
                              String commandTag, Charset charset) {
    public StatementResult {
        // The rows a query received are handed over packed (see PackedRows), others copied.
        rows = rows instanceof PackedRows ? rows : List.copyOf(rows);
    }
}
