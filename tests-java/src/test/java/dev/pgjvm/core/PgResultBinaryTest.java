package dev.pgjvm.core;

import dev.pgjvm.core.protocol.DataRow;
import dev.pgjvm.core.protocol.RowDescription;
import dev.pgjvm.core.session.StatementResult;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static dev.pgjvm.core.ValueKind.*;
import static org.junit.jupiter.api.Assertions.*;

/** Binary-format columns (binary results): each kind from the type's binary form. */
class PgResultBinaryTest {
    /** A one-row result of binary-format columns, each given as (type OID, value bytes or null). */
    private static PgResult binaryRow(Object... oidAndValue) {
        List<RowDescription.Field> fields = new ArrayList<>();
        byte[][] values = new byte[oidAndValue.length / 2][];
        for (int i = 0; i < values.length; i++) {
            fields.add(new RowDescription.Field("c" + i, 0, 0, (Integer) oidAndValue[2 * i], -1, -1, 1));
            values[i] = (byte[]) oidAndValue[2 * i + 1];
        }
        return new PgResult(new StatementResult(ResultStatus.TUPLES_OK, new RowDescription(fields),
                List.of(DataRow.of(values)), "SELECT 1", StandardCharsets.UTF_8));
    }

    private static byte[] bytes(int capacity, java.util.function.Consumer<ByteBuffer> fill) {
        ByteBuffer b = ByteBuffer.allocate(capacity);
        fill.accept(b);
        return b.array();
    }

    @Test
    void byteaIsTheBytesThemselves() {
        byte[] raw = {'\\', 'x', '4', '1', 0, (byte) 0xff};
        PgResult r = binaryRow(17, raw, 17, new byte[0], 17, null);
        r.setValueKinds(BYTEA, BYTEA, BYTEA);
        Object[] row = r.rows(0, 1)[0];
        assertArrayEquals(raw, (byte[]) row[0], "not read as hex, however it looks");
        assertArrayEquals(new byte[0], (byte[]) row[1]);
        assertNull(row[2]);
        assertEquals(1, r.columns().get(0).format());
    }

    @Test
    void numbersAreBigEndianByTheirLength() {
        PgResult r = binaryRow(21, bytes(2, b -> b.putShort((short) -2)), 23, bytes(4, b -> b.putInt(-3)),
                26, bytes(4, b -> b.putInt(0xFFFFFFFE)), 20, bytes(8, b -> b.putLong(Long.MIN_VALUE)),
                700, bytes(4, b -> b.putFloat(1.5f)), 701, bytes(8, b -> b.putDouble(-0.25)),
                16, new byte[]{1}, 16, new byte[]{0});
        r.setValueKinds(INT8, INT8, INT8, INT8, FLOAT8, FLOAT8, BOOL, BOOL);
        assertArrayEquals(new Object[]{-2L, -3L, 4294967294L, Long.MIN_VALUE, 1.5, -0.25, true, false}, r.rows(0, 1)[0],
                "an oid is unsigned");
    }

    @Test
    void textIsInTheClientEncoding() {
        PgResult r = binaryRow(25, "héllo".getBytes(StandardCharsets.UTF_8));
        assertEquals("héllo", r.rows(0, 1)[0][0]);
    }

    @Test
    void aLengthThatDoesNotFitTheKindIsRefused() {
        PgResult r = binaryRow(23, new byte[3]);
        r.setValueKinds(INT8);
        assertEquals("a binary value of 3 bytes cannot be INT8",
                assertThrows(IllegalArgumentException.class, () -> r.rows(0, 1)).getMessage());
        PgResult f = binaryRow(701, new byte[2]);
        f.setValueKinds(FLOAT8);
        assertThrows(IllegalArgumentException.class, () -> f.rows(0, 1));
        PgResult b = binaryRow(16, new byte[2]);
        b.setValueKinds(BOOL);
        assertThrows(IllegalArgumentException.class, () -> b.rows(0, 1));
    }
}
