package dev.pgjvm.core.protocol;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.Charset;
import java.util.Arrays;

/**
 * A growable output buffer that knows the message layout: {@link #begin} writes the type byte and
 * reserves the length word, {@link #end} fills it in. Messages accumulate until taken.
 */
public final class MessageWriter {
    private byte[] buf;
    private int len;
    private int messageStart = -1;

    public MessageWriter() {
        this(256);
    }

    public MessageWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }

    /** Starts a typed message (type 0: an untyped start-up-phase message, no type byte). */
    public MessageWriter begin(char type) {
        if (messageStart >= 0) {
            throw new IllegalStateException("message already open");
        }
        if (type != 0) {
            int8(type);
        }
        messageStart = len;
        return int32(0);
    }

    /** Patches the length word of the open message. */
    public MessageWriter end() {
        if (messageStart < 0) {
            throw new IllegalStateException("no open message");
        }
        int length = len - messageStart;
        putInt(messageStart, length);
        messageStart = -1;
        return this;
    }

    public MessageWriter int8(int v) {
        ensure(1);
        buf[len++] = (byte) v;
        return this;
    }

    public MessageWriter int16(int v) {
        ensure(2);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
        return this;
    }

    public MessageWriter int32(int v) {
        ensure(4);
        putInt(len, v);
        len += 4;
        return this;
    }

    private void putInt(int at, int v) {
        buf[at] = (byte) (v >>> 24);
        buf[at + 1] = (byte) (v >>> 16);
        buf[at + 2] = (byte) (v >>> 8);
        buf[at + 3] = (byte) v;
    }

    public MessageWriter bytes(byte[] b) {
        return bytes(b, 0, b.length);
    }

    public MessageWriter bytes(byte[] b, int offset, int length) {
        ensure(length);
        System.arraycopy(b, offset, buf, len, length);
        len += length;
        return this;
    }

    /**
     * A NUL-terminated string. PostgreSQL strings cannot contain NUL, so an embedded one is
     * refused here rather than silently truncating what the server sees.
     */
    public MessageWriter cstring(String s, Charset charset) {
        if (s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a string sent to the server cannot contain NUL (0x00) characters");
        }
        bytes(encodeStrictly(s, charset));
        return int8(0);
    }

    /** Bytes already encoded, with the terminating NUL; refuses a NUL inside them. */
    public MessageWriter cstring(byte[] encoded) {
        for (byte b : encoded) {
            if (b == 0) {
                throw new IllegalArgumentException("a string sent to the server cannot contain NUL (0x00) characters");
            }
        }
        bytes(encoded);
        return int8(0);
    }

    /**
     * String.getBytes would silently put '?' for characters the client encoding lacks, sending
     * the server a different query than the caller wrote; refuse instead.
     */
    public static byte[] encodeStrictly(String s, Charset charset) {
        try {
            ByteBuffer encoded = charset.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(s));
            byte[] out = new byte[encoded.remaining()];
            encoded.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the text contains characters that cannot be encoded in "
                    + charset.name(), e);
        }
    }

    /** Text without a terminator (COPY data), encoded as strictly as {@link #cstring}. */
    public MessageWriter text(String s, Charset charset) {
        return bytes(encodeStrictly(s, charset));
    }

    /** Drops everything written after {@code size} bytes, including a half-written message. */
    public void truncate(int size) {
        if (size < 0 || size > len) {
            throw new IllegalArgumentException("cannot truncate " + len + " bytes to " + size);
        }
        len = size;
        messageStart = -1;
    }

    public boolean isEmpty() {
        return len == 0;
    }

    public int size() {
        return len;
    }

    /** Everything written so far, and resets the buffer. */
    public byte[] take() {
        if (messageStart >= 0) {
            throw new IllegalStateException("message still open");
        }
        byte[] out = Arrays.copyOf(buf, len);
        len = 0;
        if (buf.length > 1 << 20) {
            buf = new byte[256]; // don't pin a huge buffer after one big query
        }
        return out;
    }

    /** Copies as much as fits into dst and keeps the rest; returns the number of bytes moved. */
    public int drainTo(ByteBuffer dst) {
        if (messageStart >= 0) {
            throw new IllegalStateException("message still open");
        }
        int n = Math.min(dst.remaining(), len);
        dst.put(buf, 0, n);
        System.arraycopy(buf, n, buf, 0, len - n);
        len -= n;
        return n;
    }
}
