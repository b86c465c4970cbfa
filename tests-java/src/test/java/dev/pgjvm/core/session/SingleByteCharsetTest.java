package dev.pgjvm.core.session;

import dev.pgjvm.core.protocol.MessageWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnmappableCharacterException;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class SingleByteCharsetTest {
    private static Charset charset(String pgName) {
        return PgEncodings.charsetFor(pgName).orElseThrow();
    }

    private static byte[] allBytes() {
        byte[] all = new byte[256];
        for (int b = 0; b < 256; b++) {
            all[b] = (byte) b;
        }
        return all;
    }

    @Test
    void latin6AndLatin8AreOurOwn() {
        assertSame(SingleByteCharset.ISO_8859_10, charset("LATIN6"));
        assertSame(SingleByteCharset.ISO_8859_10, charset("latin-6"));
        assertSame(SingleByteCharset.ISO_8859_14, charset("LATIN8"));
        assertSame(SingleByteCharset.ISO_8859_14, charset("Latin_8"));
        assertEquals("ISO-8859-10", charset("LATIN6").name());
        assertEquals("ISO-8859-14", charset("LATIN8").name());
        assertTrue(SingleByteCharset.ISO_8859_10.aliases().contains("latin6"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"LATIN6", "LATIN8"})
    void everyByteDecodesToOneCharacterAndEncodesBack(String pgName) throws CharacterCodingException {
        Charset cs = charset(pgName);
        byte[] all = allBytes();
        // Strict coders: not one byte is unmappable either way.
        CharsetDecoder decoder = cs.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        String text = decoder.decode(ByteBuffer.wrap(all)).toString();
        assertEquals(256, text.length());
        Set<Character> seen = new HashSet<>();
        for (int b = 0; b < 256; b++) {
            char c = text.charAt(b);
            assertTrue(seen.add(c), "two bytes decode to U+" + Integer.toHexString(c));
            assertNotEquals('\uFFFD', c);
            assertArrayEquals(new byte[] {(byte) b}, MessageWriter.encodeStrictly(String.valueOf(c), cs),
                    "byte 0x" + Integer.toHexString(b));
            assertTrue(cs.newEncoder().canEncode(c));
        }
        assertArrayEquals(all, MessageWriter.encodeStrictly(text, cs));
        assertArrayEquals(all, text.getBytes(cs));
        assertEquals(text, new String(all, cs));
        // ASCII and the C1 controls are themselves, as in Python's codecs.
        for (int b = 0; b < 0xA0; b++) {
            assertEquals((char) b, text.charAt(b));
        }
    }

    @Test
    void knownCharacters() {
        Charset latin6 = charset("LATIN6");
        Charset latin8 = charset("LATIN8");
        byte[] some = {(byte) 0xA1, (byte) 0xA2, (byte) 0xBD, (byte) 0xFF};
        assertEquals("\u0104\u0112\u2015\u0138", new String(some, latin6));
        assertEquals("\u1E02\u1E03\u1E84\u00FF", new String(some, latin8));
        assertEquals("\u0174\u0176", new String(new byte[] {(byte) 0xD0, (byte) 0xDE}, latin8));
        assertArrayEquals(new byte[] {'a', (byte) 0xA1, 'b'}, MessageWriter.encodeStrictly("a\u0104b", latin6));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u20AC", "\u4E2D", "\uD83D\uDE00", "ok \u0100\u0101"})
    void unmappableTextIsRefusedByTheStrictEncoder(String text) {
        // Not in ISO-8859-14: the euro sign, a CJK ideograph, an emoji, A and a with macron.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MessageWriter.encodeStrictly(text, charset("LATIN8")));
        assertTrue(e.getMessage().contains("ISO-8859-14"), e.getMessage());
        assertInstanceOf(UnmappableCharacterException.class, e.getCause());
    }

    @Test
    void loneSurrogatesAreMalformed() {
        for (String text : new String[] {"a\uD800", "a\uD800b", "\uDC00"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> MessageWriter.encodeStrictly(text, charset("LATIN6")), text);
            assertInstanceOf(MalformedInputException.class, e.getCause());
        }
    }

    @Test
    void replacementAsTheJdksSingleByteCharsetsDo() {
        // String.getBytes replaces what it cannot encode ('?' once for a pair, once for a lone
        // half), as the JDK's ISO-8859-15 does with characters in neither table.
        Charset jdk = Charset.forName("ISO-8859-15");
        for (String text : new String[] {"a\u4E2Db", "\uD83D\uDE00", "x\uD800y", "\uDC00", "z\uD800",
                "\uD800\uD800\uDC00"}) {
            assertArrayEquals(text.getBytes(jdk), text.getBytes(charset("LATIN6")), text);
            assertArrayEquals(text.getBytes(jdk), text.getBytes(charset("LATIN8")), text);
        }
        assertArrayEquals(new byte[] {'a', '?', 'b'}, "a\u4E2Db".getBytes(charset("LATIN8")));
    }

    @Test
    void encodesInPiecesWithSmallBuffers() {
        Charset cs = charset("LATIN8");
        CharsetEncoder encoder = cs.newEncoder();
        ByteBuffer out = ByteBuffer.allocate(1);
        CharBuffer in = CharBuffer.wrap("\u1E02\u00FFa");
        ByteBuffer all = ByteBuffer.allocate(8);
        while (true) {
            CoderResult r = encoder.encode(in, out, true);
            out.flip();
            all.put(out);
            out.clear();
            if (r.isUnderflow()) {
                break;
            }
            assertTrue(r.isOverflow(), r.toString());
        }
        assertEquals(CoderResult.UNDERFLOW, encoder.flush(out));
        all.flip();
        assertEquals(ByteBuffer.wrap(new byte[] {(byte) 0xA1, (byte) 0xFF, 'a'}), all);
    }

    @Test
    void aSurrogatePairSplitAcrossInputsIsOneUnmappableCharacter() {
        CharsetEncoder encoder = charset("LATIN6").newEncoder();
        ByteBuffer out = ByteBuffer.allocate(8);
        CharBuffer first = CharBuffer.wrap("a\uD83D");
        assertEquals(CoderResult.UNDERFLOW, encoder.encode(first, out, false));
        assertEquals(1, first.remaining(), "the high half waits for its low half");
        CharBuffer rest = CharBuffer.wrap("\uD83D\uDE00");
        CoderResult r = encoder.encode(rest, out, true);
        assertTrue(r.isUnmappable());
        assertEquals(2, r.length());
        // Alone at the end of the input, the high half is malformed.
        CharsetEncoder other = charset("LATIN6").newEncoder();
        CoderResult end = other.encode(CharBuffer.wrap("\uD83D"), ByteBuffer.allocate(4), true);
        assertTrue(end.isMalformed());
    }

    @Test
    void decodesInPiecesWithSmallBuffers() {
        CharsetDecoder decoder = charset("LATIN6").newDecoder();
        ByteBuffer in = ByteBuffer.wrap(new byte[] {(byte) 0xA1, 'x', (byte) 0xBD});
        CharBuffer out = CharBuffer.allocate(1);
        StringBuilder text = new StringBuilder();
        while (true) {
            CoderResult r = decoder.decode(in, out, true);
            out.flip();
            text.append(out);
            out.clear();
            if (r.isUnderflow()) {
                break;
            }
            assertTrue(r.isOverflow(), r.toString());
        }
        assertEquals("\u0104x\u2015", text.toString());
    }

    @Test
    void containsOnlyItself() {
        assertTrue(charset("LATIN6").contains(charset("LATIN6")));
        assertFalse(charset("LATIN6").contains(charset("LATIN8")));
        assertFalse(charset("LATIN6").contains(StandardCharsets.UTF_8));
    }
}
