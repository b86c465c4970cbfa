package dev.pgjvm.core.integration;

import dev.pgjvm.core.CopyDirection;
import dev.pgjvm.core.PgConnection;
import dev.pgjvm.core.PgException;
import dev.pgjvm.core.PgResult;
import dev.pgjvm.core.PgServerException;
import dev.pgjvm.core.PollingStatus;
import dev.pgjvm.core.ResultStatus;
import dev.pgjvm.core.replication.Lsn;
import dev.pgjvm.core.replication.ReplicationStream;
import dev.pgjvm.core.replication.XLogData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Streaming replication (COPY BOTH) against the real server: logical slots decoded by
 * test_decoding on a {@code replication=database} connection, physical WAL on a
 * {@code replication=true} one. The logical tests run in a database of their own, so that what
 * other sessions write elsewhere on the shared test server never shows in their streams; their
 * slots are TEMPORARY (gone with the connection). Waits are bounded, never measured.
 */
class ReplicationIntegrationTest {
    /** How long anything the server should do promptly may take before the test gives up. */
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final Duration STATUS_INTERVAL = Duration.ofSeconds(10);
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final String RUN = ProcessHandle.current().pid() + "_" + ThreadLocalRandom.current().nextInt(1_000_000);

    private static String database;

    private final List<PgConnection> opened = new ArrayList<>();
    /** An ordinary connection to the test's database, for writes and looking at pg_replication_slots. */
    private PgConnection other;

    @BeforeAll
    static void createDatabase() {
        TestServer.assumeAvailable();
        database = "pgjvm_replication_" + RUN;
        try (PgConnection admin = TestServer.connect()) {
            assumeLogicalWal(admin);
            // template0: nobody is ever connected to it, so the copy cannot be refused.
            admin.execute("CREATE DATABASE " + database + " TEMPLATE template0");
        }
    }

    private static void assumeLogicalWal(PgConnection admin) {
        PgResult r = admin.execute("SHOW wal_level");
        org.junit.jupiter.api.Assumptions.assumeTrue("logical".equals(r.rows(0, 1)[0][0]),
                "the test server needs wal_level=logical");
    }

