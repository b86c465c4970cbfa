package dev.pgjvm.core.integration;

import dev.pgjvm.core.PgConnection;
import dev.pgjvm.core.PgServerException;
import dev.pgjvm.core.QueryResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class QueryIntegrationTest {
    private PgConnection c;

    @BeforeEach
    void open() {
        TestServer.assumeAvailable();
        c = TestServer.connect();
    }

    @AfterEach
    void close() {
        if (c != null) {
            c.close();
        }
    }

    @Test
    void encodedQueriesGoAsTheyAreAndEndAtNul() {
        c.execute("SET client_encoding TO 'LATIN1'");
        assertEquals("ISO-8859-1", c.clientCharset().name());
        byte[] sql = {'S', 'E', 'L', 'E', 'C', 'T', ' ', '\'', (byte) 0xE9, '\'', 0, ';', 'X'};
        QueryResult r = c.execute(sql);
        r.setDecoders("s");
        assertEquals("\u00e9", r.rows(0, 1)[0][0], "one latin-1 byte, and nothing after the NUL");
        PgServerException e = assertThrows(PgServerException.class,
                () -> c.execute(new byte[]{'S', 'E', 'L', 'E', 'C', 'T', ' ', (byte) 0xE9}));
        assertTrue(e.getMessage().contains("LINE 1: SELECT \u00e9"), e.getMessage());
    }

    @Test
    void manyTypesWithDecoders() {
        QueryResult r = c.execute("SELECT 42::int4 AS i4, 9223372036854775807::int8, 1.5::float8, 'NaN'::float8,"
                + " 'Infinity'::float8, '-Infinity'::float4, true, false, '\\x00ff41'::bytea, 'héllo'::text,"
                + " NULL::int4, 12.50::numeric, '2024-01-02'::date");
        assertEquals("TUPLES_OK", r.status());
        assertEquals("SELECT 1", r.commandTag());
        assertEquals(1, r.affectedRows());
        Object[][] cols = r.columns();
        assertEquals(13, cols.length);
        assertEquals("i4", cols[0][0]);
        long[] oids = {23, 20, 701, 701, 701, 700, 16, 16, 17, 25, 23, 1700, 1082};
        for (int i = 0; i < oids.length; i++) {
            assertEquals(oids[i], cols[i][1], "type of column " + i);
        }
        assertEquals(4, cols[0][4], "int4 is 4 bytes");
        r.setDecoders("iiffffbbxsiss");
        Object[] row = r.rows(0, 1)[0];
        assertEquals(42L, row[0]);
        assertEquals(Long.MAX_VALUE, row[1]);
        assertEquals(1.5, row[2]);
        assertTrue(Double.isNaN((Double) row[3]));
        assertEquals(Double.POSITIVE_INFINITY, row[4]);
        assertEquals(Double.NEGATIVE_INFINITY, row[5]);
        assertEquals(true, row[6]);
        assertEquals(false, row[7]);
        assertEquals("\u0000\u00ffA", row[8]);
        assertEquals("héllo", row[9]);
        assertNull(row[10]);
        assertEquals("12.50", row[11]);
        assertEquals("2024-01-02", row[12]);
    }

    @Test
    void byteaEscapeOutputFormat() {
        c.execute("SET bytea_output = 'escape'");
        QueryResult r = c.execute("SELECT '\\x005c41ff'::bytea");
        r.setDecoders("x");
        assertEquals("\u0000\\A\u00ff", r.rows(0, 1)[0][0]);
    }

    @Test
    void multiStatementReturnsTheLastResult() {
        QueryResult r = c.execute("SELECT 1; SELECT 'two' AS b, 3 AS c");
        assertEquals(2, r.columns().length);
        assertArrayEquals(new Object[]{"two", "3"}, r.rows(0, 1)[0]);
        QueryResult cmd = c.execute("SELECT 1; CREATE TEMP TABLE pgjvm_t (x int)");
        assertEquals("COMMAND_OK", cmd.status());
        assertEquals("CREATE TABLE", cmd.commandTag());
        assertEquals(-1, cmd.affectedRows());
        QueryResult ins = c.execute("INSERT INTO pgjvm_t SELECT generate_series(1, 3)");
        assertEquals("INSERT 0 3", ins.commandTag());
        assertEquals(3, ins.affectedRows());
        assertEquals(0, ins.insertedOid());
        assertEquals(2, c.execute("UPDATE pgjvm_t SET x = x + 1 WHERE x > 1").affectedRows());
    }

    @Test
    void emptyQuery() {
        QueryResult r = c.execute("");
        assertEquals("EMPTY_QUERY", r.status());
        assertNull(r.commandTag());
    }

    @Test
    void largeResultSpansManyReads() {
        QueryResult r = c.execute("SELECT g, repeat('x', 50) FROM generate_series(1, 100000) g");
        assertEquals(100000, r.rowCount());
        r.setDecoders("is");
        Object[][] tail = r.rows(99998, 100000);
        assertEquals(99999L, tail[0][0]);
        assertEquals(100000L, tail[1][0]);
        assertEquals("x".repeat(50), tail[1][1]);
    }

    @Test
    void errorMidTransactionThenRollback() {
        c.execute("BEGIN");
        assertEquals(2, c.transactionStatus());
        PgServerException e = assertThrows(PgServerException.class, () -> c.execute("SELECT 1/0"));
        assertEquals("22012", e.sqlState());
        assertEquals("ERROR:  division by zero\n", e.getMessage());
        assertEquals(3, c.transactionStatus());
        PgServerException aborted = assertThrows(PgServerException.class, () -> c.execute("SELECT 1"));
        assertEquals("25P02", aborted.sqlState());
        c.execute("ROLLBACK");
        assertEquals(0, c.transactionStatus());
        assertEquals("1", c.execute("SELECT 1").rows(0, 1)[0][0]);
    }

    @Test
    void syntaxErrorShowsLineAndCaret() {
        PgServerException e = assertThrows(PgServerException.class, () -> c.execute("SELECT 1,\n  nope FROM pg_class"));
        assertEquals("42703", e.sqlState());
        assertEquals("ERROR:  column \"nope\" does not exist\nLINE 2:   nope FROM pg_class\n          ^\n", e.getMessage());
        assertEquals("column \"nope\" does not exist", e.field("M"));
        assertEquals("ERROR", e.severity());
        PgServerException s = assertThrows(PgServerException.class, () -> c.execute("SELEC 1"));
        assertEquals("ERROR:  syntax error at or near \"SELEC\"\nLINE 1: SELEC 1\n        ^\n", s.getMessage());
    }

    @Test
    void errorInTheMiddleOfAMultiStatementQuery() {
        PgServerException e = assertThrows(PgServerException.class,
                () -> c.execute("CREATE TEMP TABLE pgjvm_m (x int); SELECT 1/0; SELECT 2"));
        assertEquals("22012", e.sqlState());
        // A multi-statement simple query runs as one implicit transaction: the CREATE was rolled back.
        assertThrows(PgServerException.class, () -> c.execute("SELECT * FROM pgjvm_m"));
        assertEquals(0, c.transactionStatus());
    }

    @Test
    void notices() {
        c.execute("DO $$ BEGIN RAISE NOTICE 'hi'; RAISE WARNING 'careful'; END $$");
        assertArrayEquals(new String[]{"NOTICE:  hi\n", "WARNING:  careful\n"}, c.drainNotices());
        assertEquals(0, c.drainNotices().length);
        c.execute("DO $$ BEGIN RAISE NOTICE 'with detail' USING DETAIL = 'the detail', HINT = 'a hint'; END $$");
        assertArrayEquals(new String[]{"NOTICE:  with detail\nDETAIL:  the detail\nHINT:  a hint\n"}, c.drainNotices());
    }

    @Test
    void errorContextIsShown() {
        PgServerException e = assertThrows(PgServerException.class,
                () -> c.execute("DO $$ BEGIN RAISE EXCEPTION 'custom' USING ERRCODE = 'P0001'; END $$"));
        assertEquals("P0001", e.sqlState());
        assertEquals("ERROR:  custom\nCONTEXT:  PL/pgSQL function inline_code_block line 1 at RAISE\n", e.getMessage());
    }

    @Test
    void listenNotify() {
        try (PgConnection other = TestServer.connect()) {
            c.execute("LISTEN pgjvm_channel");
            other.execute("NOTIFY pgjvm_channel, 'payload é'");
            other.execute("SELECT pg_notify('pgjvm_channel', 'second')");
            c.execute("SELECT 1"); // notifications arrive with the next exchange
            Object[][] n = c.drainNotifications();
            assertEquals(2, n.length);
            assertEquals(other.backendPid(), n[0][0]);
            assertEquals("pgjvm_channel", n[0][1]);
            assertEquals("payload é", n[0][2]);
            assertEquals("second", n[1][2]);
            assertEquals(0, c.drainNotifications().length);
        }
    }

    @Test
    void ownNotificationsArriveImmediately() {
        c.execute("LISTEN pgjvm_self");
        c.execute("NOTIFY pgjvm_self");
        Object[][] n = c.drainNotifications();
        assertEquals(1, n.length);
        assertEquals(c.backendPid(), n[0][0]);
        assertEquals("", n[0][2]);
    }

    @Test
    void utf8RoundTrip() {
        String text = "héllo wörld — 日本語 — 😀🎉 — Ωμέγα";
        QueryResult r = c.execute("SELECT '" + text + "', length('" + text + "')");
        r.setDecoders("si");
        Object[] row = r.rows(0, 1)[0];
        assertEquals(text, row[0]);
        assertEquals((long) text.codePointCount(0, text.length()), row[1]);
        c.execute("CREATE TEMP TABLE pgjvm_u (\"cölumn 😀\" text)");
        assertEquals("cölumn 😀", c.execute("SELECT * FROM pgjvm_u").columns()[0][0]);
    }

    @Test
    void latin1ClientEncoding() {
        c.execute("SET client_encoding TO 'LATIN1'");
        assertEquals("LATIN1", c.parameterStatus("client_encoding"));
        assertEquals("café", c.execute("SELECT 'café'").rows(0, 1)[0][0]);
        assertThrows(IllegalArgumentException.class, () -> c.execute("SELECT '€'"));
        c.execute("SET client_encoding TO 'UTF8'");
        assertEquals("€", c.execute("SELECT '€'").rows(0, 1)[0][0]);
    }
}
