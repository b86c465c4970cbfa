package dev.pgjvm.core.protocol;

import dev.pgjvm.core.testing.Wire;
import org.junit.jupiter.api.Test;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class FrontendEncoderTest {
    private static final Charset UTF8 = StandardCharsets.UTF_8;

    private static byte[] encode(FrontendMessage m) {
        return FrontendEncoder.encode(m, UTF8);
    }

    @Test
    void startupMessage() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("user", "alice");
        params.put("database", "db");
        byte[] expected = Wire.of().int32(196608).cstring("user").cstring("alice").cstring("database").cstring("db")
                .int8(0).untypedMessage();
        assertArrayEquals(expected, encode(new StartupMessage(params)));
    }

    @Test
    void sslCancelAndGssRequests() {
        assertArrayEquals(new byte[]{0, 0, 0, 8, 4, (byte) 0xd2, 0x16, 0x2f}, encode(new SSLRequest()));
        assertArrayEquals(new byte[]{0, 0, 0, 8, 4, (byte) 0xd2, 0x16, 0x30}, encode(new GSSENCRequest()));
        assertArrayEquals(Wire.of().int32(80877102).int32(42).int32(-7).untypedMessage(), encode(new CancelRequest(42, -7)));
        assertEquals(16, encode(new CancelRequest(1, 2)).length);
    }

    @Test
    void authenticationReplies() {
        assertArrayEquals(Wire.of().cstring("sécret").message('p'), encode(new PasswordMessage("sécret")));
        assertArrayEquals(Wire.of().cstring("SCRAM-SHA-256").int32(3).ascii("abc").message('p'),
                encode(new SASLInitialResponse("SCRAM-SHA-256", Bytes.copyOf("abc".getBytes(UTF8)))));
        assertArrayEquals(Wire.of().cstring("X").int32(-1).message('p'), encode(new SASLInitialResponse("X", null)));
        assertArrayEquals(Wire.of().ascii("c=biws").message('p'), encode(new SASLResponse(Bytes.copyOf("c=biws".getBytes(UTF8)))));
    }

    @Test
    void simpleQueryAndTerminate() {
        assertArrayEquals(Wire.of().cstring("SELECT 1").message('Q'), encode(new Query("SELECT 1".getBytes(UTF8))));
        assertArrayEquals(new byte[]{'X', 0, 0, 0, 4}, encode(new Terminate()));
    }

    @Test
    void queryBytesGoAsTheyAreButPasswordsStayUtf8() {
        byte[] latin1 = FrontendEncoder.encode(new Query(new byte[]{(byte) 0xE9}), StandardCharsets.UTF_8);
        assertArrayEquals(new byte[]{'Q', 0, 0, 0, 6, (byte) 0xE9, 0}, latin1);
        byte[] password = FrontendEncoder.encode(new PasswordMessage("é"), StandardCharsets.ISO_8859_1);
        assertArrayEquals(Wire.of().cstring("é").message('p'), password);
    }

    @Test
    void unencodableTextAndNulAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> MessageWriter.encodeStrictly("€", StandardCharsets.ISO_8859_1));
        assertThrows(IllegalArgumentException.class, () -> encode(new Query(new byte[]{'a', 0, 'b'})));
        assertThrows(IllegalArgumentException.class,
                () -> FrontendEncoder.encode(new Parse("", "€", List.of()), StandardCharsets.ISO_8859_1));
    }

    @Test
    void extendedQueryMessages() {
        assertArrayEquals(Wire.of().cstring("s1").cstring("SELECT $1").int16(1).int32(23).message('P'),
                encode(new Parse("s1", "SELECT $1", List.of(23))));
        assertArrayEquals(Wire.of().cstring("").cstring("s1").int16(1).int16(0).int16(2).int32(1).ascii("7").int32(-1)
                        .int16(1).int16(1).message('B'),
                encode(new Bind("", "s1", List.of(0), Arrays.asList("7".getBytes(UTF8), null), List.of(1))));
        assertArrayEquals(Wire.of().int8('S').cstring("s1").message('D'), encode(new Describe('S', "s1")));
        assertArrayEquals(Wire.of().cstring("").int32(0).message('E'), encode(new Execute("", 0)));
        assertArrayEquals(Wire.of().int8('P').cstring("p").message('C'), encode(new Close('P', "p")));
        assertArrayEquals(new byte[]{'S', 0, 0, 0, 4}, encode(new Sync()));
        assertArrayEquals(new byte[]{'H', 0, 0, 0, 4}, encode(new Flush()));
    }

    @Test
    void copyMessages() {
        assertArrayEquals(Wire.of().ascii("1\t2\n").message('d'), encode(new CopyData(Bytes.copyOf("1\t2\n".getBytes(UTF8)))));
        assertArrayEquals(new byte[]{'c', 0, 0, 0, 4}, encode(new CopyDone()));
        assertArrayEquals(Wire.of().cstring("nope").message('f'), encode(new CopyFail("nope")));
    }

    @Test
    void passwordMessageDoesNotPrintThePassword() {
        assertFalse(new PasswordMessage("hunter2").toString().contains("hunter2"));
    }
}
