package dev.pgjvm.core.protocol;

import dev.pgjvm.core.PgProtocolException;
import dev.pgjvm.core.testing.Wire;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static dev.pgjvm.core.testing.ServerMessages.*;
import static org.junit.jupiter.api.Assertions.*;

class MessageFramerTest {
    /** A realistic stream: start-up tail, a two-statement query, an error, a notice and a notification. */
    private static final byte[] STREAM = Wire.concat(
            authenticationOk(),
            parameterStatus("client_encoding", "UTF8"),
            backendKeyData(4242, 99),
            readyForQuery('I'),
            rowDescription("a", 23, "b", 25),
            dataRow("1", "x"),
            dataRow(null, ""),
            commandComplete("SELECT 2"),
            emptyQueryResponse(),
            noticeResponse(fields("S", "NOTICE", "M", "hi")),
            notification(7, "ch", "pl"),
            errorResponse(fields("S", "ERROR", "C", "42601", "M", "boom")),
            readyForQuery('E'));

    private static List<BackendMessage> parseAll(MessageFramer framer) {
        List<BackendMessage> out = new ArrayList<>();
        RawMessage raw;
        while ((raw = framer.next()) != null) {
            out.add(BackendMessageParser.parse(raw, StandardCharsets.UTF_8));
        }
        return out;
    }

    private static List<BackendMessage> whole() {
        MessageFramer framer = new MessageFramer();
        framer.feed(STREAM, 0, STREAM.length);
        return parseAll(framer);
    }

    @Test
    void wholeStreamGivesEveryMessage() {
        List<BackendMessage> messages = whole();
        assertEquals(13, messages.size());
        assertEquals(new AuthenticationOk(), messages.get(0));
        assertEquals(new ReadyForQuery('E'), messages.get(12));
    }

    @Test
    void tornAtEveryByteBoundaryGivesTheSameMessages() {
        List<BackendMessage> expected = whole();
        for (int cut = 0; cut <= STREAM.length; cut++) {
            MessageFramer framer = new MessageFramer();
            List<BackendMessage> got = new ArrayList<>();
            framer.feed(STREAM, 0, cut);
            got.addAll(parseAll(framer));
            framer.feed(STREAM, cut, STREAM.length - cut);
            got.addAll(parseAll(framer));
            assertEquals(expected, got, "cut at " + cut);
            assertFalse(framer.isMidMessage());
        }
    }

    @Test
    void tornIntoThreePiecesEverywhere() {
        List<BackendMessage> expected = whole();
        for (int a = 0; a <= STREAM.length; a += 3) {
            for (int b = a; b <= STREAM.length; b += 7) {
                MessageFramer framer = new MessageFramer();
                List<BackendMessage> got = new ArrayList<>();
                framer.feed(ByteBuffer.wrap(STREAM, 0, a));
                got.addAll(parseAll(framer));
                framer.feed(ByteBuffer.wrap(STREAM, a, b - a));
                got.addAll(parseAll(framer));
                framer.feed(ByteBuffer.wrap(STREAM, b, STREAM.length - b));
                got.addAll(parseAll(framer));
                assertEquals(expected, got, "cuts at " + a + "," + b);
            }
        }
    }

    @Test
    void oneByteAtATime() {
        MessageFramer framer = new MessageFramer();
        List<BackendMessage> got = new ArrayList<>();
        for (int i = 0; i < STREAM.length; i++) {
            framer.feed(STREAM, i, 1);
            got.addAll(parseAll(framer));
        }
        assertEquals(whole(), got);
    }

    @Test
    void nothingIsYieldedUntilAMessageIsWhole() {
        byte[] m = commandComplete("SELECT 1");
        MessageFramer framer = new MessageFramer();
        framer.feed(m, 0, m.length - 1);
        assertNull(framer.next());
        assertTrue(framer.isMidMessage());
        framer.feed(m, m.length - 1, 1);
        RawMessage raw = framer.next();
        assertEquals('C', raw.type());
        assertEquals("SELECT 1\0", new String(raw.payload(), StandardCharsets.US_ASCII));
    }

    @Test
    void lengthBelowFourIsRejected() {
        MessageFramer framer = new MessageFramer();
        byte[] bad = {'Z', 0, 0, 0, 3};
        PgProtocolException e = assertThrows(PgProtocolException.class, () -> framer.feed(bad, 0, bad.length));
        assertEquals("lost synchronization with server: got message type \"Z\", length 3\n", e.getMessage());
        assertThrows(PgProtocolException.class, () -> framer.feed(new byte[]{1}, 0, 1), "stays failed");
    }

    @Test
    void lengthAboveTheCapIsRejectedBeforeAllocating() {
        MessageFramer framer = new MessageFramer(1024);
        byte[] ok = Wire.of().bytes(new byte[1020]).message('d');
        framer.feed(ok, 0, ok.length);
        assertEquals(1020, framer.next().payload().length);
        byte[] tooLong = {'d', 0, 0, 4, 1};
        PgProtocolException e = assertThrows(PgProtocolException.class, () -> framer.feed(tooLong, 0, tooLong.length));
        assertEquals("cannot allocate memory for input buffer\n"
                + "lost synchronization with server: got message type \"d\", length 1021\n", e.getMessage());
    }

    @Test
    void shortMessageTypesCannotClaimToBeLong() {
        byte[] longReady = {'Z', 0, 0, (byte) 0x75, 0x31};      // 30001 bytes
        PgProtocolException e = assertThrows(PgProtocolException.class,
                () -> new MessageFramer().feed(longReady, 0, longReady.length));
        assertEquals("lost synchronization with server: got message type \"Z\", length 30001\n", e.getMessage());
        byte[] longRow = {'D', 0, 0, (byte) 0x75, 0x31};
        new MessageFramer().feed(longRow, 0, longRow.length);  // a DataRow may be that long
    }

    @Test
    void defaultCapRejectsGarbage() {
        // An HTTP server's answer read as PostgreSQL: 'H' then "TTP/" as a length of ~1.4 GB.
        byte[] http = "HTTP/1.1 400 Bad Request\r\n".getBytes(StandardCharsets.US_ASCII);
        MessageFramer framer = new MessageFramer();
        assertThrows(PgProtocolException.class, () -> framer.feed(http, 0, http.length));
        byte[] negative = {'D', (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xfb};
        PgProtocolException e = assertThrows(PgProtocolException.class,
                () -> new MessageFramer().feed(negative, 0, negative.length));
        assertEquals("lost synchronization with server: got message type \"D\", length -5\n", e.getMessage());
    }
}
