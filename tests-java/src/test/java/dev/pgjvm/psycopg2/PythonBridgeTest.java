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
        assertEquals("unknown value kind 'q' for column 1",
                assertThrows(IllegalArgumentException.class, () -> PythonBridge.setKinds(r, "sq")).getMessage());
        assertEquals(List.of(ValueKind.TEXT, ValueKind.TEXT), r.valueKinds(), "a refused call changes nothing");
    }

    /** A window of PythonBridge.window() read back as the Python side reads it (pq.py's _column). */
    private record Window(String forms, Object[][] rows, long[] offsets) {
        static Window of(String[] parts, int count) {
            int columns = (parts.length - 1) / 2;
            Object[][] rows = new Object[count][columns];
            StringBuilder forms = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                String values = parts[2 * c];
                char form = parts[2 * c + 1].charAt(0);
                forms.append(form);
                String[] texts = form == 's' ? values.split("\u0000", -1) : null;
                int at = 4 * count;
                for (int r = 0; r < count; r++) {
                    rows[r][c] = switch (form) {
                        case 'q' -> number(values, 8 * r, 8);
                        case 'd' -> Double.longBitsToDouble(number(values, 8 * r, 8));
                        case 'b' -> values.charAt(r) == '\u0001';
                        case 's' -> texts[r];
                        case 'x' -> values.substring(at, at = values.offsetByCodePoints(at, (int) number(values, 4 * r, 4)));
                        default -> throw new AssertionError("form " + form);
                    };
                }
                String nulls = parts[2 * c + 1].substring(1);
                for (int i = 0; i < nulls.length(); i += 4) {
                    rows[(int) number(nulls, i, 4)][c] = null;
                }
            }
            long[] offsets = new long[parts[parts.length - 1].length() / 8];
            for (int i = 0; i < offsets.length; i++) {
                offsets[i] = number(parts[parts.length - 1], 8 * i, 8);
            }
            return new Window(forms.toString(), rows, offsets);
        }

        private static long number(String latin1, int at, int bytes) {
            long value = 0;
            for (int i = bytes - 1; i >= 0; i--) {
                char ch = latin1.charAt(at + i);
                assertTrue(ch < 256, "latin-1 chars only");
                value = value << 8 | ch;
            }
            return bytes == 4 ? (int) value : value;
        }
    }

    private static Window window(PgResult r, int from, int to, String letters) {
        return Window.of(PythonBridge.window(r, from, to, letters), to - from);
    }

    @Test
    void byteaComesAsOneCharPerByte() {
        PgResult r = tuples(StandardCharsets.UTF_8, 3, "SELECT 3",
                new String[]{"\\x00ff41", "1", "\\x"},
                new String[]{null, "2", "a\\\\b\\001\\377"});
        PythonBridge.setKinds(r, "xix");
        Window w = window(r, 0, 2, "xix");
        assertEquals("xqx", w.forms());
        assertArrayEquals(new Object[][]{{"\u0000\u00ffA", 1L, ""}, {null, 2L, "a\\b\u0001\u00ff"}}, w.rows());
        assertArrayEquals(new Object[][]{{null, 2L, "a\\b\u0001\u00ff"}}, window(r, 1, 2, "xix").rows());
        assertArrayEquals((byte[]) r.rows(0, 1)[0][0], ((String) w.rows()[0][0]).getBytes(StandardCharsets.ISO_8859_1),
                "latin-1 encoding gives back the bytes");
        assertArrayEquals(new String[]{"", "x", "", "q", "", "x", ""}, PythonBridge.window(r, 2, 2, "xix"));
    }

    @Test
    void everyKindRoundTripsWithItsNulls() {
        PgResult r = tuples(StandardCharsets.UTF_8, 4, "SELECT 3",
                new String[]{"", "-9223372036854775808", "NaN", "t"},
                new String[]{null, null, null, null},
                new String[]{"caf\u00e9 \u20ac", "9223372036854775807", "-0", "f"});
        PythonBridge.setKinds(r, "sifb");
        Window w = window(r, 0, 3, "sifb");
        assertEquals("sqdb", w.forms());
        assertArrayEquals(new Object[][]{{"", Long.MIN_VALUE, Double.NaN, true}, {null, null, null, null},
                {"caf\u00e9 \u20ac", Long.MAX_VALUE, -0.0, false}}, w.rows(), "an empty text is not NULL");
        assertEquals(0, w.offsets().length);
        assertEquals(1 + 4, PythonBridge.window(r, 0, 3, "sifb")[1].length(), "one NULL: its index");
    }

    @Test
    void aTextHoldingTheSeparatorGoesWithItsLength() {
        // Only a broken server sends U+0000 in a text; joined, it would shift the column.
        PgResult r = tuples(StandardCharsets.UTF_8, 1, "SELECT 3",
                new String[]{"a\u0000b"}, new String[]{null}, new String[]{"\ud83d\ude00!"});
        PythonBridge.setKinds(r, "s");
        Window w = window(r, 0, 3, "s");
        assertEquals("x", w.forms());
        assertArrayEquals(new Object[][]{{"a\u0000b"}, {null}, {"\ud83d\ude00!"}}, w.rows());
        assertEquals('\u0002', PythonBridge.window(r, 0, 3, "s")[0].charAt(8),
                "lengths in code points, as Python counts: the emoji is one");
    }

    @Test
    void withoutTimestamptzThereAreNoOffsets() {
        PgResult r = tuples(StandardCharsets.UTF_8, 2, "SELECT 1", new String[]{"7", "x"});
        PythonBridge.setKinds(r, "is");
        assertArrayEquals(new Object[][]{{7L, "x"}}, window(r, 0, 1, "is").rows());
        assertEquals("", PythonBridge.window(r, 0, 1, "is")[4]);
        assertThrows(IndexOutOfBoundsException.class, () -> PythonBridge.window(r, 0, 2, "is"));
    }

    @Test
    void timestampsDatesAndNumericsArePackedWithTheOffsetsAfterTheColumns() {
        PgResult r = tuples(StandardCharsets.UTF_8, 4, "SELECT 3",
                new String[]{"2024-02-29 23:59:58.5+05:30", "2024-02-29 01:02:03", "2024-02-29", "-12.340"},
                new String[]{"1999-12-31 00:00:00-08", null, "infinity", "NaN"},
                new String[]{"2024-07-01 12:00:00+05:30", "0044-03-15 12:00:00 BC", "10000-01-01", "0.00"});
        PythonBridge.setKinds(r, "ztdn");
        assertEquals(List.of(ValueKind.TEXT, ValueKind.TEXT, ValueKind.TEXT, ValueKind.TEXT), r.valueKinds());
        Window all = window(r, 0, 3, "ztdn");
        assertEquals("zsss".replace('z', 'q'), all.forms(), "a column with a value that does not pack goes as text");
        assertArrayEquals(new long[]{19800L, -28800L}, all.offsets());
        Object[][] rows = all.rows();
        assertEquals(timestamp(2024, 2, 29, 23, 59, 58, 500_000), rows[0][0]);
        assertEquals(1L << 60 | timestamp(1999, 12, 31, 0, 0, 0, 0), rows[1][0]);
        assertEquals(timestamp(2024, 7, 1, 12, 0, 0, 0), rows[2][0], "a known offset, index 0");
        assertEquals("2024-02-29 01:02:03", rows[0][1]);
        assertNull(rows[1][1]);
        assertEquals("0044-03-15 12:00:00 BC", rows[2][1], "what Python's datetime cannot hold stays text");
        assertEquals("2024-02-29", rows[0][2]);
        assertEquals("infinity", rows[1][2]);
        assertEquals("10000-01-01", rows[2][2]);
        assertEquals("" + (char) (0x80 + 2 * 3 + 1) + "12340", rows[0][3]);
        assertEquals("NaN", rows[1][3], "numerics are packed one by one");
        assertEquals("" + (char) (0x80 + 2 * 2) + "0", rows[2][3]);

        Window first = window(r, 0, 1, "ztdn");
        assertEquals("qqqs", first.forms(), "a window where every value packs");
        assertArrayEquals(new Object[]{timestamp(2024, 2, 29, 23, 59, 58, 500_000), timestamp(2024, 2, 29, 1, 2, 3, 0),
                2024L << 9 | 2 << 5 | 29, "" + (char) (0x80 + 2 * 3 + 1) + "12340"}, first.rows()[0]);
        assertArrayEquals(new long[]{-28800L}, window(r, 1, 2, "ztdn").offsets(), "offsets met in this call only");
    }

    @Test
    void unusualTextStaysText() {
        for (String text : new String[]{"2024-02-29 24:00:00", "2024-02-29 23:59:60", "2024-13-01 00:00:00",
                "2024-02-29 01:02:03.1234567", "2024-02-29 01:02:03.", "2024-02-29T01:02:03", "2024-2-29 01:02:03",
                "0000-01-01 00:00:00", "-infinity", "2024-02-29 01:02:03 extra"}) {
            assertEquals(text, PackedValues.timestamp(text, null), text);
        }
        PackedValues.Offsets offsets = new PackedValues.Offsets();
        for (String text : new String[]{"2024-02-29 01:02:03", "2024-02-29 01:02:03+", "2024-02-29 01:02:03+1",
                "2024-02-29 01:02:03+01:", "2024-02-29 01:02:03+01:02:03:04", "2024-02-29 01:02:03 +01"}) {
            assertEquals(text, PackedValues.timestamp(text, offsets), text);
        }
        assertEquals(timestamp(2024, 2, 29, 1, 2, 3, 0) | 0L << 60, PackedValues.timestamp("2024-02-29 01:02:03+01:02:03", offsets));
        for (int i = 1; i < 8; i++) {
            assertEquals((long) i << 60, (Long) PackedValues.timestamp("2024-02-29 01:02:03+0" + i, offsets) & 7L << 60);
        }
        assertEquals("2024-02-29 01:02:03-09", PackedValues.timestamp("2024-02-29 01:02:03-09", offsets), "a ninth offset");
        for (String text : new String[]{"", "-", ".", "1.", ".5", "1.2.3", "1e5", "Infinity", "-Infinity", "1,5",
                "1." + "0".repeat(64)}) {
            assertEquals(text, PackedValues.numeric(text), text);
        }
        assertEquals("" + (char) (0x80 + 2 * 63) + "1", PackedValues.numeric("0." + "0".repeat(62) + "1"));
        assertEquals("" + (char) 0x81 + "0", PackedValues.numeric("-0"));
        assertEquals("" + (char) 0x80 + "100", PackedValues.numeric("00100"));
        for (String text : new String[]{"2024-02-30x", "2024-00-01", "2024-01-32", "abcd-01-01", "0000-01-01"}) {
            assertEquals(text, PackedValues.date(text), text);
        }
    }

    private static long timestamp(int year, int month, int day, int hour, int minute, int second, int micro) {
        return (long) year << 46 | (long) month << 42 | (long) day << 37 | (long) hour << 32 | (long) minute << 26
                | (long) second << 20 | micro;
    }

    @Test
    void decodeErrorsPassThrough() {
        PgResult r = tuples(StandardCharsets.UTF_8, 1, "SELECT 1", new String[]{"abc"});
        PythonBridge.setKinds(r, "i");
        assertEquals("invalid integer value from the server: \"abc\"",
                assertThrows(NumberFormatException.class, () -> PythonBridge.window(r, 0, 1, "i")).getMessage());
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
