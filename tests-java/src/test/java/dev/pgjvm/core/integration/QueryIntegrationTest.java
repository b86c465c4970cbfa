package dev.pgjvm.core.integration;

import dev.pgjvm.core.PgConnection;
import dev.pgjvm.core.PgServerException;
import dev.pgjvm.core.FieldDescription;
import dev.pgjvm.core.Notification;
import dev.pgjvm.core.PgResult;
import dev.pgjvm.core.ResultStatus;
import dev.pgjvm.core.TransactionStatus;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.pgjvm.core.ValueKind.*;
import static org.junit.jupiter.api.Assertions.*;

class QueryIntegrationTest extends ConnectedTest {
    @Test
    void encodedQueriesGoAsTheyAreAndEndAtNul() {
        c.execute("SET client_encoding TO 'LATIN1'");
        assertEquals("ISO-8859-1", c.clientCharset().name());
        byte[] sql = {'S', 'E', 'L', 'E', 'C', 'T', ' ', '\'', (byte) 0xE9, '\'', 0, ';', 'X'};
        PgResult r = c.execute(sql);
        r.setValueKinds(TEXT);
        assertEquals("\u00e9", r.rows(0, 1)[0][0], "one latin-1 byte, and nothing after the NUL");
        PgServerException e = assertThrows(PgServerException.class,
                () -> c.execute(new byte[]{'S', 'E', 'L', 'E', 'C', 'T', ' ', (byte) 0xE9}));
        assertTrue(e.getMessage().contains("LINE 1: SELECT \u00e9"), e.getMessage());
    }

    @Test
    void manyTypesWithValueKinds() {
        PgResult r = c.execute("SELECT 42::int4 AS i4, 9223372036854775807::int8, 1.5::float8, 'NaN'::float8,"
                + " 'Infinity'::float8, '-Infinity'::float4, true, false, '\\x00ff41'::bytea, 'héllo'::text,"
                + " NULL::int4, 12.50::numeric, '2024-01-02'::date");
        assertEquals(ResultStatus.TUPLES_OK, r.status());
        assertEquals("SELECT 1", r.commandTag());
        assertEquals(1, r.affectedRows());
        List<FieldDescription> cols = r.columns();
        assertEquals(13, cols.size());
        assertEquals(new FieldDescription("i4", 23, 0, 0, 4, -1, 0), cols.get(0), "int4 is 4 bytes, from no table");
        long[] oids = {23, 20, 701, 701, 701, 700, 16, 16, 17, 25, 23, 1700, 1082};
        for (int i = 0; i < oids.length; i++) {
            assertEquals(oids[i], cols.get(i).typeOid(), "type of column " + i);
        }
        r.setValueKinds(INT8, INT8, FLOAT8, FLOAT8, FLOAT8, FLOAT8, BOOL, BOOL, BYTEA, TEXT, INT8, TEXT, TEXT);
        Object[] row = r.rows(0, 1)[0];
        assertEquals(42L, row[0]);
        assertEquals(Long.MAX_VALUE, row[1]);
        assertEquals(1.5, row[2]);
        assertTrue(Double.isNaN((Double) row[3]));
        assertEquals(Double.POSITIVE_INFINITY, row[4]);
        assertEquals(Double.NEGATIVE_INFINITY, row[5]);
        assertEquals(true, row[6]);
        assertEquals(false, row[7]);
        assertArrayEquals(new byte[]{0, (byte) 0xff, 'A'}, (byte[]) row[8]);
        assertEquals("héllo", row[9]);
        assertNull(row[10]);
        assertEquals("12.50", row[11]);
        assertEquals("2024-01-02", row[12]);
    }

    @Test
    void byteaEscapeOutputFormat() {
        c.execute("SET bytea_output = 'escape'");
        PgResult r = c.execute("SELECT '\\x005c41ff'::bytea");
        r.setValueKinds(BYTEA);
        assertArrayEquals(new byte[]{0, '\\', 'A', (byte) 0xff}, (byte[]) r.rows(0, 1)[0][0]);
    }

