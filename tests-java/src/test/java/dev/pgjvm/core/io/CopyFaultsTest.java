package dev.pgjvm.core.io;

import dev.pgjvm.core.CopyDirection;
import dev.pgjvm.core.PgConnection;
import dev.pgjvm.core.PgConnectionException;
import dev.pgjvm.core.PgException;
import dev.pgjvm.core.PgProtocolException;
import dev.pgjvm.core.ResultStatus;
import dev.pgjvm.core.UndecodableTextException;
import dev.pgjvm.core.testing.Driver;
import dev.pgjvm.core.testing.FakeServer;
import dev.pgjvm.core.testing.Wire;
import dev.pgjvm.core.testing.WireArbitraries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static dev.pgjvm.core.io.StartupFaultsTest.LOST;
import static dev.pgjvm.core.testing.ServerMessages.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * COPY IN, COPY OUT and COPY BOTH (a replication stream) against a scripted server that breaks
 * them: garbage, lying lengths, messages that have no place in a COPY, a hang-up half-way,
 * silence. COPY IN and OUT run through the blocking calls only (the API has no others); a COPY
 * BOTH is read both ways: waiting (copyReadMessage with a wait) and polling (a wait of 0).
 */
@Timeout(60)
class CopyFaultsTest extends ScriptedServerTest {
    private static final String ABSURD_D = "cannot allocate memory for input buffer\n"
            + "lost synchronization with server: got message type \"d\", length 2147483643\n";
    private static final byte[] ABSURD_COPY_DATA = Wire.of().int8('d').int32(0x7fffffff).ascii("xx").payload();

