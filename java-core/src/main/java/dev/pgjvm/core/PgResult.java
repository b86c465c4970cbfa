package dev.pgjvm.core;

import dev.pgjvm.core.protocol.DataRow;
import dev.pgjvm.core.protocol.RowDescription;
import dev.pgjvm.core.session.StatementResult;

import java.util.Arrays;
import java.util.List;

/**
 * The result of one statement (libpq's PGresult). Rows stay raw until {@link #rows(int, int)}
 * asks for a slice, which is decoded per column by its {@link ValueKind} (all {@link ValueKind#TEXT}
 * until {@link #setValueKinds} says otherwise) and by the column's format: text, or binary when
 * the statement asked for binary results ({@link PgConnection#executeParams}). Not thread-safe:
 * setValueKinds changes how later slices decode, so one thread at a time should use a result.
 */
public final class PgResult {
    private final StatementResult result;
    private final List<DataRow> rows;
    private final List<FieldDescription> columns;
    /** Per column, whether its values arrive in binary format (FieldDescription's format 1). */
    private final boolean[] binary;
    private ValueKind[] kinds;

    public PgResult(StatementResult result) {
        this.result = result;
        this.rows = result.rows();
        this.columns = columnsOf(result.description());
        this.binary = new boolean[columns.size()];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = columns.get(i).format() == 1;
        }
        this.kinds = new ValueKind[columns.size()];
        Arrays.fill(kinds, ValueKind.TEXT);
    }

    private static List<FieldDescription> columnsOf(RowDescription description) {
        return description == null ? List.of() : description.fields().stream().map(FieldDescription::of).toList();
    }

    /** TUPLES_OK, COMMAND_OK or EMPTY_QUERY; COPY_IN or COPY_OUT for what {@link PgConnection#copyEnd} returns. */
    public ResultStatus status() {
        return result.status();
    }

    /** The command tag, e.g. "SELECT 1", "INSERT 0 3"; null for an empty query. */
    public String commandTag() {
        return result.commandTag();
    }

    /** The row count in the tag (libpq's PQcmdTuples), -1 when the command has none. */
    public long affectedRows() {
        String[] words = tagWords();
        if (words == null) {
            return -1;
        }
        String number = switch (words[0]) {
            case "INSERT" -> words.length == 3 ? words[2] : null;
            case "SELECT", "UPDATE", "DELETE", "MERGE", "MOVE", "FETCH", "COPY" -> words.length == 2 ? words[1] : null;
            default -> null;
        };
        return parseUnsigned(number, -1);
    }

    /** The OID in an "INSERT oid rows" tag (0 unless one row went into a table with OIDs). */
    public long insertedOid() {
        String[] words = tagWords();
        if (words == null || !words[0].equals("INSERT") || words.length != 3) {
            return 0;
        }
        return parseUnsigned(words[1], 0);
    }

    private String[] tagWords() {
        String tag = result.commandTag();
        return tag == null || tag.isEmpty() ? null : tag.split(" ");
    }

    private static long parseUnsigned(String s, long fallback) {
        if (s == null) {
            return fallback;
        }
        try {
            long v = Long.parseLong(s);
            return v < 0 ? fallback : v;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** The columns, in order; empty when the statement returns no rows. */
    public List<FieldDescription> columns() {
        return columns;
    }

    public int columnCount() {
        return kinds.length;
    }

    public int rowCount() {
        return rows.size();
    }

    /**
     * How each column's values decode from now on: exactly one kind per column, in order.
     *
     * @throws IllegalArgumentException for a wrong number of kinds or a null one
     */
    public void setValueKinds(ValueKind... kinds) {
        if (kinds.length != this.kinds.length) {
            throw new IllegalArgumentException("expected " + this.kinds.length + " value kinds, got " + kinds.length);
        }
        ValueKind[] copy = kinds.clone();
        for (int i = 0; i < copy.length; i++) {
            if (copy[i] == null) {
                throw new IllegalArgumentException("no value kind for column " + i);
            }
        }
        this.kinds = copy;
    }

    /** The kind each column decodes as, in order. */
    public List<ValueKind> valueKinds() {
        return List.of(kinds);
    }

    /**
     * Rows [from, to), each an Object[] with one value per column, decoded by its kind, SQL NULL
     * as null. A binary-format column decodes as described for each kind in {@link ValueKind}.
     *
     * @throws IndexOutOfBoundsException outside 0..{@link #rowCount()}
     * @throws NumberFormatException     when an INT8 or FLOAT8 column holds something else (the
     *                                   message names the value)
     * @throws IllegalArgumentException  when a BOOL or BYTEA column holds something else, or a
     *                                   binary value's length does not fit its kind
     * @throws UndecodableTextException when a text value is not valid in the client encoding
     *                                   ({@link UndecodableTextException#row()} says where)
     */
    public Object[][] rows(int from, int to) {
        if (from < 0 || to > rows.size() || from > to) {
            throw new IndexOutOfBoundsException("rows " + from + ".." + to + " of " + rows.size());
        }
        Object[][] out = new Object[to - from][];
        for (int r = from; r < to; r++) {
            DataRow row = rows.get(r);
            if (row.columnCount() != kinds.length) {
                throw new PgProtocolException("DataRow has " + row.columnCount() + " columns, RowDescription "
                        + kinds.length);
            }
            Object[] values = new Object[kinds.length];
            try {
                for (int c = 0; c < values.length; c++) {
                    values[c] = binary[c]
                            ? ValueDecoders.decodeBinary(kinds[c], row, c, result.charset(), columns.get(c).typeOid())
                            : ValueDecoders.decode(kinds[c], row, c, result.charset());
                }
            } catch (UndecodableTextException e) {
                throw e.inRow(r); // the caller can still take the rows before it
            }
            out[r - from] = values;
        }
        return out;
    }
}
