package dev.pgjvm.core.protocol;

import dev.pgjvm.core.testing.Gens;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.pgjvm.core.testing.Gens.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The frontend messages that carry the caller's values (Parse, Bind, Query, CopyData,
 * CopyFail), encoded from random values and read back field by field as the server reads them:
 * the same values come out, or, for text that cannot be sent (NUL, characters the client
 * encoding lacks), an IllegalArgumentException with nothing written. QuickTheories properties
 * (see {@code testing/Gens}): fixed seed, bounded tries, a failure shrunk to the smallest input.
 */
class FrontendEncoderPropertiesTest {
    static final long SEED = 20261205L;
    /** What is already queued before the message: it must survive a refused one untouched. */
    private static final byte[] QUEUED = FrontendEncoder.encode(new Sync(), StandardCharsets.UTF_8);

    private static Gen<Charset> charsets() {
        return pick(StandardCharsets.UTF_8, StandardCharsets.ISO_8859_1, Charset.forName("windows-1251"),
                StandardCharsets.US_ASCII);
    }

    /** Mostly sendable text; now and then a NUL, or characters beyond Latin-1 and Cyrillic. */
    private static Gen<String> strings() {
        return Gens.strings(weighted(weight(10, charRange('\u0000', '\u00ff')), weight(5, charRange('\u0400', '\u044f')),
                weight(1, charsOf("\u20ac\u4e2d"))), 30);
    }

    private static Gen<List<byte[]>> values() {
        return lists(orNull(bytes(0, 100), 20), 0, 10);
    }

    private static Gen<List<Integer>> formats() {
        return lists(pick(0, 1), 0, 10);
    }

    private static Gen<List<Integer>> oids() {
        return lists(anyInt(), 0, 10);
    }

    private static Gen<byte[]> anyBytes() {
        return bytes(0, 300);
    }

    /** A Bind's fields but the charset (QuickTheories takes at most four generators). */
    record BindFields(String portal, String statement, List<Integer> formats, List<byte[]> values,
                      List<Integer> resultFormats) {
        @Override
        public String toString() {
            return "Bind[" + show(portal) + ", " + show(statement) + ", formats " + formats + ", values "
                    + show(values) + ", result formats " + resultFormats + "]";
        }
    }

    private static Gen<BindFields> bindFields() {
        return strings().zip(strings(), formats(), values(), formats(), BindFields::new);
    }

    /** The server's view of one message: its type, and a reader over its payload. */
    private static final class Received {
        final char type;
        final ByteBuffer in;
        final Charset charset;

        Received(byte[] bytes, Charset charset) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            type = (char) b.get();
            assertEquals(bytes.length - 1, b.getInt(), "the length word counts itself and the payload");
            in = b.slice();
            this.charset = charset;
        }

        String cstring() {
            int start = in.position();
            while (in.get() != 0) {
                // up to the terminator
            }
            return new String(in.array(), in.arrayOffset() + start, in.position() - start - 1, charset);
        }

        byte[] bytes(int n) {
            byte[] b = new byte[n];
            in.get(b);
            return b;
        }

        List<Integer> int16s() {
            List<Integer> out = new ArrayList<>();
            for (int n = in.getShort(); n > 0; n--) {
                out.add((int) in.getShort());
            }
            return out;
        }

