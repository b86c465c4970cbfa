package dev.pgjvm.core.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;

/** Text from the server decoded without loss. */
public final class Texts {
    private static final char REPLACEMENT = '\uFFFD';

    private Texts() {
    }

    /**
     * {@code bytes[offset, offset + length)} decoded in {@code charset}, refusing what is not
     * valid there. {@code new String} (the fast path, intrinsic for ASCII) writes U+FFFD for a
     * malformed or unmappable sequence; only text that holds one (a rare character, and a
     * legitimate one stays) is decoded again by a decoder that reports.
     */
    public static String decodeStrictly(byte[] bytes, int offset, int length, Charset charset)
            throws CharacterCodingException {
        String text = new String(bytes, offset, length, charset);
        if (text.indexOf(REPLACEMENT) >= 0) {
            charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, length));
        }
        return text;
    }
}
