package dev.pgjvm.core.session;

import dev.pgjvm.core.protocol.MessageWriter;
import dev.pgjvm.core.testing.Wire;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

/** What an extended query sends: each parameter's format in the Bind, and the results' format. */
class ExtendedQueryFormatsTest {
    /** Describe (portal), Execute (all rows), Sync: the same after every Bind. */
    private static final byte[] DESCRIBE_EXECUTE_SYNC = Wire.concat(Wire.of().int8('P').cstring("").message('D'),
            Wire.of().cstring("").int32(0).message('E'), Wire.of().message('S'));
    private static final byte[] RAW = {0, (byte) 0xff, '\\', 'x'};

    private static byte[] encoded(ExtendedQuery q) {
        MessageWriter out = new MessageWriter();
        q.encode(out, StandardCharsets.UTF_8);
        return out.take();
    }

    private static byte[] sent(byte[] parse, byte[] bind) {
        return Wire.concat(parse, bind, DESCRIBE_EXECUTE_SYNC);
    }

    @Test
    void aBinaryParameterGetsOneFormatCodePerParameter() {
        ExtendedQuery q = new ExtendedQuery("SELECT lowrite($1, $2)", new int[]{23, 17},
                new byte[][]{"0".getBytes(StandardCharsets.US_ASCII), RAW}, new boolean[]{false, true}, false);
        byte[] parse = Wire.of().cstring("").cstring("SELECT lowrite($1, $2)").int16(2).int32(23).int32(17).message('P');
        byte[] bind = Wire.of().cstring("").cstring("").int16(2).int16(0).int16(1)
                .int16(2).int32(1).ascii("0").int32(4).bytes(RAW).int16(1).int16(0).message('B');
        assertArrayEquals(sent(parse, bind), encoded(q), "the bytes go as they are, nothing escaped");
    }

    @Test
    void allTextParametersSendNoFormatCodes() {
        byte[] parse = Wire.of().cstring("").cstring("SELECT $1").int16(0).message('P');
        byte[] bind = Wire.of().cstring("").cstring("").int16(0).int16(1).int32(1).ascii("x")
                .int16(1).int16(1).message('B');
        ExtendedQuery allFalse = new ExtendedQuery("SELECT $1", new int[0], new byte[][]{{'x'}}, new boolean[]{false}, true);
        assertArrayEquals(sent(parse, bind), encoded(allFalse), "the protocol's default: text");
        ExtendedQuery textOnly = new ExtendedQuery("SELECT $1", new int[0], new byte[][]{{'x'}}, true);
        assertArrayEquals(sent(parse, bind), encoded(textOnly), "the text-only constructor");
    }

    @Test
    void aNullBinaryParameterIsSqlNull() {
        ExtendedQuery q = new ExtendedQuery("SELECT $1", new int[]{17}, new byte[][]{null}, new boolean[]{true}, false);
        byte[] parse = Wire.of().cstring("").cstring("SELECT $1").int16(1).int32(17).message('P');
        byte[] bind = Wire.of().cstring("").cstring("").int16(1).int16(1).int16(1).int32(-1)
                .int16(1).int16(0).message('B');
        assertArrayEquals(sent(parse, bind), encoded(q));
    }

    @Test
    void formatsMustBeOnePerParameter() {
        assertThrows(IllegalArgumentException.class, () -> new ExtendedQuery("SELECT $1, $2", new int[0],
                new byte[][]{{'a'}, {'b'}}, new boolean[]{true}, false));
        assertThrows(IllegalArgumentException.class, () -> new ExtendedQuery("SELECT 1", new int[0],
                new byte[0][], new boolean[]{false}, false));
    }
}
