package dev.pgjvm.psycopg2;

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
}
