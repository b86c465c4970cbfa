package dev.pgjvm.core.integration;

import dev.pgjvm.core.testing.Polling;

import dev.pgjvm.core.Notification;
import dev.pgjvm.core.PgConnection;
import dev.pgjvm.core.PgConnectionException;
import dev.pgjvm.core.PgCopyRefusedException;
import dev.pgjvm.core.PgResult;
import dev.pgjvm.core.PgServerException;
import dev.pgjvm.core.PollingStatus;
import dev.pgjvm.core.TransactionStatus;
import dev.pgjvm.core.conninfo.ClientEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static dev.pgjvm.core.ValueKind.TEXT;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The non-blocking API (connectStart/connectPoll, sendQuery/poll/getResult, consumeInput)
 * against the real server, waiting on the socket between steps as an event loop would, and the
 * same scenarios through both drivers: what a query gives must not depend on how it was driven.
 */
class NonBlockingIntegrationTest {
    enum Driver { BLOCKING, NON_BLOCKING }

    private final List<PgConnection> opened = new ArrayList<>();

    @BeforeEach
    void server() {
        TestServer.assumeAvailable();
    }

    @AfterEach
    void closeAll() {
        opened.forEach(PgConnection::close);
    }

    private PgConnection connect(Driver driver) throws IOException {
        PgConnection c;
        if (driver == Driver.BLOCKING) {
            c = TestServer.connect();
        } else {
            c = PgConnection.connectStart(TestServer.dsn(), Map.of(), ClientEnvironment.system());
            List<PollingStatus> steps = waitUntilOk(c, c::connectPoll);
            assertFalse(steps.isEmpty());
        }
        opened.add(c);
        return c;
    }

    private static List<PollingStatus> waitUntilOk(PgConnection c, Supplier<PollingStatus> step) throws IOException {
        return Polling.waitUntilOk(c, step, 100_000);
    }

    private static PgResult run(PgConnection c, Driver driver, String sql) throws IOException {
        if (driver == Driver.BLOCKING) {
            return c.execute(sql);
        }
        c.sendQuery(sql.getBytes(StandardCharsets.UTF_8));
        assertTrue(c.isBusy());
        assertEquals(TransactionStatus.ACTIVE, c.transactionStatus());
        waitUntilOk(c, c::poll);
        assertFalse(c.isBusy());
        return c.getResult();
    }

