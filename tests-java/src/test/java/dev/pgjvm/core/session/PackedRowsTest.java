package dev.pgjvm.core.session;

import dev.pgjvm.core.protocol.DataRow;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.pgjvm.core.testing.Gens.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The packed store of a statement's rows gives back each row as it came: any column count
 * (none included), SQL NULLs, empty values, and values that overflow a block by rows or by
 * bytes, read in any order.
 */
class PackedRowsTest {
    static final long SEED = 20261206L;

    /** Rows of one width (0-6 columns), each value NULL, empty or up to 40 arbitrary bytes. */
    private static Gen<List<List<byte[]>>> tables() {
        return ints(0, 6).flatMap(width -> lists(lists(orNull(bytes(0, 40), 15), width, width), 0, 2500));
    }

    @Test
    void everyRowReadsBackAsItCame() {
        theory(SEED, 60).forAll(tables()).checkAssert(table -> {
            PackedRows packed = new PackedRows();
            List<DataRow> expected = new ArrayList<>();
            for (List<byte[]> values : table) {
                DataRow row = DataRow.of(values.toArray(new byte[0][]));
                expected.add(row);
                packed.append(row);
            }
            assertEquals(expected.size(), packed.size());
            for (int i = expected.size() - 1; i >= 0; i--) {     // backwards: not only in order
                assertEquals(expected.get(i), packed.get(i), "row " + i);
                for (int c = 0; c < table.get(i).size(); c++) {
                    byte[] value = table.get(i).get(c);
                    assertArrayEquals(value, packed.get(i).value(c), "row " + i + " column " + c);
                }
            }
            assertEquals(expected, packed);
        });
    }

    @Test
    void blocksEndByBytesAsWellAsByRows() {
        PackedRows packed = new PackedRows();
        byte[] big = new byte[PackedRows.BLOCK_BYTES / 3 + 7];
        List<DataRow> expected = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Arrays.fill(big, (byte) i);
            DataRow row = DataRow.of(big.clone(), ("row " + i).getBytes(StandardCharsets.US_ASCII), null);
            expected.add(row);
            packed.append(row);
        }
        for (int i = 0; i < PackedRows.BLOCK_ROWS * 3 + 5; i++) {
            DataRow row = DataRow.of(new byte[]{(byte) i}, null, new byte[0]);
            expected.add(row);
            packed.append(row);
        }
        assertEquals(expected, packed);
        assertEquals("row 11", packed.get(11).text(1, StandardCharsets.US_ASCII));
        assertTrue(packed.get(PackedRows.BLOCK_ROWS * 2).isNull(1));
        assertEquals(0, packed.get(PackedRows.BLOCK_ROWS * 2).length(2), "an empty value is not NULL");
    }

    @Test
    void rowsOfAnotherWidthAreRefused() {
        PackedRows packed = new PackedRows();
        packed.append(DataRow.of(new byte[]{1}, null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> packed.append(DataRow.of(new byte[]{1})));
        assertEquals("a row of 1 columns among rows of 2", e.getMessage());
        assertEquals(1, packed.size());
    }

    @Test
    void theListIsReadOnlyAndBounded() {
        PackedRows packed = new PackedRows();
        packed.append(DataRow.of(new byte[]{1}));
        assertThrows(UnsupportedOperationException.class, () -> packed.add(DataRow.of(new byte[]{2})));
        assertThrows(UnsupportedOperationException.class, () -> packed.remove(0));
        assertThrows(IndexOutOfBoundsException.class, () -> packed.get(1));
        assertThrows(IndexOutOfBoundsException.class, () -> packed.get(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> new PackedRows().get(0));
    }
}
