package dev.pgjvm.core.io;

import dev.pgjvm.core.PgConnection;
import dev.pgjvm.core.PgConnectionException;
import dev.pgjvm.core.PgException;
import dev.pgjvm.core.PgProtocolException;
import dev.pgjvm.core.PgResult;
import dev.pgjvm.core.PgServerException;
import dev.pgjvm.core.PollingStatus;
import dev.pgjvm.core.TransactionStatus;
import dev.pgjvm.core.ValueKind;
import dev.pgjvm.core.testing.Driver;
import dev.pgjvm.core.testing.FakeServer;
import dev.pgjvm.core.testing.Polling;
import dev.pgjvm.core.testing.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import static dev.pgjvm.core.io.StartupFaultsTest.LOST;
import static dev.pgjvm.core.testing.ServerMessages.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Simple and extended queries against a scripted server that answers with garbage, truncated
 * messages, absurd or negative lengths, unknown message types, rows with the wrong field count,
 * invalid UTF-8 in an error, or silence. Each fault ends the session with libpq's words (the
 * exception thrown as is: PgProtocolException for what makes no sense, PgConnectionException for
 * a lost connection) and leaves the connection closed and broken; a server error with bad text
 * does not. Through both drivers where both apply (the extended protocol is blocking only).
 */
@Timeout(60)
class QueryFaultsTest extends ScriptedServerTest {
    private static final byte[] ONE_COLUMN = rowDescription("x", 25);

