package dev.pgjvm.core.integration;

import dev.pgjvm.core.CopyDirection;
import dev.pgjvm.core.PgCopyRefusedException;
import dev.pgjvm.core.PgServerException;
import dev.pgjvm.core.PgResult;
import dev.pgjvm.core.ResultStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class CopyIntegrationTest extends ConnectedTest {
    @BeforeEach
    void createTable() {
        c.execute("CREATE TEMP TABLE copied (id int, name text)");
    }

    @Test
    void copyInThenOutRoundTripsManyRowsAndNonAsciiText() {
        assertEquals(CopyDirection.IN, c.copyStart("COPY copied FROM STDIN"));
        StringBuilder batch = new StringBuilder();
        for (int i = 1; i <= 50_000; i++) {
            batch.append(i).append("\tnäme ").append(i).append('\n');
            if (i % 1000 == 0) {
                c.copyWrite(batch.toString(), false);
                batch.setLength(0);
            }
        }
        PgResult in = c.copyEnd(null);
        assertEquals("COPY 50000", in.commandTag());
        assertEquals(ResultStatus.COPY_IN, in.status());
        assertEquals(50_000, in.affectedRows());

        assertEquals(CopyDirection.OUT, c.copyStart("COPY (SELECT * FROM copied ORDER BY id) TO STDOUT"));
        StringBuilder all = new StringBuilder();
        for (String chunk; (chunk = c.copyRead(false)) != null; ) {
            all.append(chunk);
        }
        PgResult out = c.copyEnd(null);
        assertEquals("COPY 50000", out.commandTag());
        assertEquals(ResultStatus.COPY_OUT, out.status());
        String text = all.toString();
        assertTrue(text.startsWith("1\tnäme 1\n2\tnäme 2\n"), text.substring(0, 40));
        assertTrue(text.endsWith("50000\tnäme 50000\n"));
        assertEquals(50_000, text.split("\n").length);
    }

    @Test
    void rawBytesGoThroughUnchanged() {
        c.execute("CREATE TEMP TABLE blobs (b bytea)");
        assertEquals(CopyDirection.IN, c.copyStart("COPY blobs FROM STDIN"));
        c.copyWrite("\\\\x00ff\n", true);
        c.copyEnd(null);
        assertEquals(CopyDirection.OUT, c.copyStart("COPY blobs TO STDOUT"));
        assertEquals("\\\\x00ff\n", c.copyRead(true));
        assertNull(c.copyRead(true));
        c.copyEnd(null);
    }

    @Test
    void badDataFailsTheStatementAndTheConnectionStaysUsable() {
        assertEquals(CopyDirection.IN, c.copyStart("COPY copied FROM STDIN"));
        c.copyWrite("1\tok\nnot-a-number\tbad\n", false);
        PgServerException e = assertThrows(PgServerException.class, () -> c.copyEnd(null));
        assertEquals("22P02", e.sqlState());
        assertEquals("0", c.execute("SELECT count(*)::text FROM copied").rows(0, 1)[0][0]);
    }

    @Test
    void copyFailCarriesTheReason() {
        assertEquals(CopyDirection.IN, c.copyStart("COPY copied FROM STDIN"));
        c.copyWrite("1\tok\n", false);
        PgServerException e = assertThrows(PgServerException.class, () -> c.copyEnd("reader broke"));
        assertEquals("57014", e.sqlState());
        assertTrue(e.getMessage().contains("reader broke"), e.getMessage());
    }

    @Test
    void anErrorBeforeTheCopyIsReportedByCopyEnd() {
        assertEquals(CopyDirection.NONE, c.copyStart("COPY no_such_table FROM STDIN"));
        PgServerException e = assertThrows(PgServerException.class, () -> c.copyEnd(null));
        assertEquals("42P01", e.sqlState());
    }

    @Test
    void plainExecuteRefusesCopyAndStaysUsable() {
        PgCopyRefusedException in = assertThrows(PgCopyRefusedException.class,
                () -> c.execute("COPY copied FROM STDIN"));
        assertTrue(in.copyIn());
        PgCopyRefusedException out = assertThrows(PgCopyRefusedException.class,
                () -> c.execute("COPY (SELECT 1) TO STDOUT"));
        assertFalse(out.copyIn());
        assertEquals("1", c.execute("SELECT 1::text").rows(0, 1)[0][0]);
    }
}
