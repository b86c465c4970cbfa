package dev.pgjvm.core.protocol;

import java.util.Arrays;

/**
 * An immutable run of bytes: the payload of the messages that carry opaque data (COPY data,
 * SASL and GSSAPI exchanges, the MD5 salt). Equal by content; its string form gives the length
 * only, so that logging a message never prints a password exchange or megabytes of COPY data.
 */
public final class Bytes {
    private static final Bytes EMPTY = new Bytes(new byte[0]);

    private final byte[] bytes;

    private Bytes(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A copy of {@code bytes}: later changes to the array do not show. */
    public static Bytes copyOf(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new Bytes(bytes.clone());
    }

    /** Takes the array as it is, for a caller that drops its own reference (the parser). */
    static Bytes owning(byte[] bytes) {
        return new Bytes(bytes);
    }

    /** A copy of the bytes. */
    public byte[] toArray() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    /** The bytes without a copy, for the encoder in this package, which only reads them. */
    byte[] array() {
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return bytes.length + " bytes";
    }
}