    /** What the server answers to the first query, and what the caller then gets. */
    record Fault(String name, byte[] reply, Class<? extends PgException> type, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Fault> faults() {
        byte[] truncated = dataRow("abcdef");
        return Stream.of(
                new Fault("a row with more fields than described",
                        Wire.concat(ONE_COLUMN, dataRow("a", "b"), commandComplete("SELECT 1"), readyForQuery('I')),
                        PgProtocolException.class, "unexpected field count in \"D\" message\n"),
                new Fault("a row before any description",
                        Wire.concat(dataRow("a"), commandComplete("SELECT 1"), readyForQuery('I')),
                        PgProtocolException.class,
                        "server sent data (\"D\" message) without prior row description (\"T\" message)\n"),
                new Fault("an absurd length",
                        Wire.concat(ONE_COLUMN, Wire.of().int8('D').int32(0x7fffffff).ascii("xx").payload()),
                        PgProtocolException.class, "cannot allocate memory for input buffer\n"
                        + "lost synchronization with server: got message type \"D\", length 2147483643\n"),
                new Fault("a negative length",
                        Wire.concat(ONE_COLUMN, Wire.of().int8('D').int32(-5).ascii("xx").payload()),
                        PgProtocolException.class, "lost synchronization with server: got message type \"D\", length -5\n"),
                new Fault("a short message type said to be long",
                        Wire.of().int8('Z').int32(100000).int8('I').payload(),
                        PgProtocolException.class, "lost synchronization with server: got message type \"Z\", length 100000\n"),
                new Fault("an unknown message type",
                        Wire.concat(Wire.of().ascii("zz").message('j'), readyForQuery('I')),
                        PgProtocolException.class, "unexpected response from server; first received character was \"j\"\n"),
                new Fault("a description that counts more fields than it has",
                        Wire.concat(Wire.of().int16(3).cstring("c").int32(0).int16(0).int32(25).int16(-1).int32(-1)
                                .int16(0).message('T'), readyForQuery('I')),
                        PgProtocolException.class, "unterminated string in message type 'T'"),
                new Fault("a row that counts more values than it has",
                        Wire.concat(ONE_COLUMN, Wire.of().int16(2).int32(1).ascii("a").message('D'), readyForQuery('I')),
                        PgProtocolException.class, "message type 'D' is too short (7 bytes)"),
                new Fault("a truncated row, then a hang-up",
                        Wire.concat(ONE_COLUMN, Arrays.copyOf(truncated, truncated.length - 3)),
                        PgConnectionException.class, LOST));
    }

    static Stream<Arguments> faultsThroughEachDriver() {
        return faults().flatMap(f -> Stream.of(Driver.values()).map(d -> Arguments.of(f, d)));
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("faultsThroughEachDriver")
    void aFaultInASimpleQueryEndsTheSession(Fault fault, Driver driver) throws Exception {
        PgConnection c = connect(driver, peer -> {
            peer.handshake();
            peer.read('Q');
            peer.send(fault.reply());
            if (fault.type() == PgConnectionException.class) {
                return; // hangs up
            }
            peer.waitForClose();
        });
        PgException e = assertThrows(PgException.class, () -> driver.query(c, "SELECT 1"));
        assertSame(fault.type(), e.getClass());
        assertEquals(fault.message(), e.getMessage());
        Driver.assertBroken(c);
    }

    @ParameterizedTest
    @MethodSource("faults")
    void aFaultInAnExtendedQueryEndsTheSession(Fault fault) throws Exception {
        PgConnection c = connect(Driver.BLOCKING, peer -> {
            peer.handshake();
            peer.readUntil('S');
            peer.send(Wire.of().message('1'), Wire.of().message('2'), fault.reply());
            if (fault.type() == PgConnectionException.class) {
                return;
            }
            peer.waitForClose();
        });
        PgException e = assertThrows(PgException.class, () -> c.executeParams("SELECT $1", null,
                new byte[][] {"x".getBytes(StandardCharsets.UTF_8)}, null, false));
        assertSame(fault.type(), e.getClass());
        assertEquals(fault.message(), e.getMessage());
        Driver.assertBroken(c);
    }

    @Test
    void aCopyAnswerToAnExtendedQueryEndsTheSession() throws Exception {
        PgConnection c = connect(Driver.BLOCKING, peer -> {
            peer.handshake();
            peer.readUntil('S');
            peer.send(Wire.of().message('1'), Wire.of().message('2'), Wire.of().int8(0).int16(0).message('G'));
            peer.waitForClose();
        });
        PgProtocolException e = assertThrows(PgProtocolException.class,
                () -> c.executeParams("COPY t FROM STDIN", null, new byte[0][], null, false));
        assertEquals("unexpected message CopyInResponse in phase RESULTS of ExtendedQuery\n", e.getMessage());
        Driver.assertBroken(c);
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void invalidUtf8InAnErrorKeepsTheSession(Driver driver) throws Exception {
        PgConnection c = connect(driver, peer -> {
            peer.handshake();
            peer.read('Q');
            peer.send(Wire.of().int8('S').cstring("ERROR").int8('V').cstring("ERROR").int8('C').cstring("42601")
                            .int8('M').bytes(new byte[] {'b', 'a', 'd', ' ', (byte) 0xff, (byte) 0xfe, ' ', 't', 'e', 'x', 't'})
                            .int8(0).int8(0).message('E'),
                    readyForQuery('I'));
            peer.read('Q');
            peer.send(ONE_COLUMN, dataRow("fine"), commandComplete("SELECT 1"), readyForQuery('I'));
            peer.waitForClose();
        });
        PgServerException e = assertThrows(PgServerException.class, () -> driver.query(c, "SELECT 1"));
        assertEquals("ERROR:  bad \ufffd\ufffd text\n", e.getMessage());
        assertEquals("42601", e.sqlState());
        assertFalse(c.isClosed());
        PgResult r = driver.query(c, "SELECT 1");
        r.setValueKinds(ValueKind.TEXT);
        assertEquals("fine", r.rows(0, 1)[0][0]);
    }

    @Test
    void aSilentServerLeavesTheNonBlockingQueryReadingThenItsHangUpEndsIt() throws Exception {
        CountDownLatch hangUp = new CountDownLatch(1);
        PgConnection c = connect(Driver.NON_BLOCKING, peer -> {
            peer.handshake();
            peer.read('Q');
            peer.silentUntil(hangUp);
        });
        c.sendQuery("SELECT pg_sleep(1000)".getBytes(StandardCharsets.UTF_8));
        // Each step returns at once while nothing comes: the caller's event loop is never blocked.
        assertEquals(PollingStatus.READING, c.poll());
        assertEquals(PollingStatus.READING, c.poll());
        assertTrue(c.isBusy());
        assertEquals(TransactionStatus.ACTIVE, c.transactionStatus());
        hangUp.countDown();
        PgConnectionException e = assertThrows(PgConnectionException.class, () -> Polling.waitUntilOk(c, c::poll, 200));
        assertEquals(LOST, e.getMessage());
        Driver.assertBroken(c);
    }

    @Test
    void aBlockingQueryWaitsOutASilentServerUntilItHangsUp() throws Exception {
        // As libpq's PQexec: no timeout of its own; the hang-up (after a pause) ends the wait.
        CountDownLatch hangUp = new CountDownLatch(1);
        PgConnection c = connect(Driver.BLOCKING, peer -> {
            peer.handshake();
            peer.read('Q');
            peer.silentUntil(hangUp);
        });
        Thread releaser = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException ignored) {
                // release at once
            }
            hangUp.countDown();
        });
        releaser.start();
        PgConnectionException e = assertThrows(PgConnectionException.class, () -> c.execute("SELECT 1"));
        assertEquals(LOST, e.getMessage());
        Driver.assertBroken(c);
        releaser.join();
    }
}
