package dev.pgjvm.core.testing;

import dev.pgjvm.core.PgConnection;
import dev.pgjvm.core.PgConnectionException;
import dev.pgjvm.core.PgResult;
import dev.pgjvm.core.TransactionStatus;
import dev.pgjvm.core.conninfo.ClientEnvironment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The two ways a caller drives a connection: blocking calls (connect, execute), or the
 * non-blocking steps (connectStart/connectPoll, sendQuery/poll/getResult) with a Selector on the
 * socket between them, as an event loop does. A fault test runs through both where both apply.
 */
public enum Driver {
    BLOCKING, NON_BLOCKING;

    /** Bounds the non-blocking loops (each step waits at most 1 s on the socket). */
    private static final int MAX_STEPS = 200;

    public PgConnection connect(String dsn, ClientEnvironment environment) throws IOException {
        if (this == BLOCKING) {
            return PgConnection.connect(dsn, Map.of(), environment);
        }
        PgConnection c = PgConnection.connectStart(dsn, Map.of(), environment);
        try {
            Polling.waitUntilOk(c, c::connectPoll, MAX_STEPS);
        } catch (RuntimeException | Error e) {
            c.close();
            throw e;
        }
        return c;
    }

    public PgResult query(PgConnection c, String sql) throws IOException {
        if (this == BLOCKING) {
            return c.execute(sql);
        }
        c.sendQuery(sql.getBytes(StandardCharsets.UTF_8));
        Polling.waitUntilOk(c, c::poll, MAX_STEPS);
        return c.getResult();
    }

    /** What a connection whose session broke says of itself: closed, broken, and refusing more. */
    public static void assertBroken(PgConnection c) {
        assertTrue(c.isClosed(), "closed");
        assertTrue(c.isBroken(), "broken, not closed by the caller");
        assertEquals(0, c.protocolVersion());
        assertEquals(TransactionStatus.UNKNOWN, c.transactionStatus());
        PgConnectionException again = assertThrows(PgConnectionException.class, () -> c.execute("SELECT 1"));
        assertEquals("connection already closed", again.getMessage());
    }
}
