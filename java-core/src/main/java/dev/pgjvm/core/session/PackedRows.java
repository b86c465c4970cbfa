package dev.pgjvm.core.session;

import dev.pgjvm.core.protocol.DataRow;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * A statement's rows as received, packed: the values of consecutive rows share one byte[] per
 * block (up to {@link #BLOCK_ROWS} rows or about {@link #BLOCK_BYTES} bytes), and one int per
 * value says where it ends. Kept as DataRows, each row held its whole message (the value
 * lengths included), two int arrays and three object headers: a million rows of 7 columns took
 * 264 MB for ~90 MB of values, all of it copied by every young collection it lived through.
 *
 * <p>Read-only through the List interface: {@link #get} gives a DataRow viewing the block (made
 * per call; decoding reads it once). The query that receives the rows {@link #append}s them and
 * hands the list over when its statement completes; no row is added after that.
 */
public final class PackedRows extends AbstractList<DataRow> implements RandomAccess {
    static final int BLOCK_ROWS = 1024;
    static final int BLOCK_BYTES = 1 << 20;
    private static final int FIRST_DATA_BYTES = 256;
    private static final int FIRST_BLOCK_ROWS = 16;

    /** One block: its values back to back; ends[i] is where value i ends, ~end for SQL NULL. */
    private static final class Block {
        final int firstRow;
        byte[] data = new byte[FIRST_DATA_BYTES];
        int used;
        int[] ends;
        int rows;

        Block(int firstRow, int columns) {
            this.firstRow = firstRow;
            this.ends = new int[columns * FIRST_BLOCK_ROWS];
        }

        boolean full() {
            return rows == BLOCK_ROWS || used >= BLOCK_BYTES;
        }

        void trim() {
            if (used < data.length) {
                data = Arrays.copyOf(data, used);
            }
        }
    }

    private final List<Block> blocks = new ArrayList<>();
    private int columns = -1;
    private int size;
    /** The block the last get() read: rows are read in order, so it is usually the next one's. */
    private Block lastRead;

    /**
     * Adds a row at the end, copying its values.
     *
     * @throws IllegalArgumentException when its column count differs from the first row's
     */
    public void append(DataRow row) {
        int n = row.columnCount();
        if (columns < 0) {
            columns = n;
        } else if (n != columns) {
            throw new IllegalArgumentException("a row of " + n + " columns among rows of " + columns);
        }
        Block block = blocks.isEmpty() ? null : blocks.get(blocks.size() - 1);
        if (block == null || block.full()) {
            if (block != null) {
                block.trim();
            }
            block = new Block(size, columns);
            blocks.add(block);
        }
        int at = block.rows * columns;
        if (at + columns > block.ends.length) {
            block.ends = Arrays.copyOf(block.ends, Math.min(2 * block.ends.length, BLOCK_ROWS * columns));
        }
        int rowBytes = 0;
        for (int c = 0; c < n; c++) {
            rowBytes += Math.max(0, row.length(c));
        }
        if (block.used + rowBytes > block.data.length) {
            block.data = Arrays.copyOf(block.data, Math.max(block.used + rowBytes, 2 * block.data.length));
        }
        for (int c = 0; c < n; c++) {
            int length = row.length(c);
            if (length < 0) {
                block.ends[at + c] = ~block.used;
            } else {
                row.copyValue(c, block.data, block.used);
                block.used += length;
                block.ends[at + c] = block.used;
            }
        }
        block.rows++;
        size++;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public DataRow get(int index) {
        Objects.checkIndex(index, size);
        Block block = blockOf(index);
        int n = columns;                    // set by the first row: there is one
        int first = (index - block.firstRow) * n;
        int[] offsets = new int[n];
        int[] lengths = new int[n];
        int start = first == 0 ? 0 : endOf(block.ends[first - 1]);
        for (int c = 0; c < n; c++) {
            int end = block.ends[first + c];
            offsets[c] = start;
            if (end < 0) {
                lengths[c] = -1;
            } else {
                lengths[c] = end - start;
                start = end;
            }
        }
        return new DataRow(block.data, offsets, lengths);
    }

    private static int endOf(int end) {
        return end < 0 ? ~end : end;
    }

    private Block blockOf(int index) {
        Block block = lastRead;
        if (block != null && index >= block.firstRow && index < block.firstRow + block.rows) {
            return block;
        }
        int low = 0;
        int high = blocks.size() - 1;
        while (low < high) {
            int middle = (low + high + 1) >>> 1;
            if (blocks.get(middle).firstRow <= index) {
                low = middle;
            } else {
                high = middle - 1;
            }
        }
        block = blocks.get(low);
        lastRead = block;
        return block;
    }
}