        void end() {
            assertFalse(in.hasRemaining(), "nothing after the last field");
        }
    }

    /** Whether the server could be sent this text: no NUL, and every character in the encoding. */
    private static boolean sendable(Charset charset, String... texts) {
        for (String s : texts) {
            if (s.indexOf('\0') >= 0 || !charset.newEncoder().canEncode(s)) {
                return false;
            }
        }
        return true;
    }

    /** Encodes behind QUEUED: the message's bytes, or null when it was refused (QUEUED intact). */
    private static byte[] encodeBehindQueued(FrontendMessage message, Charset charset) {
        MessageWriter w = new MessageWriter();
        w.bytes(QUEUED);
        try {
            FrontendEncoder.encode(message, charset, w);
        } catch (IllegalArgumentException refused) {
            assertArrayEquals(QUEUED, w.take(), "a refused message leaves nothing behind");
            return null;
        }
        byte[] all = w.take();
        assertArrayEquals(QUEUED, Arrays.copyOf(all, QUEUED.length));
        return Arrays.copyOfRange(all, QUEUED.length, all.length);
    }

    @Test
    void parseCarriesItsTextAndTypes() {
        theory(SEED, 500).forAll(charsets(), strings(), strings(), oids())
                .checkAssert(FrontendEncoderPropertiesTest::parseCarriesItsTextAndTypes);
    }

    private static void parseCarriesItsTextAndTypes(Charset charset, String name, String sql, List<Integer> oids) {
        byte[] bytes = encodeBehindQueued(new Parse(name, sql, oids), charset);
        assertEquals(sendable(charset, name, sql), bytes != null);
        if (bytes == null) {
            return;
        }
        Received r = new Received(bytes, charset);
        assertEquals('P', r.type);
        assertEquals(name, r.cstring());
        assertEquals(sql, r.cstring());
        List<Integer> got = new ArrayList<>();
        for (int n = r.in.getShort(); n > 0; n--) {
            got.add(r.in.getInt());
        }
        assertEquals(oids, got);
        r.end();
    }

    @Test
    void bindCarriesEveryValueByteForByte() {
        theory(SEED, 500).forAll(charsets(), bindFields())
                .checkAssert(FrontendEncoderPropertiesTest::bindCarriesEveryValueByteForByte);
    }

    private static void bindCarriesEveryValueByteForByte(Charset charset, BindFields fields) {
        String portal = fields.portal();
        String statement = fields.statement();
        List<Integer> formats = fields.formats();
        List<byte[]> values = fields.values();
        List<Integer> resultFormats = fields.resultFormats();
        byte[] bytes = encodeBehindQueued(new Bind(portal, statement, formats, values, resultFormats), charset);
        assertEquals(sendable(charset, portal, statement), bytes != null);
        if (bytes == null) {
            return;
        }
        Received r = new Received(bytes, charset);
        assertEquals('B', r.type);
        assertEquals(portal, r.cstring());
        assertEquals(statement, r.cstring());
        assertEquals(formats, r.int16s());
        assertEquals(values.size(), r.in.getShort());
        for (byte[] value : values) {
            int length = r.in.getInt();
            if (value == null) {
                assertEquals(-1, length, "NULL");
            } else {
                assertArrayEquals(value, r.bytes(length));
            }
        }
        assertEquals(resultFormats, r.int16s());
        r.end();
    }

    @Test
    void queryCarriesItsBytesUpToTheTerminator() {
        theory(SEED, 500).forAll(anyBytes())
                .checkAssert(FrontendEncoderPropertiesTest::queryCarriesItsBytesUpToTheTerminator);
    }

    private static void queryCarriesItsBytesUpToTheTerminator(byte[] sql) {
        boolean hasNul = false;
        for (byte b : sql) {
            hasNul |= b == 0;
        }
        byte[] bytes = encodeBehindQueued(new Query(sql), StandardCharsets.UTF_8);
        assertEquals(!hasNul, bytes != null, "a NUL inside the query is refused, not cut");
        if (bytes != null) {
            Received r = new Received(bytes, StandardCharsets.ISO_8859_1);
            assertEquals('Q', r.type);
            assertArrayEquals(sql, r.bytes(sql.length));
            assertEquals(0, r.in.get());
            r.end();
        }
    }

    @Test
    void copyDataAndCopyFailCarryTheirContents() {
        theory(SEED, 500).forAll(anyBytes(), charsets(), strings())
                .checkAssert(FrontendEncoderPropertiesTest::copyDataAndCopyFailCarryTheirContents);
    }

    private static void copyDataAndCopyFailCarryTheirContents(byte[] data, Charset charset, String reason) {
        Received d = new Received(encodeBehindQueued(new CopyData(Bytes.copyOf(data)), charset), charset);
        assertEquals('d', d.type);
        assertArrayEquals(data, d.bytes(data.length));
        d.end();

        byte[] fail = encodeBehindQueued(new CopyFail(reason), charset);
        assertEquals(sendable(charset, reason), fail != null);
        if (fail != null) {
            Received f = new Received(fail, charset);
            assertEquals('f', f.type);
            assertEquals(reason, f.cstring());
            f.end();
        }
    }
}