    private PgConnection connect(FakeServer.Script script) throws Exception {
        return connect(Driver.BLOCKING, script);
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- COPY IN

    @Test
    void garbageForTheVerdictOfACopyIn() throws Exception {
        PgConnection c = connect(peer -> {
            peer.handshake();
            peer.read('Q');
            peer.send(WireArbitraries.copyResponse('G', 1));
            peer.readUntil('c');
            peer.send(ABSURD_COPY_DATA);
            peer.waitForClose();
        });
        assertEquals(CopyDirection.IN, c.copyStart("COPY t FROM STDIN"));
        c.copyWrite("1\n2\n", false);
        PgProtocolException e = assertThrows(PgProtocolException.class, () -> c.copyEnd(null));
        assertEquals(ABSURD_D, e.getMessage());
        Driver.assertBroken(c);
    }

    @Test
    void aHangUpDuringACopyIn() throws Exception {
        PgConnection c = connect(peer -> {
            peer.handshake();
            peer.read('Q');
            peer.send(WireArbitraries.copyResponse('G', 1));
            peer.read('d');
            // hangs up with the rest of the data unread
        });
        assertEquals(CopyDirection.IN, c.copyStart("COPY t FROM STDIN"));
        String row = "x".repeat(999) + "\n";
        PgConnectionException e = assertThrows(PgConnectionException.class, () -> {
            for (int i = 0; i < 1000; i++) {
                c.copyWrite(row, false); // flushes every 64 KiB: one of them finds the socket gone
            }
            c.copyEnd(null);
        });
        assertEquals(LOST, e.getMessage());
        Driver.assertBroken(c);
    }

    @Test
    void aCopyInResponseThatMiscountsItsColumns() throws Exception {
        PgConnection c = connect(peer -> {
            peer.handshake();
            peer.read('Q');
            peer.send(Wire.of().int8(0).int16(3).int16(0).message('G'));
            peer.waitForClose();
        });
        PgProtocolException e = assertThrows(PgProtocolException.class, () -> c.copyStart("COPY t FROM STDIN"));
        assertEquals("message type 'G' is too short (5 bytes)", e.getMessage());
        Driver.assertBroken(c);
    }

    // ---------------------------------------------------------------- COPY OUT

    /** Reads COPY OUT data until it ends or fails; what was read before a failure is kept in {@code into}. */
    private static void readAll(PgConnection c, StringBuilder into) {
        for (String data; (data = c.copyRead(false)) != null; ) {
            into.append(data);
        }
    }

    @Test
    void aTruncatedCopyOutThenAHangUp() throws Exception {
        byte[] third = copyData(text("3\n"));
        PgConnection c = connect(peer -> {
            peer.handshake();
            peer.read('Q');
            peer.send(WireArbitraries.copyResponse('H', 1), copyData(text("1\n")), copyData(text("2\n")),
                    Arrays.copyOf(third, third.length - 1));
        });
        assertEquals(CopyDirection.OUT, c.copyStart("COPY t TO STDOUT"));
        StringBuilder read = new StringBuilder();
        PgConnectionException e = assertThrows(PgConnectionException.class, () -> readAll(c, read));
        assertEquals(LOST, e.getMessage());
        assertEquals("1\n2\n", read.toString(), "the whole rows before the cut");
        Driver.assertBroken(c);
    }

    record CopyOutFault(String name, byte[] bytes, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<CopyOutFault> copyOutFaults() {
        return List.of(
                new CopyOutFault("a negative length", Wire.of().int8('d').int32(-1).payload(),
                        "lost synchronization with server: got message type \"d\", length -1\n"),
                new CopyOutFault("an absurd length", ABSURD_COPY_DATA, ABSURD_D),
                new CopyOutFault("a row of a query", dataRow("1"),
                        "server sent data (\"D\" message) without prior row description (\"T\" message)\n"),
                new CopyOutFault("an unknown message type", Wire.of().ascii("zz").message('j'),
                        "unexpected response from server; first received character was \"j\"\n"));
    }

    @Test
    void aCopyOutRowNotValidInTheClientEncodingIsHandedOverNotReplaced() throws Exception {
        byte[] latin1 = {'c', 'a', 'f', (byte) 0xe9, '\n'};
        PgConnection c = connect(peer -> {
            peer.handshake();
            peer.read('Q');
            peer.send(WireArbitraries.copyResponse('H', 1), copyData(text("1\n")), copyData(latin1),
                    copyData(text("3\n")), copyDone(), commandComplete("COPY 3"), readyForQuery('I'));
            peer.read('Q');
            peer.send(commandComplete("SET"), readyForQuery('I'));
            peer.waitForClose();
        });
        assertEquals(CopyDirection.OUT, c.copyStart("COPY t TO STDOUT"));
        StringBuilder read = new StringBuilder();
        UndecodableTextException e = assertThrows(UndecodableTextException.class, () -> readAll(c, read));
        assertEquals("1\n", read + e.decodedBefore(), "the rows before it, whole");
        assertArrayEquals(latin1, e.bytes(), "the row, as the server sent it");
        assertEquals(-1, e.row());
        readAll(c, read);
        assertTrue(read.toString().endsWith("3\n"), "the COPY goes on after it: " + read);
        assertEquals("COPY 3", c.copyEnd(null).commandTag());
        assertEquals("SET", c.execute("SET x = 1").commandTag());
    }

    @ParameterizedTest
    @MethodSource("copyOutFaults")
    void aFaultInACopyOut(CopyOutFault fault) throws Exception {
        PgConnection c = connect(peer -> {
            peer.handshake();
            peer.read('Q');
            peer.send(WireArbitraries.copyResponse('H', 1), copyData(text("1\n")));
            peer.send(fault.bytes());
            peer.waitForClose();
        });
        assertEquals(CopyDirection.OUT, c.copyStart("COPY t TO STDOUT"));
        StringBuilder read = new StringBuilder();
        PgProtocolException e = assertThrows(PgProtocolException.class, () -> readAll(c, read));
        assertEquals(fault.message(), e.getMessage());
        Driver.assertBroken(c);
    }

    // ---------------------------------------------------------------- COPY BOTH

    /** Reads the next CopyData of the stream: waiting on the socket, or polling without ever blocking. */
    private static byte[] nextMessage(PgConnection c, Driver driver) throws InterruptedException {
        if (driver == Driver.BLOCKING) {
            return c.copyReadMessage(10_000);
        }
        for (int i = 0; i < 1000; i++) {
            byte[] m = c.copyReadMessage(0);
            if (m != null || c.copyEnded()) {
                return m;
            }
            Thread.sleep(10);
        }
        return null;
    }

    /** Starts a stream (any query answered with CopyBothResponse streams, as with libpq). */
    private PgConnection streaming(FakeServer.Script afterStart) throws Exception {
        PgConnection c = connect(peer -> {
            peer.handshake();
            peer.read('Q');
            peer.send(WireArbitraries.copyResponse('W', 0));
            afterStart.play(peer);
        });
        assertEquals(ResultStatus.COPY_BOTH, c.execute("START_REPLICATION SLOT s LOGICAL 0/0").status());
        return c;
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void anAbsurdLengthMidStream(Driver driver) throws Exception {
        CountDownLatch taken = new CountDownLatch(1);
        PgConnection c = streaming(peer -> {
            peer.send(copyData(text("k-first")));
            peer.silentUntil(taken);
            peer.send(ABSURD_COPY_DATA);
            peer.waitForClose();
        });
        assertArrayEquals(text("k-first"), nextMessage(c, driver));
        taken.countDown();
        PgProtocolException e = assertThrows(PgProtocolException.class, () -> nextMessage(c, driver));
        assertEquals(ABSURD_D, e.getMessage());
        Driver.assertBroken(c);
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void anUnknownMessageTypeMidStream(Driver driver) throws Exception {
        PgConnection c = streaming(peer -> {
            peer.send(Wire.of().ascii("zz").message('j'));
            peer.waitForClose();
        });
        PgProtocolException e = assertThrows(PgProtocolException.class, () -> nextMessage(c, driver));
        assertEquals("unexpected response from server; first received character was \"j\"\n", e.getMessage());
        Driver.assertBroken(c);
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void aHangUpMidMessage(Driver driver) throws Exception {
        byte[] message = copyData(text("k-second"));
        PgConnection c = streaming(peer -> peer.send(copyData(text("k-first")), Arrays.copyOf(message, 7)));
        assertArrayEquals(text("k-first"), nextMessage(c, driver));
        PgConnectionException e = assertThrows(PgConnectionException.class, () -> nextMessage(c, driver));
        assertEquals(LOST, e.getMessage());
        Driver.assertBroken(c);
    }

    @Test
    void aSilentStreamGivesNothingInTimeThenItsHangUpEndsIt() throws Exception {
        CountDownLatch hangUp = new CountDownLatch(1);
        PgConnection c = streaming(peer -> peer.silentUntil(hangUp));
        assertNull(c.copyReadMessage(0), "nothing has come");
        assertNull(c.copyReadMessage(100), "nothing came in time");
        assertTrue(c.inCopyBoth());
        assertFalse(c.copyEnded());
        hangUp.countDown();
        PgConnectionException e = assertThrows(PgConnectionException.class, () -> c.copyReadMessage(10_000));
        assertEquals(LOST, e.getMessage());
        Driver.assertBroken(c);
    }

    @Test
    void aTruncatedCopyBothResponse() throws Exception {
        PgConnection c = connect(peer -> {
            peer.handshake();
            peer.read('Q');
            peer.send(Wire.of().int8(0).int16(2).int16(0).message('W'));
            peer.waitForClose();
        });
        PgException e = assertThrows(PgProtocolException.class, () -> c.execute("START_REPLICATION SLOT s LOGICAL 0/0"));
        assertEquals("message type 'W' is too short (5 bytes)", e.getMessage());
        Driver.assertBroken(c);
    }
}