    private static String text(PgResult r) {
        r.setValueKinds(TEXT);
        return (String) r.rows(0, 1)[0][0];
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void sameResultsThroughEitherDriver(Driver driver) throws IOException {
        PgConnection c = connect(driver);
        assertEquals("2", text(run(c, driver, "SELECT 1 + 1")));
        assertEquals("b", text(run(c, driver, "SELECT 'a'; SELECT 'b'")), "the last statement's result");
        assertEquals("CREATE TABLE", run(c, driver, "CREATE TEMP TABLE nb (i int)").commandTag());
        assertEquals(3, run(c, driver, "INSERT INTO nb VALUES (1), (2), (3)").affectedRows());
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void aServerErrorKeepsTheSession(Driver driver) throws IOException {
        PgConnection c = connect(driver);
        PgServerException e = assertThrows(PgServerException.class, () -> run(c, driver, "SELECT 1; SELECT x; SELECT 2"));
        assertEquals("42703", e.sqlState(), "the first error; the server skipped the rest");
        assertEquals("7", text(run(c, driver, "SELECT 7")));
        assertFalse(c.isClosed());
    }

    @ParameterizedTest
    @EnumSource(Driver.class)
    void copyThroughAPlainQueryIsRefused(Driver driver) throws IOException {
        PgConnection c = connect(driver);
        PgCopyRefusedException e = assertThrows(PgCopyRefusedException.class, () -> run(c, driver, "COPY (SELECT 1) TO STDOUT"));
        assertFalse(e.copyIn());
        assertEquals("1", text(run(c, driver, "SELECT 1")), "and the session goes on");
    }

    @Test
    void aLargeQueryWaitsForTheSocketToTakeIt() throws IOException {
        // Plain text: encrypting 20 MB is slow enough that the server drains the socket as fast
        // as TLS fills it (TlsIntegrationTest covers TLS's partial writes).
        PgConnection c = PgConnection.connectStart(TestServer.dsn("sslmode=disable"), Map.of(), ClientEnvironment.system());
        waitUntilOk(c, c::connectPoll);
        opened.add(c);
        String big = "x".repeat(20 * 1024 * 1024);
        c.sendQuery(("SELECT length('" + big + "')").getBytes(StandardCharsets.US_ASCII));
        List<PollingStatus> steps = waitUntilOk(c, c::poll);
        assertTrue(steps.contains(PollingStatus.WRITING), "20 MB do not fit the socket's buffer at once: " + steps.size());
        assertEquals(String.valueOf(big.length()), text(c.getResult()));
    }

    @Test
    void readsEveryStepOfASlowQuery() throws IOException {
        PgConnection c = connect(Driver.NON_BLOCKING);
        c.sendQuery("SELECT 1; SELECT pg_sleep(0.3); SELECT 3".getBytes(StandardCharsets.US_ASCII));
        List<PollingStatus> steps = waitUntilOk(c, c::poll);
        assertTrue(steps.contains(PollingStatus.READING));
        assertEquals("3", text(c.getResult()));
        assertNull(c.getResult(), "taken once");
    }

    @Test
    void oneQueryAtATimeAndNoResultBeforeItsEnd() throws IOException {
        PgConnection c = connect(Driver.NON_BLOCKING);
        c.sendQuery("SELECT pg_sleep(0.2)".getBytes(StandardCharsets.US_ASCII));
        assertThrows(IllegalStateException.class, () -> c.sendQuery("SELECT 1".getBytes(StandardCharsets.US_ASCII)));
        assertThrows(IllegalStateException.class, () -> c.execute("SELECT 1"));
        assertThrows(IllegalStateException.class, c::getResult);
        waitUntilOk(c, c::poll);
        assertNotNull(c.getResult());
    }

    @Test
    void notificationsArriveWhileIdleThroughConsumeInput() throws Exception {
        PgConnection listener = connect(Driver.NON_BLOCKING);
        PgConnection sender = connect(Driver.BLOCKING);
        run(listener, Driver.NON_BLOCKING, "LISTEN nb_channel");
        sender.execute("NOTIFY nb_channel, 'hello'");
        List<Notification> got = List.of();
        for (int i = 0; i < 50 && got.isEmpty(); i++) {
            listener.consumeInput();
            got = listener.drainNotifications();
            if (got.isEmpty()) {
                Thread.sleep(20);
            }
        }
        assertEquals(1, got.size());
        assertEquals("hello", got.get(0).payload());
        assertEquals(sender.backendPid(), got.get(0).pid());
    }

    @Test
    void cancelStopsANonBlockingQuery() throws IOException {
        PgConnection c = connect(Driver.NON_BLOCKING);
        c.sendQuery("SELECT pg_sleep(30)".getBytes(StandardCharsets.US_ASCII));
        assertEquals(PollingStatus.READING, c.poll());
        // A cancel that arrives while the server is still reading the query is ignored by it:
        // wait until the query runs (TLS makes that window longer).
        try (PgConnection watcher = TestServer.connect()) {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!"1".equals(String.valueOf(watcher.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = "
                    + c.backendPid() + " AND state = 'active'").rows(0, 1)[0][0])) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
        }
        c.cancel();
        waitUntilOk(c, c::poll);
        PgServerException e = assertThrows(PgServerException.class, c::getResult);
        assertEquals("57014", e.sqlState());
    }

    @Test
    void aFailedNonBlockingConnectSaysWhyLikeTheBlockingOne() {
        String dsn = TestServer.dsn("dbname=no_such_database_here");
        PgConnectionException blocking = assertThrows(PgConnectionException.class,
                () -> PgConnection.connect(dsn, Map.of()));
        PgConnection c = PgConnection.connectStart(dsn, Map.of(), ClientEnvironment.system());
        PgConnectionException nonBlocking = assertThrows(PgConnectionException.class, () -> waitUntilOk(c, c::connectPoll));
        // As libpq's PQconnectPoll: the first attempt's words without the "connection to server
        // at ... failed: " that PQconnectdb puts before them.
        String blockingText = blocking.getMessage();
        assertEquals(blockingText.substring(blockingText.indexOf(" failed: ") + " failed: ".length()), nonBlocking.getMessage());
        assertTrue(c.isClosed());
    }

    @Test
    void aRefusedPortFailsTheNonBlockingConnect() {
        PgConnection c = PgConnection.connectStart("host=127.0.0.1 port=1 dbname=x", Map.of(), ClientEnvironment.system());
        PgConnectionException e = assertThrows(PgConnectionException.class, () -> waitUntilOk(c, c::connectPoll));
        assertTrue(e.getMessage().startsWith("Connection refused"),
                e.getMessage());
    }

    @Test
    void bothDriversTakeTurnsOnOneConnection() throws IOException {
        PgConnection c = connect(Driver.NON_BLOCKING);
        assertEquals("1", text(run(c, Driver.NON_BLOCKING, "SELECT 1")));
        assertEquals("2", text(run(c, Driver.BLOCKING, "SELECT 2")));
        assertEquals("3", text(run(c, Driver.NON_BLOCKING, "SELECT 3")));
    }
}