    @Test
    void multiStatementReturnsTheLastResult() {
        PgResult r = c.execute("SELECT 1; SELECT 'two' AS b, 3 AS c");
        assertEquals(List.of("b", "c"), r.columns().stream().map(FieldDescription::name).toList());
        assertArrayEquals(new Object[]{"two", "3"}, r.rows(0, 1)[0]);
        PgResult cmd = c.execute("SELECT 1; CREATE TEMP TABLE pgjvm_t (x int)");
        assertEquals(ResultStatus.COMMAND_OK, cmd.status());
        assertEquals("CREATE TABLE", cmd.commandTag());
        assertEquals(-1, cmd.affectedRows());
        PgResult ins = c.execute("INSERT INTO pgjvm_t SELECT generate_series(1, 3)");
        assertEquals("INSERT 0 3", ins.commandTag());
        assertEquals(3, ins.affectedRows());
        assertEquals(0, ins.insertedOid());
        assertEquals(2, c.execute("UPDATE pgjvm_t SET x = x + 1 WHERE x > 1").affectedRows());
    }

    @Test
    void emptyQuery() {
        PgResult r = c.execute("");
        assertEquals(ResultStatus.EMPTY_QUERY, r.status());
        assertNull(r.commandTag());
    }

    @Test
    void largeResultSpansManyReads() {
        PgResult r = c.execute("SELECT g, repeat('x', 50) FROM generate_series(1, 100000) g");
        assertEquals(100000, r.rowCount());
        r.setValueKinds(INT8, TEXT);
        Object[][] tail = r.rows(99998, 100000);
        assertEquals(99999L, tail[0][0]);
        assertEquals(100000L, tail[1][0]);
        assertEquals("x".repeat(50), tail[1][1]);
    }

    @Test
    void errorMidTransactionThenRollback() {
        c.execute("BEGIN");
        assertEquals(TransactionStatus.INTRANS, c.transactionStatus());
        PgServerException e = assertThrows(PgServerException.class, () -> c.execute("SELECT 1/0"));
        assertEquals("22012", e.sqlState());
        assertEquals("ERROR:  division by zero\n", e.getMessage());
        assertEquals(TransactionStatus.INERROR, c.transactionStatus());
        PgServerException aborted = assertThrows(PgServerException.class, () -> c.execute("SELECT 1"));
        assertEquals("25P02", aborted.sqlState());
        c.execute("ROLLBACK");
        assertEquals(TransactionStatus.IDLE, c.transactionStatus());
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
        assertEquals(TransactionStatus.IDLE, c.transactionStatus());
    }

    @Test
    void notices() {
        c.execute("DO $$ BEGIN RAISE NOTICE 'hi'; RAISE WARNING 'careful'; END $$");
        assertEquals(List.of("NOTICE:  hi\n", "WARNING:  careful\n"), c.drainNotices());
        assertEquals(List.of(), c.drainNotices());
        c.execute("DO $$ BEGIN RAISE NOTICE 'with detail' USING DETAIL = 'the detail', HINT = 'a hint'; END $$");
        assertEquals(List.of("NOTICE:  with detail\nDETAIL:  the detail\nHINT:  a hint\n"), c.drainNotices());
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
            assertEquals(List.of(new Notification(other.backendPid(), "pgjvm_channel", "payload é"),
                    new Notification(other.backendPid(), "pgjvm_channel", "second")), c.drainNotifications());
            assertEquals(List.of(), c.drainNotifications());
        }
    }

    @Test
    void ownNotificationsArriveImmediately() {
        c.execute("LISTEN pgjvm_self");
        c.execute("NOTIFY pgjvm_self");
        assertEquals(List.of(new Notification(c.backendPid(), "pgjvm_self", "")), c.drainNotifications());
    }

    @Test
    void utf8RoundTrip() {
        String text = "héllo wörld — 日本語 — 😀🎉 — Ωμέγα";
        PgResult r = c.execute("SELECT '" + text + "', length('" + text + "')");
        r.setValueKinds(TEXT, INT8);
        Object[] row = r.rows(0, 1)[0];
        assertEquals(text, row[0]);
        assertEquals((long) text.codePointCount(0, text.length()), row[1]);
        c.execute("CREATE TEMP TABLE pgjvm_u (\"cölumn 😀\" text)");
        assertEquals("cölumn 😀", c.execute("SELECT * FROM pgjvm_u").columns().get(0).name());
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
