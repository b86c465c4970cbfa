package dev.pgjvm.core.protocol;

import dev.pgjvm.core.PgProtocolException;

import java.nio.charset.Charset;
import java.util.Arrays;

/** Reads the fields of one message payload, failing with PgProtocolException instead of overrunning. */
final class PayloadReader {
    private final byte[] data;
    private final char type;
    private int pos;

    PayloadReader(byte[] data, char type) {
        this.data = data;
        this.type = type;
    }

    int position() {
        return pos;
    }

    int remaining() {
        return data.length - pos;
    }

    private void need(int n) {
        if (n < 0 || data.length - pos < n) {
            throw new PgProtocolException("message type '" + type + "' is too short ("
                    + data.length + " bytes)");
        }
    }

    byte int8() {
        need(1);
        return data[pos++];
    }

    int int16() {
        need(2);
        int v = (short) (((data[pos] & 0xff) << 8) | (data[pos + 1] & 0xff));
        pos += 2;
        return v;
    }

    /** An Int16 that counts something: negative is a protocol error, not a value. */
    int count16() {
        int n = int16();
        if (n < 0) {
            throw new PgProtocolException("negative count " + n + " in message type '" + type + "'");
        }
        return n;
    }

    int int32() {
        need(4);
        int v = ((data[pos] & 0xff) << 24) | ((data[pos + 1] & 0xff) << 16)
                | ((data[pos + 2] & 0xff) << 8) | (data[pos + 3] & 0xff);
        pos += 4;
        return v;
    }

    byte[] bytes(int n) {
        need(n);
        byte[] out = Arrays.copyOfRange(data, pos, pos + n);
        pos += n;
        return out;
    }

    /** Skips n bytes and returns where they started (for zero-copy slices). */
    int skip(int n) {
        need(n);
        int at = pos;
        pos += n;
        return at;
    }

    byte[] rest() {
        return bytes(remaining());
    }

    String cstring(Charset charset) {
        int end = pos;
        while (end < data.length && data[end] != 0) {
            end++;
        }
        if (end == data.length) {
            throw new PgProtocolException("unterminated string in message type '" + type + "'");
        }
        String s = new String(data, pos, end - pos, charset);
        pos = end + 1;
        return s;
    }

    /** Libpq complains when a message is longer than its contents; so do we. */
    void expectEnd() {
        if (pos != data.length) {
            throw new PgProtocolException("message contents do not agree with length in message type '"
                    + type + "'");
        }
    }
}
