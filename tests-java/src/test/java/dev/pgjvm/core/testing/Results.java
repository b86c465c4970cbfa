package dev.pgjvm.core.testing;

import dev.pgjvm.core.PgResult;
import dev.pgjvm.core.ResultStatus;
import dev.pgjvm.core.protocol.DataRow;
import dev.pgjvm.core.protocol.RowDescription;
import dev.pgjvm.core.session.StatementResult;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Results built without a server, as the protocol machine would hand them over. */
public final class Results {
    private Results() {
    }

    /**
     * A TUPLES_OK result of text columns c0, c1, ... (type 25, table OID 2^31 to show that OIDs
     * are unsigned, table column i + 1); each row's values in the charset, null for SQL NULL.
     */
    public static PgResult tuples(Charset charset, int columns, String tag, String[]... rows) {
        List<byte[][]> encoded = new ArrayList<>();
        for (String[] row : rows) {
            byte[][] values = new byte[row.length][];
            for (int i = 0; i < row.length; i++) {
                values[i] = row[i] == null ? null : row[i].getBytes(charset);
            }
            encoded.add(values);
        }
        return rawTuples(charset, columns, tag, encoded.toArray(byte[][][]::new));
    }

    /** As {@link #tuples}, with each value's bytes as given: they need not be valid in the charset. */
    public static PgResult rawTuples(Charset charset, int columns, String tag, byte[][]... rows) {
        List<RowDescription.Field> fields = new ArrayList<>();
        for (int i = 0; i < columns; i++) {
            fields.add(new RowDescription.Field("c" + i, 0x80000000, i + 1, 25, -1, -1, 0));
        }
        List<DataRow> data = new ArrayList<>();
        for (byte[][] row : rows) {
            data.add(DataRow.of(row));
        }
        return new PgResult(new StatementResult(ResultStatus.TUPLES_OK, new RowDescription(fields), data, tag, charset));
    }

    /** A result without rows: COMMAND_OK with the tag, or EMPTY_QUERY when the tag is null. */
    public static PgResult command(String tag) {
        return new PgResult(new StatementResult(tag == null ? ResultStatus.EMPTY_QUERY : ResultStatus.COMMAND_OK,
                null, List.of(), tag, StandardCharsets.UTF_8));
    }
}
