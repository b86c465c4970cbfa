package dev.pgjvm.core;

import dev.pgjvm.core.protocol.DataRow;
import dev.pgjvm.core.protocol.RowDescription;
import dev.pgjvm.core.session.StatementResult;
import org.junit.jupiter.api.Test;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class QueryResultTest {
    private static byte[] b(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static QueryResult tuples(Charset charset, int columns, String tag, String[]... rows) {
        List<RowDescription.Field> fields = new ArrayList<>();
        for (int i = 0; i < columns; i++) {
            fields.add(new RowDescription.Field("c" + i, 0x80000000, i + 1, 25, -1, -1, 0));
        }
        List<DataRow> data = new ArrayList<>();
        for (String[] row : rows) {
            byte[][] values = new byte[row.length][];
            for (int i = 0; i < row.length; i++) {
                values[i] = row[i] == null ? null : row[i].getBytes(charset);
            }
            data.add(DataRow.of(values));
        }
        return new QueryResult(new StatementResult(StatementResult.Status.TUPLES_OK, new RowDescription(fields), data, tag, charset));
    }

    private static QueryResult command(String tag) {
        return new QueryResult(new StatementResult(StatementResult.Status.COMMAND_OK, null, List.of(), tag, StandardCharsets.UTF_8));
    }

    @Test
    void defaultDecodersAreStrings() {
        QueryResult r = tuples(StandardCharsets.UTF_8, 2, "SELECT 2", new String[]{"1", "héllo 😀"}, new String[]{null, ""});
        assertEquals("TUPLES_OK", r.status());
        assertEquals(2, r.rowCount());
        assertArrayEquals(new Object[][]{{"1", "héllo 😀"}, {null, ""}}, r.rows(0, 2));
        assertArrayEquals(new Object[][]{{null, ""}}, r.rows(1, 2));
        assertEquals(0, r.rows(2, 2).length);
    }

    @Test
    void typedDecoders() {
        QueryResult r = tuples(StandardCharsets.UTF_8, 5, "SELECT 3",
                new String[]{"42", "1.5", "t", "\\x00ff41", "text"},
                new String[]{"-9223372036854775808", "NaN", "f", "a\\\\b\\001\\377", null},
                new String[]{null, "-Infinity", null, "\\x", "x"});
        r.setDecoders("ifbxs");
        Object[][] rows = r.rows(0, 3);
        assertArrayEquals(new Object[]{42L, 1.5, true, "\u0000\u00ffA", "text"}, rows[0]);
        assertEquals(Long.MIN_VALUE, rows[1][0]);
        assertTrue(Double.isNaN((Double) rows[1][1]));
        assertEquals(false, rows[1][2]);
        assertEquals("a\\b\u0001\u00ff", rows[1][3]);
        assertEquals(Double.NEGATIVE_INFINITY, rows[2][1]);
        assertNull(rows[2][0]);
        assertEquals("", rows[2][3]);
        QueryResult infinity = tuples(StandardCharsets.UTF_8, 1, "SELECT 1", new String[]{"Infinity"});
        infinity.setDecoders("f");
        assertEquals(Double.POSITIVE_INFINITY, infinity.rows(0, 1)[0][0]);
    }

    @Test
    void textUsesTheResultsCharset() {
        QueryResult r = tuples(StandardCharsets.ISO_8859_1, 1, "SELECT 1", new String[]{"café"});
        assertEquals("café", r.rows(0, 1)[0][0]);
    }

    @Test
    void decoderStringIsChecked() {
        QueryResult r = tuples(StandardCharsets.UTF_8, 2, "SELECT 0");
        assertThrows(IllegalArgumentException.class, () -> r.setDecoders("s"));
        assertThrows(IllegalArgumentException.class, () -> r.setDecoders("sz"));
        r.setDecoders("xs");
        assertThrows(IndexOutOfBoundsException.class, () -> r.rows(0, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> r.rows(-1, 0));
    }

    @Test
    void columns() {
        Object[][] cols = tuples(StandardCharsets.UTF_8, 1, "SELECT 0").columns();
        assertArrayEquals(new Object[]{"c0", 25L, 2147483648L, 1, -1, -1, 0}, cols[0]);
        assertEquals(0, command("CREATE TABLE").columns().length);
    }

    @Test
    void commandTags() {
        assertEquals(3, command("INSERT 0 3").affectedRows());
        assertEquals(0, command("INSERT 0 3").insertedOid());
        assertEquals(16385, command("INSERT 16385 1").insertedOid());
        assertEquals(7, command("UPDATE 7").affectedRows());
        assertEquals(0, command("DELETE 0").affectedRows());
        assertEquals(5, command("SELECT 5").affectedRows());
        assertEquals(2, command("MERGE 2").affectedRows());
        assertEquals(4, command("COPY 4").affectedRows());
        assertEquals(1, command("FETCH 1").affectedRows());
        assertEquals(-1, command("CREATE TABLE").affectedRows());
        assertEquals(-1, command("BEGIN").affectedRows());
        assertEquals("BEGIN", command("BEGIN").commandTag());
        QueryResult empty = new QueryResult(new StatementResult(StatementResult.Status.EMPTY_QUERY, null, List.of(), null, StandardCharsets.UTF_8));
        assertEquals("EMPTY_QUERY", empty.status());
        assertNull(empty.commandTag());
        assertEquals(-1, empty.affectedRows());
        assertEquals(0, empty.rowCount());
    }
}