    @AfterAll
    static void dropDatabase() throws InterruptedException {
        if (database == null) {
            return;
        }
        try (PgConnection admin = TestServer.connect()) {
            // A closed connection's walsender drops its temporary slots as it exits, a moment
            // later: retry while the database is still in use.
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                admin.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                        + " WHERE database = '" + database + "' AND NOT active AND NOT temporary");
                try {
                    admin.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
                    return;
                } catch (PgServerException e) {
                    if (!"55006".equals(e.sqlState()) || System.nanoTime() - deadline > 0) {
                        throw e;
                    }
                    Thread.sleep(100);
                }
            }
        }
    }

    @BeforeEach
    void connectOther() {
        TestServer.assumeAvailable();
        other = ordinary();
    }

    @AfterEach
    void closeAll() {
        opened.forEach(PgConnection::close);
    }

    private PgConnection ordinary() {
        PgConnection c = TestServer.connect("dbname=" + database);
        opened.add(c);
        return c;
    }

    private PgConnection replication(String mode) {
        PgConnection c = TestServer.connect("dbname=" + database, "replication=" + mode);
        opened.add(c);
        return c;
    }

    private static String unique(String prefix) {
        return prefix + "_" + RUN + "_" + COUNTER.incrementAndGet();
    }

    /** A new table in the test's database: its name. */
    private String table() {
        String name = unique("t");
        other.execute("CREATE TABLE " + name + " (id int PRIMARY KEY, v text)");
        return name;
    }

    /** A logical slot that goes away with the connection: its name. */
    private static String temporarySlot(PgConnection replication) {
        String slot = unique("slot");
        PgResult created = createSlot(replication, "CREATE_REPLICATION_SLOT " + slot + " TEMPORARY LOGICAL test_decoding");
        assertEquals(ResultStatus.TUPLES_OK, created.status());
        assertEquals(slot, created.rows(0, 1)[0][0], "slot_name");
        return slot;
    }

    /**
     * Runs CREATE_REPLICATION_SLOT, waiting a while when every slot is taken: the previous
     * test's temporary slot goes only once its walsender has exited, a moment after the close.
     */
    private static PgResult createSlot(PgConnection replication, String command) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                return replication.execute(command);
            } catch (PgServerException e) {
                if (!"53400".equals(e.sqlState()) || System.nanoTime() - deadline > 0) {
                    throw e; // 53400 for long: slots leaked by someone (see pg_replication_slots)
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static String startLogical(String slot) {
        // Empty transactions (autovacuum's, say) would only be noise.
        return "START_REPLICATION SLOT " + slot + " LOGICAL 0/0 (\"skip-empty-xacts\" '1')";
    }

    private static String text(XLogData m) {
        return new String(m.payload(), StandardCharsets.UTF_8);
    }

    private static List<String> texts(List<XLogData> messages) {
        return messages.stream().map(ReplicationIntegrationTest::text).toList();
    }

    /** Whether the messages so far hold the transaction that inserted {@code rows} rows into the table, to its COMMIT. */
    private static boolean transactionComplete(List<XLogData> got, String table, int rows) {
        int inserts = 0;
        for (XLogData m : got) {
            String t = text(m);
            if (t.startsWith("table public." + table + ": INSERT:")) {
                inserts++;
            } else if (inserts == rows && t.startsWith("COMMIT")) {
                return true;
            }
        }
        return false;
    }

    /** Reads (waiting up to half a second at a time) until the transaction's COMMIT: all messages read. */
    private static List<XLogData> readTransaction(ReplicationStream s, String table, int rows) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<XLogData> got = new ArrayList<>();
        while (System.nanoTime() - deadline < 0) {
            XLogData m = s.read(500);
            if (m == null) {
                assertFalse(s.isEnded(), "the server ended the stream");
                continue;
            }
            got.add(m);
            if (transactionComplete(got, table, rows)) {
                return got;
            }
        }
        return fail("no COMMIT of the insert into " + table + " within " + WAIT + "; got " + texts(got));
    }

    private static long confirmedFlush(PgConnection c, String slot) {
        PgResult r = c.execute("SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = '" + slot + "'");
        assertEquals(1, r.rowCount(), "slot " + slot + " is listed");
        return Lsn.parse((String) r.rows(0, 1)[0][0]);
    }

    /** The slot's confirmed_flush_lsn once it has reached {@code lsn}; fails after {@link #WAIT}. */
    private static long awaitConfirmedFlush(PgConnection c, String slot, long lsn) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        long confirmed;
        while (Long.compareUnsigned(confirmed = confirmedFlush(c, slot), lsn) < 0) {
            if (System.nanoTime() - deadline > 0) {
                fail("confirmed_flush_lsn stayed at " + Lsn.format(confirmed) + ", below " + Lsn.format(lsn));
            }
            Thread.sleep(50);
        }
        return confirmed;
    }

    private static void assertUsable(PgConnection replication) {
        PgResult id = replication.execute("IDENTIFY_SYSTEM");
        assertEquals(ResultStatus.TUPLES_OK, id.status());
        assertEquals(1, id.rowCount());
        assertFalse(replication.inCopyBoth());
    }

    @Test
    void logicalInsertsArriveAndFeedbackMovesTheSlot() throws InterruptedException {
        String table = table();
        PgConnection repl = replication("database");
        String slot = temporarySlot(repl);
        long before = confirmedFlush(other, slot);

        ReplicationStream s = ReplicationStream.start(repl, startLogical(slot), STATUS_INTERVAL);
        assertTrue(repl.inCopyBoth());
        assertFalse(s.isEnded());
        assertNull(s.read(0), "nothing was written since the slot was made");
        assertNotEquals(0, s.lastFeedbackMicros(), "the first read sends a status update");

        other.execute("INSERT INTO " + table + " VALUES (1, 'one'), (2, 'two')");
        List<XLogData> tx = readTransaction(s, table, 2);
        List<String> texts = texts(tx);
        assertEquals(4, tx.size(), texts.toString());
        assertTrue(texts.get(0).startsWith("BEGIN"), texts.toString());
        assertEquals("table public." + table + ": INSERT: id[integer]:1 v[text]:'one'", texts.get(1));
        assertEquals("table public." + table + ": INSERT: id[integer]:2 v[text]:'two'", texts.get(2));
        XLogData commit = tx.get(3);
        assertTrue(texts.get(3).startsWith("COMMIT"));
        assertNotEquals(0, commit.dataStart());
        assertNotEquals(0, commit.walEnd());
        assertNotEquals(0, s.walEnd());
        assertTrue(Long.compareUnsigned(commit.dataStart(), before) > 0,
                Lsn.format(commit.dataStart()) + " after the slot's start " + Lsn.format(before));
        assertTrue(commit.sendTime() > 0, "microseconds since 2000");
        assertTrue(s.lastIoMicros() > 0);

        s.sendFeedback(0, commit.dataStart(), 0, false, true);
        assertTrue(Long.compareUnsigned(s.positions()[1], commit.dataStart()) >= 0);
        long confirmed = awaitConfirmedFlush(other, slot, commit.dataStart());
        assertTrue(Long.compareUnsigned(confirmed, commit.dataStart()) >= 0);

        PgResult end = s.end();
        assertNotNull(end);
        assertTrue(s.isEnded());
        assertNull(s.read(0), "nothing once ended");
        assertTrue(repl.copyEnded());
        assertUsable(repl);
    }

    @Test
    void feedbackAskingForAReplyAlsoMovesTheSlot() throws InterruptedException {
        String table = table();
        PgConnection repl = replication("database");
        String slot = temporarySlot(repl);
        ReplicationStream s = ReplicationStream.start(repl, startLogical(slot), STATUS_INTERVAL);
        other.execute("INSERT INTO " + table + " VALUES (1, 'x')");
        List<XLogData> tx = readTransaction(s, table, 1);
        XLogData commit = tx.get(tx.size() - 1);
        s.sendFeedback(commit.dataStart(), commit.dataStart(), commit.dataStart(), true, false);
        assertArrayEquals(new long[] {commit.dataStart(), commit.dataStart(), commit.dataStart()}, s.positions());
        awaitConfirmedFlush(other, slot, commit.dataStart());
        // The server answers a reply request with a keepalive: read takes it without handing it out.
        assertNull(s.read(200));
        assertFalse(s.isEnded());
        s.end();
        assertUsable(repl);
    }

    @Test
    void executeStartReplicationGivesCopyBothAndTheConnectionStreams() {
        String table = table();
        PgConnection repl = replication("database");
        String slot = temporarySlot(repl);
        PgResult r = repl.execute(startLogical(slot));
        assertEquals(ResultStatus.COPY_BOTH, r.status());
        assertTrue(repl.inCopyBoth());
        assertFalse(repl.copyEnded());
        ReplicationStream s = new ReplicationStream(repl, STATUS_INTERVAL);
        other.execute("INSERT INTO " + table + " VALUES (7, 'seven')");
        List<String> texts = texts(readTransaction(s, table, 1));
        assertTrue(texts.contains("table public." + table + ": INSERT: id[integer]:7 v[text]:'seven'"), texts.toString());
        s.end();
        assertUsable(repl);
    }

    @Test
    void copyStartSaysBoth() {
        PgConnection repl = replication("database");
        String slot = temporarySlot(repl);
        assertEquals(CopyDirection.BOTH, repl.copyStart(startLogical(slot)));
        assertTrue(repl.inCopyBoth());
        byte[] raw = repl.copyReadMessage(0);
        if (raw != null) {
            assertEquals('k', raw[0], "nothing was written: a keepalive at most, and the raw message shows it");
        }
        repl.copyEnd(null);
        assertUsable(repl);
    }

    /**
     * Ending a stream at once, before any status update: PostgreSQL 15's walsender may then send
     * a keepalive after its own CopyDone (its client is behind; it depends on where the
     * walsender's loop is), which libpq drops. CopyBothMachineTest has the deterministic case.
     */
    @Test
    void endingAStreamRightAfterItStarted() {
        PgConnection repl = replication("database");
        String slot = temporarySlot(repl);
        ReplicationStream s = ReplicationStream.start(repl, startLogical(slot), STATUS_INTERVAL);
        s.end();
        assertTrue(s.isEnded());
        assertUsable(repl);
    }

    /** The same after a whole transaction the client never acknowledged. */
    @Test
    void endingAStreamNothingWasAcknowledgedOn() {
        String table = table();
        PgConnection repl = replication("database");
        String slot = temporarySlot(repl);
        ReplicationStream s = ReplicationStream.start(repl, startLogical(slot), STATUS_INTERVAL);
        other.execute("INSERT INTO " + table + " VALUES (1, 'x')");
        readTransaction(s, table, 1);
        s.end();
        assertUsable(repl);
    }

    @Test
    void nothingElseRunsWhileStreaming() {
        PgConnection repl = replication("database");
        String slot = temporarySlot(repl);
        ReplicationStream s = ReplicationStream.start(repl, startLogical(slot), STATUS_INTERVAL);
        PgException e = assertThrows(PgException.class, () -> repl.execute("IDENTIFY_SYSTEM"));
        assertTrue(e.getMessage().contains("PQexec not allowed during COPY BOTH"), e.getMessage());
        assertThrows(PgException.class, () -> repl.copyStart("IDENTIFY_SYSTEM"));
        assertThrows(PgException.class, () -> repl.sendQuery("IDENTIFY_SYSTEM".getBytes(StandardCharsets.UTF_8)));
        assertTrue(repl.inCopyBoth(), "the refusals leave the stream as it was");
        assertNull(s.read(0));
        assertFalse(s.isEnded());
        s.end();
        assertUsable(repl);
    }

    @Test
    void closingWhileStreamingReleasesTheTemporarySlot() throws InterruptedException {
        PgConnection repl = replication("database");
        String slot = temporarySlot(repl);
        ReplicationStream s = ReplicationStream.start(repl, startLogical(slot), STATUS_INTERVAL);
        assertNull(s.read(0));
        repl.close();
        assertTrue(repl.isClosed());
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (other.execute("SELECT 1 FROM pg_replication_slots WHERE slot_name = '" + slot + "'").rowCount() > 0) {
            assertTrue(System.nanoTime() - deadline < 0, "the temporary slot outlived its connection");
            Thread.sleep(50);
        }
    }

    @Test
    void aMissingSlotIsTheServersError() {
        PgConnection repl = replication("database");
        PgServerException e = assertThrows(PgServerException.class,
                () -> ReplicationStream.start(repl, startLogical(unique("no_such_slot")), STATUS_INTERVAL));
        assertEquals("42704", e.sqlState(), e.getMessage());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        assertFalse(repl.inCopyBoth());
        assertUsable(repl);
    }

    @Test
    void aBadPluginOptionIsTheServersError() {
        PgConnection repl = replication("database");
        String slot = temporarySlot(repl);
        PgServerException e = assertThrows(PgServerException.class, () -> ReplicationStream.start(repl,
                "START_REPLICATION SLOT " + slot + " LOGICAL 0/0 (\"no-such-option\" '1')", STATUS_INTERVAL));
        assertTrue(e.getMessage().contains("no-such-option"), e.getMessage());
        assertFalse(repl.inCopyBoth());
        assertUsable(repl);
    }

    @Test
    void aStatementThatDoesNotStreamIsNotAStream() {
        PgConnection repl = replication("database");
        PgException e = assertThrows(PgException.class,
                () -> ReplicationStream.start(repl, "IDENTIFY_SYSTEM", STATUS_INTERVAL));
        assertFalse(e instanceof PgServerException, e.toString());
        assertTrue(e.getMessage().contains("did not start a replication stream"), e.getMessage());
        assertUsable(repl);
    }

    @Test
    void aTerminatedWalsenderEndsTheStreamWithAnError() {
        PgConnection repl = replication("database");
        String slot = temporarySlot(repl);
        ReplicationStream s = ReplicationStream.start(repl, startLogical(slot), STATUS_INTERVAL);
        assertNull(s.read(0));
        PgResult killed = other.execute("SELECT pg_terminate_backend(" + repl.backendPid() + ")");
        assertEquals("t", killed.rows(0, 1)[0][0]);
        long deadline = System.nanoTime() + WAIT.toNanos();
        PgException e = assertThrows(PgException.class, () -> {
            while (System.nanoTime() - deadline < 0) {
                s.read(500);
            }
        }, "read must report the end of the walsender, not time out");
        assertNotNull(e.getMessage());
    }

    @Test
    void withoutBlockingThroughSendQueryPollAndGetResult() throws IOException {
        String table = table();
        PgConnection repl = replication("database");
        String slot = temporarySlot(repl);
        repl.sendQuery(startLogical(slot).getBytes(repl.clientCharset()));
        try (Selector selector = Selector.open()) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            for (PollingStatus st; (st = repl.poll()) != PollingStatus.OK; ) {
                assertTrue(System.nanoTime() - deadline < 0, "START_REPLICATION did not answer");
                await(selector, repl, st == PollingStatus.READING ? SelectionKey.OP_READ : SelectionKey.OP_WRITE);
            }
            assertFalse(repl.isBusy(), "streaming is not busy: PQgetResult would not block");
            PgResult r = repl.getResult();
            assertEquals(ResultStatus.COPY_BOTH, r.status());
            assertEquals(ResultStatus.COPY_BOTH, repl.getResult().status(), "as libpq: COPY_BOTH again while streaming");
            assertTrue(repl.inCopyBoth());

            ReplicationStream s = new ReplicationStream(repl, STATUS_INTERVAL);
            assertNull(s.read(0));
            other.execute("INSERT INTO " + table + " VALUES (1, 'a'), (2, 'b'), (3, 'c')");
            List<XLogData> got = new ArrayList<>();
            while (!transactionComplete(got, table, 3)) {
                assertTrue(System.nanoTime() - deadline < 0, "no COMMIT in time; got " + texts(got));
                XLogData m = s.read(0);
                if (m != null) {
                    got.add(m);
                } else {
                    await(selector, repl, SelectionKey.OP_READ);
                }
            }
            List<String> texts = texts(got);
            assertTrue(texts.contains("table public." + table + ": INSERT: id[integer]:3 v[text]:'c'"), texts.toString());
            s.end();
        }
        assertNull(repl.getResult(), "nothing left to take once the stream is over");
        assertUsable(repl);
    }

    /** Waits (up to half a second: the callers loop) for the socket, as an event loop would. */
    private static void await(Selector selector, PgConnection c, int ops) throws IOException {
        SelectionKey key = c.socketChannel().register(selector, ops);
        selector.select(500);
        key.cancel();
        selector.selectNow(); // deregisters, so that the driver may make the socket blocking again
    }

    @Test
    void physicalWalArrivesAfterAWrite() {
        String table = table();
        PgConnection repl = replication("true");
        PgResult id = repl.execute("IDENTIFY_SYSTEM");
        assertEquals(ResultStatus.TUPLES_OK, id.status());
        Object[] row = id.rows(0, 1)[0];
        long timeline = Long.parseLong((String) row[1]);
        long start = Lsn.parse((String) row[2]);
        assertNull(row[3], "a physical connection has no database");

        ReplicationStream s = ReplicationStream.start(repl,
                "START_REPLICATION PHYSICAL " + Lsn.format(start) + " TIMELINE " + timeline, STATUS_INTERVAL);
        assertTrue(repl.inCopyBoth());
        other.execute("INSERT INTO " + table + " SELECT g, repeat('x', 100) FROM generate_series(1, 100) g");
        // (With synchronous_commit off the WAL writer flushes it a moment later: then it is sent.)

        long deadline = System.nanoTime() + WAIT.toNanos();
        XLogData data = null;
        while (data == null) {
            assertTrue(System.nanoTime() - deadline < 0, "no WAL within " + WAIT);
            data = s.read(500);
            if (data != null && data.payload().length == 0) {
                data = null;
            }
        }
        assertTrue(Long.compareUnsigned(data.dataStart(), start) >= 0,
                Lsn.format(data.dataStart()) + " from " + Lsn.format(start));
        assertTrue(Long.compareUnsigned(data.walEnd(), data.dataStart()) >= 0);
        assertNotEquals(0, s.walEnd());
        s.sendFeedback(data.dataStart() + data.payload().length, 0, 0, false, true);
        s.end();
        assertUsable(repl);
    }
}
