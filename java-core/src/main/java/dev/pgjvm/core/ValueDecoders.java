package dev.pgjvm.core;

import dev.pgjvm.core.protocol.DataRow;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.Arrays;

/** Turns one value, in text or binary format, into the Java object of its {@link ValueKind}. */
final class ValueDecoders {
    /** The oid type's OID: its binary value is an unsigned 32-bit number. */
    private static final long OID_TYPE = 26;

    private ValueDecoders() {
    }

    static Object decode(ValueKind kind, DataRow row, int column, Charset charset) {
        if (row.isNull(column)) {
            return null;
        }
        return switch (kind) {
            case TEXT -> row.text(column, charset);
            case INT8 -> parseNumber(kind, row.text(column, charset));
            case FLOAT8 -> parseNumber(kind, row.text(column, charset)); // also NaN, Infinity, -Infinity
            case BOOL -> decodeBoolean(row.slice(column));
            case BYTEA -> decodeBytea(row.slice(column));
        };
    }

    /**
     * A binary-format value (a result asked for in binary): BYTEA is the bytes themselves, TEXT
     * the bytes in the client encoding (the binary form of the text types), INT8 a big-endian
     * integer of 2, 4 or 8 bytes (int2, int4, int8; an oid's 4 bytes unsigned), FLOAT8 a float4
     * or float8, BOOL one byte, 0 or 1.
     *
     * @param typeOid the column's type, which tells an oid from an int4
     * @throws IllegalArgumentException when the value's length does not fit its kind
     */
    static Object decodeBinary(ValueKind kind, DataRow row, int column, Charset charset, long typeOid) {
        if (row.isNull(column)) {
            return null;
        }
        ByteBuffer value = row.slice(column); // big-endian, as the protocol sends numbers
        int length = value.remaining();
        return switch (kind) {
            case TEXT -> row.text(column, charset);
            case BYTEA -> row.value(column);
            case INT8 -> switch (length) {
                case 2 -> (long) value.getShort(0);
                case 4 -> typeOid == OID_TYPE ? Integer.toUnsignedLong(value.getInt(0)) : (long) value.getInt(0);
                case 8 -> value.getLong(0);
                default -> throw wrongLength(kind, length);
            };
            case FLOAT8 -> switch (length) {
                case 4 -> (double) value.getFloat(0);
                case 8 -> value.getDouble(0);
                default -> throw wrongLength(kind, length);
            };
            case BOOL -> {
                if (length != 1) {
                    throw wrongLength(kind, length);
                }
                yield value.get(0) != 0;
            }
        };
    }

    private static IllegalArgumentException wrongLength(ValueKind kind, int length) {
        return new IllegalArgumentException("a binary value of " + length + " bytes cannot be " + kind);
    }

    /** A number's text, or a NumberFormatException that names the value (not Java's words). */
    private static Object parseNumber(ValueKind kind, String text) {
        try {
            return kind == ValueKind.INT8 ? (Object) Long.parseLong(text) : (Object) Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new NumberFormatException("invalid " + (kind == ValueKind.INT8 ? "integer" : "float")
                    + " value from the server: \"" + text + "\"");
        }
    }

    private static Boolean decodeBoolean(ByteBuffer value) {
        if (value.remaining() == 1) {
            if (value.get(0) == 't') {
                return Boolean.TRUE;
            }
            if (value.get(0) == 'f') {
                return Boolean.FALSE;
            }
        }
        throw new IllegalArgumentException("not a boolean in text format: " + latin1(value));
    }

    /**
     * bytea's text output: hex ("\x" then two hex digits per byte, the default since 9.0) or
     * the older escape format (printable bytes as themselves, "\\" for a backslash, "\ooo" in
     * octal for the rest).
     */
    static byte[] decodeBytea(ByteBuffer value) {
        int n = value.remaining();
        if (n >= 2 && value.get(0) == '\\' && value.get(1) == 'x') {
            if ((n - 2) % 2 != 0) {
                throw new IllegalArgumentException("invalid hex bytea: odd number of digits");
            }
            byte[] out = new byte[(n - 2) / 2];
            for (int i = 0; i < out.length; i++) {
                int hi = Character.digit(value.get(2 + 2 * i), 16);
                int lo = Character.digit(value.get(3 + 2 * i), 16);
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("invalid hex digit in bytea");
                }
                out[i] = (byte) ((hi << 4) | lo);
            }
            return out;
        }
        byte[] out = new byte[n];
        int length = 0;
        for (int i = 0; i < n; i++) {
            byte b = value.get(i);
            if (b != '\\') {
                out[length++] = b;
            } else if (i + 1 < n && value.get(i + 1) == '\\') {
                out[length++] = '\\';
                i++;
            } else if (i + 3 < n && isOctal(value.get(i + 1)) && isOctal(value.get(i + 2)) && isOctal(value.get(i + 3))) {
                out[length++] = (byte) (((value.get(i + 1) - '0') << 6) | ((value.get(i + 2) - '0') << 3) | (value.get(i + 3) - '0'));
                i += 3;
            } else {
                throw new IllegalArgumentException("invalid escape in bytea");
            }
        }
        return length == n ? out : Arrays.copyOf(out, length);
    }

    private static boolean isOctal(byte b) {
        return b >= '0' && b <= '7';
    }

    private static String latin1(ByteBuffer value) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < value.remaining(); i++) {
            sb.append((char) (value.get(i) & 0xff));
        }
        return sb.toString();
    }
}
