package dev.pgjvm.core.protocol;

import dev.pgjvm.core.UndecodableTextException;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.util.Arrays;

/**
 * 'D': one row. The values stay as the raw bytes of the message: decoding happens only when a
 * caller asks for a value (a query keeps its rows' values packed: see PackedRows).
 *
 * <p>The canonical constructor takes ownership of its arrays (the parser hands over the message
 * payload without copying); the component accessors return copies, and the per-column methods
 * read without copying. {@code offsets[i]} is where column i starts in {@code buffer},
 * {@code lengths[i]} its length, or -1 for SQL NULL.
 */
public record DataRow(byte[] buffer, int[] offsets, int[] lengths) implements BackendMessage {
    public DataRow {
        if (offsets.length != lengths.length) {
            throw new IllegalArgumentException("offsets and lengths differ in length");
        }
        for (int i = 0; i < offsets.length; i++) {
            if (lengths[i] >= 0 && (offsets[i] < 0 || offsets[i] + lengths[i] > buffer.length)) {
                throw new IllegalArgumentException("column " + i + " lies outside the buffer");
            }
        }
    }

    /** Builds a row from separate values (null = SQL NULL); handy for tests and synthetic results. */
    public static DataRow of(byte[]... values) {
        int total = 0;
        for (byte[] v : values) {
            total += v == null ? 0 : v.length;
        }
        byte[] buffer = new byte[total];
        int[] offsets = new int[values.length];
        int[] lengths = new int[values.length];
        int at = 0;
        for (int i = 0; i < values.length; i++) {
            offsets[i] = at;
            if (values[i] == null) {
                lengths[i] = -1;
            } else {
                System.arraycopy(values[i], 0, buffer, at, values[i].length);
                lengths[i] = values[i].length;
                at += values[i].length;
            }
        }
        return new DataRow(buffer, offsets, lengths);
    }

    @Override
    public byte[] buffer() {
        return buffer.clone();
    }

    @Override
    public int[] offsets() {
        return offsets.clone();
    }

    @Override
    public int[] lengths() {
        return lengths.clone();
    }

    public int columnCount() {
        return lengths.length;
    }

    public boolean isNull(int column) {
        return lengths[column] < 0;
    }

    /** The value's length in bytes, -1 for NULL. */
    public int length(int column) {
        return lengths[column];
    }

    /** A copy of the value's bytes, or null for SQL NULL. */
    public byte[] value(int column) {
        int len = lengths[column];
        return len < 0 ? null : Arrays.copyOfRange(buffer, offsets[column], offsets[column] + len);
    }

    /** Copies the value's bytes into {@code target} at {@code at} (nothing for SQL NULL). */
    public void copyValue(int column, byte[] target, int at) {
        int len = lengths[column];
        if (len > 0) {
            System.arraycopy(buffer, offsets[column], target, at, len);
        }
    }

    /**
     * The value decoded as text in the given charset, or null for SQL NULL.
     *
     * @throws UndecodableTextException when the bytes are not valid in the charset (never
     *         replaced: see {@link Texts#decodeStrictly})
     */
    public String text(int column, Charset charset) {
        int len = lengths[column];
        if (len < 0) {
            return null;
        }
        try {
            return Texts.decodeStrictly(buffer, offsets[column], len, charset);
        } catch (CharacterCodingException e) {
            throw new UndecodableTextException(value(column), charset.name());
        }
    }

    /** A read-only view of the value's bytes (no copy), or null for SQL NULL. */
    public ByteBuffer slice(int column) {
        int len = lengths[column];
        return len < 0 ? null : ByteBuffer.wrap(buffer, offsets[column], len).slice().asReadOnlyBuffer();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DataRow other) || other.lengths.length != lengths.length) {
            return false;
        }
        for (int i = 0; i < lengths.length; i++) {
            if (lengths[i] != other.lengths[i]) {
                return false;
            }
            if (lengths[i] > 0 && !Arrays.equals(buffer, offsets[i], offsets[i] + lengths[i],
                    other.buffer, other.offsets[i], other.offsets[i] + lengths[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = lengths.length;
        for (int i = 0; i < lengths.length; i++) {
            h = 31 * h + lengths[i];
            for (int j = 0; j < lengths[i]; j++) {
                h = 31 * h + buffer[offsets[i] + j];
            }
        }
        return h;
    }

    @Override
    public String toString() {
        return "DataRow[" + lengths.length + " columns]";
    }
}
