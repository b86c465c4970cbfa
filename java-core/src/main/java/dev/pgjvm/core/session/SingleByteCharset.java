package dev.pgjvm.core.session;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.util.Arrays;

/**
 * A charset of one byte per character, from a table of 256 characters: for the PostgreSQL
 * encodings the JDK has no charset for (LATIN6 and LATIN8). Its coders behave as the JDK's
 * single-byte ones: a character the table lacks is unmappable, a lone surrogate malformed (so
 * {@code String.getBytes} puts {@code '?'} for them and a strict encoder reports them), and a
 * byte the table has no character for is unmappable ({@code new String} puts U+FFFD).
 *
 * <p>The instances are not registered with {@link Charset#forName}; {@link PgEncodings} hands
 * them out.
 */
public final class SingleByteCharset extends Charset {
    /** ISO-8859-10, PostgreSQL's LATIN6 (Nordic), as Python's codec iso8859_10 has it. */
    public static final SingleByteCharset ISO_8859_10 = new SingleByteCharset("ISO-8859-10",
            new String[] {"ISO8859-10", "ISO8859_10", "ISO_8859-10", "latin6", "l6", "iso-ir-157",
                    "csISOLatin6"},
            SingleByteTables.ISO_8859_10);

    /** ISO-8859-14, PostgreSQL's LATIN8 (Celtic), as Python's codec iso8859_14 has it. */
    public static final SingleByteCharset ISO_8859_14 = new SingleByteCharset("ISO-8859-14",
            new String[] {"ISO8859-14", "ISO8859_14", "ISO_8859-14", "latin8", "l8", "iso-ir-199",
                    "iso-celtic"},
            SingleByteTables.ISO_8859_14);

    /** In a table: no character for this byte. */
    static final char UNDEFINED = '\uFFFF';

    private final char[] toChar;
    /** The byte of a character, by its high byte then its low byte; -1: none. */
    private final short[][] toByte = new short[256][];

    private SingleByteCharset(String name, String[] aliases, char[] table) {
        super(name, aliases);
        if (table.length != 256) {
            throw new IllegalArgumentException("a single-byte table has 256 entries, not " + table.length);
        }
        toChar = table.clone();
        for (int b = 0; b < 256; b++) {
            char c = toChar[b];
            if (c == UNDEFINED) {
                continue;
            }
            short[] page = toByte[c >>> 8];
            if (page == null) {
                page = new short[256];
                Arrays.fill(page, (short) -1);
                toByte[c >>> 8] = page;
            }
            if (page[c & 0xFF] >= 0) {
                throw new IllegalArgumentException(name + " maps two bytes to U+"
                        + Integer.toHexString(c));
            }
            page[c & 0xFF] = (short) b;
        }
    }

    /** The byte for a character, -1 when this charset lacks it. */
    int byteFor(char c) {
        short[] page = toByte[c >>> 8];
        return page == null ? -1 : page[c & 0xFF];
    }

    /** The character for a byte, {@link #UNDEFINED} when the table has none. */
    char charFor(byte b) {
        return toChar[b & 0xFF];
    }

    @Override
    public boolean contains(Charset cs) {
        return cs == this;      // the only one known for sure: a JDK charset may differ anywhere
    }

    @Override
    public CharsetDecoder newDecoder() {
        return new Decoder(this);
    }

    @Override
    public CharsetEncoder newEncoder() {
        return new Encoder(this);
    }

    private static final class Decoder extends CharsetDecoder {
        private final SingleByteCharset charset;

        Decoder(SingleByteCharset charset) {
            super(charset, 1.0f, 1.0f);
            this.charset = charset;
        }

        @Override
        protected CoderResult decodeLoop(ByteBuffer in, CharBuffer out) {
            while (in.hasRemaining()) {
                char c = charset.charFor(in.get(in.position()));
                if (c == UNDEFINED) {
                    return CoderResult.unmappableForLength(1);
                }
                if (!out.hasRemaining()) {
                    return CoderResult.OVERFLOW;
                }
                out.put(c);
                in.position(in.position() + 1);
            }
            return CoderResult.UNDERFLOW;
        }
    }

    private static final class Encoder extends CharsetEncoder {
        private final SingleByteCharset charset;

        Encoder(SingleByteCharset charset) {
            super(charset, 1.0f, 1.0f);
            this.charset = charset;
        }

        @Override
        public boolean canEncode(char c) {
            return charset.byteFor(c) >= 0;
        }

        @Override
        protected CoderResult encodeLoop(CharBuffer in, ByteBuffer out) {
            while (in.hasRemaining()) {
                int at = in.position();
                char c = in.get(at);
                int b = charset.byteFor(c);
                if (b < 0) {
                    if (Character.isHighSurrogate(c)) {
                        if (in.remaining() < 2) {
                            // Its low half may come with the next input; at the end of the input
                            // the encoder calls what is left malformed.
                            return CoderResult.UNDERFLOW;
                        }
                        return Character.isLowSurrogate(in.get(at + 1))
                                ? CoderResult.unmappableForLength(2)
                                : CoderResult.malformedForLength(1);
                    }
                    if (Character.isLowSurrogate(c)) {
                        return CoderResult.malformedForLength(1);
                    }
                    return CoderResult.unmappableForLength(1);
                }
                if (!out.hasRemaining()) {
                    return CoderResult.OVERFLOW;
                }
                out.put((byte) b);
                in.position(at + 1);
            }
            return CoderResult.UNDERFLOW;
        }
    }
}
