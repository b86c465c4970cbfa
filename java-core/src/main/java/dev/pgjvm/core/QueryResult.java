package dev.pgjvm.core;

import dev.pgjvm.core.protocol.DataRow;
import dev.pgjvm.core.protocol.RowDescription;
import dev.pgjvm.core.session.StatementResult;

import java.util.Arrays;
import java.util.List;

/**
 * The result of one statement, as the Python package sees it. Rows stay raw until
 * {@link #rows(int, int)} asks for a slice, which is decoded per column kind (see
 * {@link #setDecoders(String)}). Not thread-safe on its own; psycopg2 keeps each result in one
 * cursor.
 */
public final class QueryResult {
    private final StatementResult result;
    private final List<DataRow> rows;
    private char[] decoders;

    public QueryResult(StatementResult result) {
        this.result = result;
        this.rows = result.rows();
        int columns = result.description() == null ? 0 : result.description().fields().size();
        this.decoders = new char[columns];
        Arrays.fill(decoders, 's');
    }

    /** "TUPLES_OK", "COMMAND_OK", "EMPTY_QUERY" (or "COPY_OUT" for a COPY TO STDOUT whose data was dropped). */
    public String status() {
        return result.status().name();
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

    /**
     * One entry per column: {name (String), typeOid (Long), tableOid (Long), tableColumn (Integer),
     * typeSize (Integer), typeModifier (Integer), format (Integer)}. Empty when the statement
     * returns no rows.
     */
    public Object[][] columns() {
        RowDescription d = result.description();
        if (d == null) {
            return new Object[0][];
        }
        Object[][] out = new Object[d.fields().size()][];
        for (int i = 0; i < out.length; i++) {
            RowDescription.Field f = d.fields().get(i);
            out[i] = new Object[]{f.name(), Integer.toUnsignedLong(f.typeOid()), Integer.toUnsignedLong(f.tableOid()),
                    f.columnAttribute(), f.typeSize(), f.typeModifier(), f.format()};
        }
        return out;
    }

    public int columnCount() {
        return decoders.length;
    }

    public int rowCount() {
        return rows.size();
    }

    /**
     * One decoder kind per column: s=String i=Long f=Double b=Boolean x=bytea as a latin-1
     * String. The string must have exactly one letter per column.
     */
    public void setDecoders(String kinds) {
        if (kinds.length() != decoders.length) {
            throw new IllegalArgumentException("expected " + decoders.length + " decoder kinds, got " + kinds.length());
        }
        for (int i = 0; i < kinds.length(); i++) {
            if (ValueDecoders.KINDS.indexOf(kinds.charAt(i)) < 0) {
                throw new IllegalArgumentException("unknown decoder kind '" + kinds.charAt(i) + "' for column " + i);
            }
        }
        decoders = kinds.toCharArray();
    }

    /** Rows [from, to), each an Object[] of decoded values with SQL NULL as null. */
    public Object[][] rows(int from, int to) {
        if (from < 0 || to > rows.size() || from > to) {
            throw new IndexOutOfBoundsException("rows " + from + ".." + to + " of " + rows.size());
        }
        Object[][] out = new Object[to - from][];
        for (int r = from; r < to; r++) {
            DataRow row = rows.get(r);
            if (row.columnCount() != decoders.length) {
                throw new PgProtocolException("DataRow has " + row.columnCount() + " columns, RowDescription "
                        + decoders.length);
            }
            Object[] values = new Object[decoders.length];
            for (int c = 0; c < values.length; c++) {
                values[c] = ValueDecoders.decode(decoders[c], row, c, result.charset());
            }
            out[r - from] = values;
        }
        return out;
    }
}
