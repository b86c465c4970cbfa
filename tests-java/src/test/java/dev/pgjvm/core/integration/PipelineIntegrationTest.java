package dev.pgjvm.core.integration;

import dev.pgjvm.core.PgConnectionException;
import dev.pgjvm.core.PgResult;
import dev.pgjvm.core.PipelineOutcome;
import dev.pgjvm.core.TransactionStatus;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static dev.pgjvm.core.ValueKind.INT8;
import static org.junit.jupiter.api.Assertions.*;

/** Simple queries in flight together (PgConnection.executePipelined) against the real server. */
class PipelineIntegrationTest extends ConnectedTest {
    private static byte[][] statements(String... sql) {
        byte[][] bytes = new byte[sql.length][];
        for (int i = 0; i < sql.length; i++) {
            bytes[i] = sql[i].getBytes(StandardCharsets.UTF_8);
        }
        return bytes;
    }

    @Test
    void allRunInOrderWithTheirOwnResults() {
        c.execute("CREATE TEMP TABLE p (id int PRIMARY KEY)");
        PipelineOutcome outcome = c.executePipelined(statements(
                "INSERT INTO p VALUES (1)", "INSERT INTO p SELECT 2 UNION ALL SELECT 3",
                "UPDATE p SET id = id + 10 WHERE id > 1", "SELECT * FROM p ORDER BY id"));
        assertNull(outcome.failure());
        assertEquals(4, outcome.completed());
        assertArrayEquals(new long[]{1, 2, 2, 3}, outcome.affectedRows());
        assertEquals("INSERT 0 2", outcome.result(1).commandTag());
        PgResult rows = outcome.result(3);
        rows.setValueKinds(INT8);
        assertEquals(13L, rows.rows(0, 3)[2][0], "the SELECT saw the UPDATE before it");
    }

    @Test
    void inATransactionTheFirstFailureEndsIt() {
        c.execute("CREATE TEMP TABLE p (id int PRIMARY KEY)");
        c.execute("BEGIN");
        PipelineOutcome outcome = c.executePipelined(statements(
                "INSERT INTO p VALUES (1)", "INSERT INTO p VALUES (1)", "INSERT INTO p VALUES (2)"));
        assertEquals(1, outcome.completed());
        assertEquals("23505", outcome.failure().sqlState());
        assertEquals(TransactionStatus.INERROR, c.transactionStatus());
        c.execute("ROLLBACK");
        PgResult count = c.execute("SELECT count(*) FROM p");
        count.setValueKinds(INT8);
        assertEquals(0L, count.rows(0, 1)[0][0]);
    }

    @Test
    void outsideATransactionTheOthersStillRun() {
        c.execute("CREATE TEMP TABLE p (id int PRIMARY KEY)");
        PipelineOutcome outcome = c.executePipelined(statements(
                "INSERT INTO p VALUES (1)", "INSERT INTO p VALUES (1)", "INSERT INTO p VALUES (2)"));
        assertEquals(1, outcome.completed());
        assertNotNull(outcome.failure());
        PgResult count = c.execute("SELECT count(*) FROM p");
        count.setValueKinds(INT8);
        assertEquals(2L, count.rows(0, 1)[0][0], "each simple query is its own transaction");
    }

    @Test
    void anEmptyBatchSendsNothingAndAClosedConnectionRefuses() {
        PipelineOutcome outcome = c.executePipelined(new byte[0][]);
        assertEquals(0, outcome.completed());
        assertNull(outcome.failure());
        c.close();
        assertThrows(PgConnectionException.class, () -> c.executePipelined(statements("SELECT 1")));
    }
}
