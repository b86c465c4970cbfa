package dev.pgjvm.core.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Builds protocol bytes by hand, field by field, so tests state layouts the way the
 * "Message Formats" docs do instead of trusting our own encoder.
 */
public final class Wire {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public static Wire of() {
        return new Wire();
    }

    public Wire int8(int v) {
        out.write(v);
        return this;
    }

    public Wire int16(int v) {
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    public Wire int32(int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    public Wire cstring(String s) {
        bytes(s.getBytes(StandardCharsets.UTF_8));
        return int8(0);
    }

    public Wire bytes(byte[] b) {
        out.write(b, 0, b.length);
        return this;
    }

    public Wire ascii(String s) {
        return bytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** The bytes so far, as a payload (no header). */
    public byte[] payload() {
        return out.toByteArray();
    }

    /** The bytes so far wrapped as a typed message: type, Int32 length (counting itself), payload. */
    public byte[] message(char type) {
        byte[] payload = payload();
        return Wire.of().int8(type).int32(payload.length + 4).bytes(payload).payload();
    }

    /** The bytes so far wrapped as an untyped (start-up phase) message. */
    public byte[] untypedMessage() {
        byte[] payload = payload();
        return Wire.of().int32(payload.length + 4).bytes(payload).payload();
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            all.write(p, 0, p.length);
        }
        return all.toByteArray();
    }
}
