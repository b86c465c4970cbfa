package dev.pgjvm.core;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.pgjvm.core.ValueKind.*;
import static dev.pgjvm.core.testing.Results.command;
import static dev.pgjvm.core.testing.Results.rawTuples;
import static dev.pgjvm.core.testing.Results.tuples;
import static org.junit.jupiter.api.Assertions.*;

class PgResultTest {
    @Test
    void valuesAreTextUntilKindsAreSet() {
        PgResult r = tuples(StandardCharsets.UTF_8, 2, "SELECT 2", new String[]{"1", "héllo 😀"}, new String[]{null, ""});
        assertEquals(ResultStatus.TUPLES_OK, r.status());
        assertEquals(2, r.rowCount());
        assertEquals(2, r.columnCount());
        assertEquals(List.of(TEXT, TEXT), r.valueKinds());
        assertArrayEquals(new Object[][]{{"1", "héllo 😀"}, {null, ""}}, r.rows(0, 2));
        assertArrayEquals(new Object[][]{{null, ""}}, r.rows(1, 2));
        assertEquals(0, r.rows(2, 2).length);
    }

    @Test
    void typedValueKinds() {
        PgResult r = tuples(StandardCharsets.UTF_8, 5, "SELECT 3",
                new String[]{"42", "1.5", "t", "\\x00ff41", "text"},
                new String[]{"-9223372036854775808", "NaN", "f", "a\\\\b\\001\\377", null},
                new String[]{null, "-Infinity", null, "\\x", "x"});
        r.setValueKinds(INT8, FLOAT8, BOOL, BYTEA, TEXT);
        assertEquals(List.of(INT8, FLOAT8, BOOL, BYTEA, TEXT), r.valueKinds());
        Object[][] rows = r.rows(0, 3);
        assertEquals(42L, rows[0][0]);
        assertEquals(1.5, rows[0][1]);
        assertEquals(true, rows[0][2]);
        assertArrayEquals(new byte[]{0, (byte) 0xff, 'A'}, (byte[]) rows[0][3], "hex bytea");
        assertEquals("text", rows[0][4]);
        assertEquals(Long.MIN_VALUE, rows[1][0]);
        assertTrue(Double.isNaN((Double) rows[1][1]));
        assertEquals(false, rows[1][2]);
        assertArrayEquals(new byte[]{'a', '\\', 'b', 1, (byte) 0xff}, (byte[]) rows[1][3], "escape-format bytea");
        assertNull(rows[1][4]);
        assertNull(rows[2][0]);
        assertEquals(Double.NEGATIVE_INFINITY, rows[2][1]);
        assertNull(rows[2][2]);
        assertArrayEquals(new byte[0], (byte[]) rows[2][3]);
        PgResult infinity = tuples(StandardCharsets.UTF_8, 1, "SELECT 1", new String[]{"Infinity"});
        infinity.setValueKinds(FLOAT8);
        assertEquals(Double.POSITIVE_INFINITY, infinity.rows(0, 1)[0][0]);
    }

    @Test
    void textNotValidInTheCharsetIsRefusedNotReplaced() {
        byte[] fine = "ok".getBytes(StandardCharsets.UTF_8);
        byte[] latin1 = {'c', 'a', 'f', (byte) 0xe9};
        PgResult r = rawTuples(StandardCharsets.UTF_8, 1, "SELECT 3", new byte[][]{fine}, new byte[][]{latin1},
                new byte[][]{fine});
        assertArrayEquals(new Object[][]{{"ok"}}, r.rows(0, 1), "the rows before it decode");
        UndecodableTextException e = assertThrows(UndecodableTextException.class, () -> r.rows(0, 3));
        assertEquals(1, e.row());
        assertArrayEquals(latin1, e.bytes());
        assertEquals("UTF-8", e.charsetName());
        assertEquals("row 1: text not valid in the client encoding (UTF-8), 4 bytes", e.getMessage());
        assertArrayEquals(new Object[][]{{"ok"}}, r.rows(2, 3), "the rows after it decode");
    }

    @Test
    void aReplacementCharacterTheServerSentIsKept() {
        PgResult r = tuples(StandardCharsets.UTF_8, 1, "SELECT 1", new String[]{"a\uFFFDb"});
        assertEquals("a\uFFFDb", r.rows(0, 1)[0][0]);
    }

    @Test
    void textUsesTheResultsCharset() {
        PgResult r = tuples(StandardCharsets.ISO_8859_1, 1, "SELECT 1", new String[]{"café"});
        assertEquals("café", r.rows(0, 1)[0][0]);
    }

    @Test
    void valueKindsAreChecked() {
        PgResult r = tuples(StandardCharsets.UTF_8, 2, "SELECT 0");
        assertThrows(IllegalArgumentException.class, () -> r.setValueKinds(TEXT));
        assertThrows(IllegalArgumentException.class, () -> r.setValueKinds(TEXT, TEXT, TEXT));
        assertThrows(IllegalArgumentException.class, () -> r.setValueKinds(TEXT, null));
        assertEquals(List.of(TEXT, TEXT), r.valueKinds(), "a refused call changes nothing");
        ValueKind[] kinds = {BYTEA, TEXT};
        r.setValueKinds(kinds);
        kinds[0] = INT8;
        assertEquals(List.of(BYTEA, TEXT), r.valueKinds(), "the result keeps its own copy");
        assertThrows(IndexOutOfBoundsException.class, () -> r.rows(0, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> r.rows(-1, 0));
    }

    @Test
    void valuesThatDoNotDecodeNameThemselves() {
        PgResult r = tuples(StandardCharsets.UTF_8, 4, "SELECT 1", new String[]{"12x", "fast", "yes", "\\xf"});
        r.setValueKinds(INT8, TEXT, TEXT, TEXT);
        assertEquals("invalid integer value from the server: \"12x\"",
                assertThrows(NumberFormatException.class, () -> r.rows(0, 1)).getMessage());
        r.setValueKinds(TEXT, FLOAT8, TEXT, TEXT);
        assertEquals("invalid float value from the server: \"fast\"",
                assertThrows(NumberFormatException.class, () -> r.rows(0, 1)).getMessage());
        r.setValueKinds(TEXT, TEXT, BOOL, TEXT);
        assertEquals("not a boolean in text format: yes",
                assertThrows(IllegalArgumentException.class, () -> r.rows(0, 1)).getMessage());
        r.setValueKinds(TEXT, TEXT, TEXT, BYTEA);
        assertThrows(IllegalArgumentException.class, () -> r.rows(0, 1));
    }

    @Test
    void columns() {
        assertEquals(List.of(new FieldDescription("c0", 25, 2147483648L, 1, -1, -1, 0)),
                tuples(StandardCharsets.UTF_8, 1, "SELECT 0").columns());
        assertEquals(List.of(), command("CREATE TABLE").columns());
        assertEquals(0, command("CREATE TABLE").columnCount());
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
        assertEquals(ResultStatus.COMMAND_OK, command("BEGIN").status());
        PgResult empty = command(null);
        assertEquals(ResultStatus.EMPTY_QUERY, empty.status());
        assertNull(empty.commandTag());
        assertEquals(-1, empty.affectedRows());
        assertEquals(0, empty.rowCount());
    }
}
