package dev.pgjvm.psycopg2;

import dev.pgjvm.core.PgResult;
import dev.pgjvm.core.ValueKind;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.pgjvm.core.testing.Results.command;
import static dev.pgjvm.core.testing.Results.tuples;
import static org.junit.jupiter.api.Assertions.*;

/** The bridge's flattening, on results built without a server (its connection half: PythonBridgeIntegrationTest). */
class PythonBridgeTest {
    @Test
    void oneLetterPerKind() {
        PgResult r = tuples(StandardCharsets.UTF_8, 5, "SELECT 1", new String[]{"a", "1", "2.5", "t", "\\x41"});
        PythonBridge.setKinds(r, "sifbx");
        assertEquals(List.of(ValueKind.TEXT, ValueKind.INT8, ValueKind.FLOAT8, ValueKind.BOOL, ValueKind.BYTEA), r.valueKinds());
        assertEquals("sifbx", "" + PythonBridge.TEXT + PythonBridge.INT8 + PythonBridge.FLOAT8 + PythonBridge.BOOL
                + PythonBridge.BYTEA, "the letters the Python side is written against");
    }

    @Test
    void wrongLettersAreRefused() {
        PgResult r = tuples(StandardCharsets.UTF_8, 2, "SELECT 0");
        assertEquals("expected 2 value kinds, got 1",
                assertThrows(IllegalArgumentException.class, () -> PythonBridge.setKinds(r, "s")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> PythonBridge.setKinds(r, "sss"));
        assertEquals("unknown value kind 'z' for column 1",
                assertThrows(IllegalArgumentException.class, () -> PythonBridge.setKinds(r, "sz")).getMessage());
        assertEquals(List.of(ValueKind.TEXT, ValueKind.TEXT), r.valueKinds(), "a refused call changes nothing");
    }

    @Test
    void byteaComesAsOneCharPerByte() {
        PgResult r = tuples(StandardCharsets.UTF_8, 3, "SELECT 3",
                new String[]{"\\x00ff41", "1", "\\x"},
                new String[]{null, "2", "a\\\\b\\001\\377"});
        PythonBridge.setKinds(r, "xix");
        assertArrayEquals(new Object[][]{{"\u0000\u00ffA", 1L, ""}, {null, 2L, "a\\b\u0001\u00ff"}},
                PythonBridge.rows(r, 0, 2));
        assertArrayEquals(new Object[][]{{null, 2L, "a\\b\u0001\u00ff"}}, PythonBridge.rows(r, 1, 2));
        assertArrayEquals((byte[]) r.rows(0, 1)[0][0], ((String) PythonBridge.rows(r, 0, 1)[0][0]).getBytes(StandardCharsets.ISO_8859_1),
                "latin-1 encoding gives back the bytes");
        assertEquals(0, PythonBridge.rows(r, 2, 2).length);
    }

    @Test
    void withoutByteaRowsAreTheResultsOwn() {
        PgResult r = tuples(StandardCharsets.UTF_8, 2, "SELECT 1", new String[]{"7", "x"});
        PythonBridge.setKinds(r, "is");
        assertArrayEquals(r.rows(0, 1), PythonBridge.rows(r, 0, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> PythonBridge.rows(r, 0, 2));
    }

    @Test
    void decodeErrorsPassThrough() {
        PgResult r = tuples(StandardCharsets.UTF_8, 1, "SELECT 1", new String[]{"abc"});
        PythonBridge.setKinds(r, "i");
        assertEquals("invalid integer value from the server: \"abc\"",
                assertThrows(NumberFormatException.class, () -> PythonBridge.rows(r, 0, 1)).getMessage());
    }

    @Test
    void columnsAsBoxedValues() {
        Object[][] columns = PythonBridge.columns(tuples(StandardCharsets.UTF_8, 2, "SELECT 0"));
        assertArrayEquals(new Object[][]{{"c0", 25L, 2147483648L, 1, -1, -1, 0}, {"c1", 25L, 2147483648L, 2, -1, -1, 0}},
                columns);
        assertEquals(Long.class, columns[0][1].getClass(), "OIDs are unsigned: Long");
        assertEquals(Integer.class, columns[0][3].getClass());
        assertEquals(0, PythonBridge.columns(command("CREATE TABLE")).length);
    }

    @Test
    void statusByName() {
        assertEquals("TUPLES_OK", PythonBridge.status(tuples(StandardCharsets.UTF_8, 1, "SELECT 0")));
        assertEquals("COMMAND_OK", PythonBridge.status(command("BEGIN")));
        assertEquals("EMPTY_QUERY", PythonBridge.status(command(null)));
    }

    @Test
    void describeGivesTheClassAndTheMessage() {
        assertEquals("java.lang.IllegalStateException: stuck", PythonBridge.describe(new IllegalStateException("stuck")));
        assertEquals("java.lang.NullPointerException: ", PythonBridge.describe(new NullPointerException()),
                "no message: none shown, not 'null'");
    }
}
