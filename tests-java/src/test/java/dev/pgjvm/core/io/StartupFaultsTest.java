package dev.pgjvm.core.io;

import dev.pgjvm.core.PgConnection;
import dev.pgjvm.core.PgConnectionException;
import dev.pgjvm.core.PollingStatus;
import dev.pgjvm.core.testing.Driver;
import dev.pgjvm.core.testing.FakeServer;
import dev.pgjvm.core.testing.Polling;
import dev.pgjvm.core.testing.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static dev.pgjvm.core.testing.ServerMessages.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Start-up and authentication against a scripted server that misbehaves: hangs up, answers
 * garbage, lies about lengths, sends what does not belong in start-up, or goes silent. Each
 * fails the connect with libpq's words (prefixed with where it went for a blocking connect; the
 * first attempt unprefixed for PQconnectPoll, as libpq), and connect_timeout ends a silent one.
 */
@Timeout(60)
class StartupFaultsTest extends ScriptedServerTest {
    static final String LOST = "server closed the connection unexpectedly\n"
            + "\tThis probably means the server terminated abnormally\n"
            + "\tbefore or while processing the request.\n";

    /** The connect's failure, as the caller sees it through the driver. */
    private PgConnectionException connectFails(Driver driver, FakeServer.Script script, String... dsn) throws Exception {
        server = new FakeServer(script);
        return assertThrows(PgConnectionException.class, () -> driver.connect(server.dsn(dsn), FakeServer.environment(home)));
    }

    /** libpq's words for the driver: where it went for PQconnectdb, not for PQconnectPoll's first attempt. */
    private String expected(Driver driver, String text) {
        return driver == Driver.BLOCKING ? server.failedPrefix() + text : text;
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void aHangUpRightAfterTheStartupPacket(Driver driver) throws Exception {
        PgConnectionException e = connectFails(driver, peer -> peer.readStartup());
        assertEquals(expected(driver, LOST), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void anHttpServer(Driver driver) throws Exception {
        PgConnectionException e = connectFails(driver, peer -> {
            peer.readStartup();
            peer.send("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            peer.waitForClose();
        });
        assertEquals(expected(driver, "expected authentication request from server, but received H\n"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void anAuthenticationRequestOfAbsurdLength(Driver driver) throws Exception {
        PgConnectionException e = connectFails(driver, peer -> {
            peer.readStartup();
            peer.send(Wire.of().int8('R').int32(0x7fffffff).int32(0).payload());
            peer.waitForClose();
        });
        assertEquals(expected(driver, "received invalid authentication request\n"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void anAuthenticationRequestOfNegativeLength(Driver driver) throws Exception {
        PgConnectionException e = connectFails(driver, peer -> {
            peer.readStartup();
            peer.send(Wire.of().int8('R').int32(-8).int32(0).payload());
            peer.waitForClose();
        });
        assertEquals(expected(driver, "received invalid authentication request\n"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void aTruncatedAuthenticationRequestThenAHangUp(Driver driver) throws Exception {
        PgConnectionException e = connectFails(driver, peer -> {
            peer.readStartup();
            byte[] md5 = authenticationMd5(new byte[] {1, 2, 3, 4});
            peer.send(Arrays.copyOf(md5, md5.length - 3));
        });
        assertEquals(expected(driver, LOST), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void aQueryResultDuringStartup(Driver driver) throws Exception {
        PgConnectionException e = connectFails(driver, peer -> {
            peer.readStartup();
            peer.send(authenticationOk(), commandComplete("SELECT 1"), readyForQuery('I'));
            peer.waitForClose();
        });
        assertEquals(expected(driver, "unexpected message from server during startup\n"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void anUnknownMessageTypeAfterAuthentication(Driver driver) throws Exception {
        PgConnectionException e = connectFails(driver, peer -> {
            peer.readStartup();
            peer.send(authenticationOk(), Wire.of().ascii("zz").message('j'), readyForQuery('I'));
            peer.waitForClose();
        });
        assertEquals(expected(driver, "unexpected response from server; first received character was \"j\"\n"),
                e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void aFatalErrorWithInvalidUtf8(Driver driver) throws Exception {
        PgConnectionException e = connectFails(driver, peer -> {
            peer.readStartup();
            peer.send(Wire.of().int8('S').cstring("FATAL").int8('V').cstring("FATAL").int8('C').cstring("28000")
                    .int8('M').bytes(new byte[] {'b', 'a', 'd', ' ', (byte) 0xff, (byte) 0xfe, ' ', 'r', 'o', 'l', 'e'})
                    .int8(0).int8(0).message('E'));
        });
        assertEquals(expected(driver, "FATAL:  bad \ufffd\ufffd role\n"), e.getMessage());
        assertEquals("28000", e.sqlState());
    }

    @Test
    void connectTimeoutEndsASilentServer() throws Exception {
        // Without the timeout the connect would wait for the server's socket timeout (30 s) and
        // then say the connection was lost: the words tell which ended it.
        PgConnectionException e = connectFails(Driver.BLOCKING, peer -> {
            peer.readStartup();
            peer.waitForClose();
        }, "connect_timeout=2");
        assertEquals(server.failedPrefix() + "timeout expired\n", e.getMessage());
    }

    @Test
    void connectTimeoutEndsAServerSilentAfterAuthentication() throws Exception {
        PgConnectionException e = connectFails(Driver.BLOCKING, peer -> {
            peer.readStartup();
            peer.send(authenticationOk(), parameterStatus("client_encoding", "UTF8"));
            peer.waitForClose();
        }, "connect_timeout=2");
        assertEquals(server.failedPrefix() + "timeout expired\n", e.getMessage());
    }

    @Test
    void aSilentServerNeverBlocksConnectPoll() throws Exception {
        // PQconnectPoll applies no timeout (its caller does): each step returns at once, still
        // reading, for as long as the server says nothing; its hang-up then ends the attempt.
        CountDownLatch speak = new CountDownLatch(1);
        server = new FakeServer(peer -> {
            peer.readStartup();
            peer.send(authenticationOk());
            peer.silentUntil(speak);
        });
        PgConnection c = PgConnection.connectStart(server.dsn(), Map.of(), FakeServer.environment(home));
        try {
            PollingStatus first;
            for (int i = 0; (first = c.connectPoll()) == PollingStatus.WRITING && i < 100; i++) {
                Thread.sleep(10); // the TCP connect itself may take a step or two
            }
            assertEquals(PollingStatus.READING, first);
            assertEquals(PollingStatus.READING, c.connectPoll());
            assertFalse(c.isClosed());
            speak.countDown();
            PgConnectionException e = assertThrows(PgConnectionException.class,
                    () -> Polling.waitUntilOk(c, c::connectPoll, 200));
            assertEquals(LOST, e.getMessage());
            Driver.assertBroken(c);
        } finally {
            c.close();
        }
    }
}
