package dev.pgjvm.core.io;

import dev.pgjvm.core.Notification;
import dev.pgjvm.core.PgConnection;
import dev.pgjvm.core.PgConnectionException;
import dev.pgjvm.core.PgException;
import dev.pgjvm.core.PgProtocolException;
import dev.pgjvm.core.testing.Driver;
import dev.pgjvm.core.testing.FakeServer;
import dev.pgjvm.core.testing.Wire;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static dev.pgjvm.core.io.StartupFaultsTest.LOST;
import static dev.pgjvm.core.testing.ServerMessages.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Between queries (LISTEN/NOTIFY's time): the server sends a notification, then garbage, a
 * lying length, a truncated notification or its last words before hanging up. The caller finds
 * out at its next step: consumeInput (the non-blocking way to drain notifications) or its next
 * query (blocking). What came whole before the fault is kept.
 */
@Timeout(60)
class IdleFaultsTest extends ScriptedServerTest {
    private static final Notification JOBS = new Notification(77, "jobs", "42");

    /**
     * A session that answers one query, then, once the test says so, sends {@code idle} unasked
     * (after a hang-up when {@code hangUp}).
     */
    private PgConnection idleThen(Driver driver, byte[] idle, boolean hangUp) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        connect(driver, peer -> {
            peer.handshake();
            peer.read('Q');
            peer.send(rowDescription("x", 25), dataRow("1"), commandComplete("SELECT 1"), readyForQuery('I'));
            peer.silentUntil(go);
            peer.send(idle);
            if (!hangUp) {
                peer.waitForClose();
            }
        });
        assertEquals(1, driver.query(connection, "SELECT 1").rowCount());
        go.countDown();
        return connection;
    }

    /** The caller's next step: draining what arrives (non-blocking) or the next query (blocking). */
    private static PgException nextStepFails(Driver driver, PgConnection c) {
        if (driver == Driver.BLOCKING) {
            return assertThrows(PgException.class, () -> c.execute("SELECT 1"));
        }
        return assertThrows(PgException.class, () -> {
            for (int i = 0; i < 1000; i++) {
                c.consumeInput();
                Thread.sleep(10);
            }
        });
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void garbageAfterANotification(Driver driver) throws Exception {
        PgConnection c = idleThen(driver, Wire.concat(notification(77, "jobs", "42"), Wire.of().ascii("zz").message('j')), false);
        PgException e = nextStepFails(driver, c);
        assertInstanceOf(PgProtocolException.class, e);
        assertEquals("unexpected response from server; first received character was \"j\"\n", e.getMessage());
        assertEquals(List.of(JOBS), c.drainNotifications(), "the notification that came first is kept");
        Driver.assertBroken(c);
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void anAbsurdLengthAfterANotification(Driver driver) throws Exception {
        PgConnection c = idleThen(driver, Wire.concat(notification(77, "jobs", "42"),
                Wire.of().int8('A').int32(0x7fffffff).int32(77).payload()), false);
        PgException e = nextStepFails(driver, c);
        assertInstanceOf(PgProtocolException.class, e);
        assertEquals("cannot allocate memory for input buffer\n"
                + "lost synchronization with server: got message type \"A\", length 2147483643\n", e.getMessage());
        assertEquals(List.of(JOBS), c.drainNotifications());
        Driver.assertBroken(c);
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void aNotificationWithoutItsPayload(Driver driver) throws Exception {
        PgConnection c = idleThen(driver, Wire.of().int32(77).cstring("jobs").message('A'), false);
        PgException e = nextStepFails(driver, c);
        assertInstanceOf(PgProtocolException.class, e);
        assertEquals("unterminated string in message type 'A'", e.getMessage());
        assertEquals(List.of(), c.drainNotifications());
        Driver.assertBroken(c);
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void aTruncatedNotificationThenAHangUp(Driver driver) throws Exception {
        byte[] whole = notification(77, "jobs", "42");
        PgConnection c = idleThen(driver, Wire.concat(whole, Arrays.copyOf(whole, whole.length - 2)), true);
        PgException e = nextStepFails(driver, c);
        assertInstanceOf(PgConnectionException.class, e);
        assertEquals(LOST, e.getMessage());
        assertEquals(List.of(JOBS), c.drainNotifications());
        Driver.assertBroken(c);
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void theServersLastWordsBeforeItHangsUp(Driver driver) throws Exception {
        PgConnection c = idleThen(driver, errorResponse(fields("S", "FATAL", "V", "FATAL", "C", "57P01",
                "M", "terminating connection due to administrator command")), true);
        PgException e = nextStepFails(driver, c);
        PgConnectionException lost = assertInstanceOf(PgConnectionException.class, e);
        // libpq reports the lost connection; the FATAL is the cause (a notice while idle, the
        // query's error once one was sent), with its SQLSTATE.
        assertEquals(LOST, lost.getMessage());
        if (driver == Driver.BLOCKING) {
            assertEquals("57P01", lost.sqlState());
        } else {
            assertEquals(List.of("FATAL:  terminating connection due to administrator command\n"), c.drainNotices());
        }
        Driver.assertBroken(c);
    }
}
