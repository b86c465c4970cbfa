package dev.pgjvm.psycopg2;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * A window of rows turned into one String per column, for Python to decode with a few
 * built-in calls ({@code str.encode('latin-1')}, {@code array}, {@code str.split}) instead of
 * reading a Java array element by element: each foreign element read costs Python tens of
 * microseconds while GraalPy has not compiled the loop, which made the first fetch of a large
 * result cost seconds.
 *
 * <p>{@link #encode} gives {@code 2 * columns + 1} Strings. For column {@code c}, element
 * {@code 2c} holds the values and element {@code 2c + 1} starts with the column's form letter,
 * followed by the window-relative indexes of its SQL NULLs (4 latin-1 chars each, little
 * endian). The last element holds the UTC offsets, in seconds, that packed timestamptz values
 * refer to (8 latin-1 chars each). The forms:
 * <ul>
 * <li>{@link #LONGS} 'q': one signed 64-bit integer per row, 8 latin-1 chars each (little
 *     endian; 0 for NULL): int columns, and timestamps and dates when every value of the
 *     window packs ({@link PackedValues});</li>
 * <li>{@link #DOUBLES} 'd': the IEEE bits of a float8 the same way;</li>
 * <li>{@link #BOOLS} 'b': one char per row, U+0001 true, U+0000 false (and NULL);</li>
 * <li>{@link #TEXTS} 's': the values joined by U+0000 (which no PostgreSQL text contains; NULL
 *     is empty): text, numerics (packed or not), and timestamps or dates of a window where one
 *     value does not pack (then every value of the column is its text);</li>
 * <li>{@link #BYTES} 'x': the lengths in code points (4 latin-1 chars each, one per row) then
 *     the values: bytea, one latin-1 char per byte, and the rare text column where a value
 *     holds U+0000 (a broken server's).</li>
 * </ul>
 */
final class ColumnWindow {
    static final char LONGS = 'q';
    static final char DOUBLES = 'd';
    static final char BOOLS = 'b';
    static final char TEXTS = 's';
    static final char BYTES = 'x';

    private ColumnWindow() {
    }

    /** The window {@code rows} (a result's rows, as java-core decoded them by {@code letters}). */
    static String[] encode(Object[][] rows, String letters) {
        int columns = letters.length();
        String[] out = new String[2 * columns + 1];
        PackedValues.Offsets offsets =
                letters.indexOf(PackedValues.TIMESTAMPTZ) < 0 ? null : new PackedValues.Offsets();
        for (int c = 0; c < columns; c++) {
            char letter = letters.charAt(c);
            StringBuilder nulls = new StringBuilder();
            for (int r = 0; r < rows.length; r++) {
                if (rows[r][c] == null) {
                    appendLittleEndian(nulls, r, 4);
                }
            }
            Encoded encoded = switch (letter) {
                case PythonBridge.INT8 -> longs(rows, c);
                case PythonBridge.FLOAT8 -> doubles(rows, c);
                case PythonBridge.BOOL -> bools(rows, c);
                case PythonBridge.BYTEA -> withLengths(rows, c,
                        value -> new String((byte[]) value, StandardCharsets.ISO_8859_1));
                case PackedValues.TIMESTAMP, PackedValues.TIMESTAMPTZ, PackedValues.DATE -> {
                    Encoded packed = packedLongs(rows, c, letter, offsets);
                    yield packed != null ? packed : texts(rows, c, String.class::cast);
                }
                case PackedValues.NUMERIC -> texts(rows, c, value -> (String) PackedValues.numeric((String) value));
                default -> texts(rows, c, String.class::cast);
            };
            out[2 * c] = encoded.values();
            out[2 * c + 1] = encoded.form() + nulls.toString();
        }
        StringBuilder seconds = new StringBuilder();
        if (offsets != null) {
            for (long offset : offsets.toArray()) {
                appendLittleEndian(seconds, offset, 8);
            }
        }
        out[2 * columns] = seconds.toString();
        return out;
    }

    /** A column's values and the form they are in. */
    private record Encoded(char form, String values) {
    }

    private static Encoded longs(Object[][] rows, int c) {
        StringBuilder out = new StringBuilder(rows.length * 8);
        for (Object[] row : rows) {
            appendLittleEndian(out, row[c] == null ? 0 : (Long) row[c], 8);
        }
        return new Encoded(LONGS, out.toString());
    }

    private static Encoded doubles(Object[][] rows, int c) {
        StringBuilder out = new StringBuilder(rows.length * 8);
        for (Object[] row : rows) {
            appendLittleEndian(out, row[c] == null ? 0 : Double.doubleToRawLongBits((Double) row[c]), 8);
        }
        return new Encoded(DOUBLES, out.toString());
    }

    private static Encoded bools(Object[][] rows, int c) {
        char[] out = new char[rows.length];
        for (int r = 0; r < rows.length; r++) {
            out[r] = Boolean.TRUE.equals(rows[r][c]) ? '\u0001' : '\u0000';
        }
        return new Encoded(BOOLS, new String(out));
    }

    /**
     * The values of any content (bytea as latin-1; a text holding U+0000, which only a broken
     * server sends, as it is): their lengths in code points, as Python counts, then the values.
     */
    private static Encoded withLengths(Object[][] rows, int c, Function<Object, String> asText) {
        StringBuilder lengths = new StringBuilder(rows.length * 4);
        StringBuilder data = new StringBuilder();
        for (Object[] row : rows) {
            String value = row[c] == null ? "" : asText.apply(row[c]);
            appendLittleEndian(lengths, value.codePointCount(0, value.length()), 4);
            data.append(value);
        }
        return new Encoded(BYTES, lengths.append(data).toString());
    }

    /** The packed values, or null when one of them does not pack (the column then goes as text). */
    private static Encoded packedLongs(Object[][] rows, int c, char letter, PackedValues.Offsets offsets) {
        StringBuilder out = new StringBuilder(rows.length * 8);
        for (Object[] row : rows) {
            Object packed = row[c] == null ? (Object) 0L : switch (letter) {
                case PackedValues.DATE -> PackedValues.date((String) row[c]);
                case PackedValues.TIMESTAMP -> PackedValues.timestamp((String) row[c], null);
                default -> PackedValues.timestamp((String) row[c], offsets);
            };
            if (!(packed instanceof Long value)) {
                return null;
            }
            appendLittleEndian(out, value, 8);
        }
        return new Encoded(LONGS, out.toString());
    }

    private static Encoded texts(Object[][] rows, int c, Function<Object, String> asText) {
        StringBuilder out = new StringBuilder(rows.length * 8);
        for (int r = 0; r < rows.length; r++) {
            if (r > 0) {
                out.append('\u0000');
            }
            if (rows[r][c] != null) {
                String value = asText.apply(rows[r][c]);
                if (value.indexOf('\u0000') >= 0) {
                    return withLengths(rows, c, asText); // the separator cannot tell it apart
                }
                out.append(value);
            }
        }
        return new Encoded(TEXTS, out.toString());
    }

    private static void appendLittleEndian(StringBuilder out, long value, int bytes) {
        for (int i = 0; i < bytes; i++) {
            out.append((char) (value >>> (8 * i) & 0xff));
        }
    }
}
