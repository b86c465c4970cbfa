package dev.pgjvm.psycopg2;

import dev.pgjvm.core.PgConnection;
import dev.pgjvm.core.QueryResult;
import org.graalvm.polyglot.Value;

/**
 * What the Python package needs flattened to cross into java-core in bulk. Its only caller is
 * the package's boundary module ({@code psycopg2/_java.py}); java-core itself knows nothing of
 * Python.
 */
public final class PythonBridge {
    private PythonBridge() {
    }

    /**
     * The bytes of a Python bytes-like object (bytes, bytearray, memoryview) in one copy. Passing
     * a bytes object where a byte[] is expected converts it element by element, about a hundred
     * times slower.
     *
     * @throws IllegalArgumentException when the value has no buffer
     */
    public static byte[] bytesOf(Value buffer) {
        if (!buffer.hasBufferElements()) {
            throw new IllegalArgumentException("not a bytes-like object: " + buffer);
        }
        long size = buffer.getBufferSize();
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a buffer of " + size + " bytes is too large");
        }
        byte[] out = new byte[(int) size];
        buffer.readBuffer(0, out, 0, out.length);
        return out;
    }

    /** "IN", "OUT" or "NONE" (the statement finished without COPY data). */
    public static String copyStart(PgConnection c, byte[] sql) {
        String direction = c.copyStart(sql);
        return direction.equals("DONE") ? "NONE" : direction;
    }

    public static String[] notices(PgConnection c) {
        return c.drainNotices();
    }

    /** {Integer pid, String channel, String payload} each. */
    public static Object[][] notifications(PgConnection c) {
        return c.drainNotifications();
    }

    /** libpq's PQTRANS_* number. */
    public static int transactionStatus(PgConnection c) {
        return c.transactionStatus();
    }

    public static String[][] dsnParameters(PgConnection c) {
        return c.dsnParameters();
    }

    public static String status(QueryResult r) {
        return r.status();
    }

    /** {name, typeOid, tableOid, tableColumn, typeSize, typeModifier, format} per column. */
    public static Object[][] columns(QueryResult r) {
        return r.columns();
    }

    public static void setKinds(QueryResult r, String letters) {
        r.setDecoders(letters);
    }

    public static Object[][] rows(QueryResult r, int from, int to) {
        return r.rows(from, to);
    }
}
