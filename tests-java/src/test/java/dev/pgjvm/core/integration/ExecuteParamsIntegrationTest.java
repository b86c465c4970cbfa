package dev.pgjvm.core.integration;

import dev.pgjvm.core.PgResult;
import dev.pgjvm.core.PgServerException;
import dev.pgjvm.core.ResultStatus;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static dev.pgjvm.core.ValueKind.*;
import static org.junit.jupiter.api.Assertions.*;

/** PgConnection.executeParams (libpq's PQexecParams) against the test server. */
class ExecuteParamsIntegrationTest extends ConnectedTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void textParametersNeedNoQuoting() {
        PgResult r = c.executeParams("SELECT $1::text || '!', $2::int + 1", null,
                new byte[][]{utf8("it's \\ \"ok\" é"), utf8("41")}, null, false);
        r.setValueKinds(TEXT, INT8);
        assertArrayEquals(new Object[]{"it's \\ \"ok\" é!", 42L}, r.rows(0, 1)[0]);
        assertEquals("SELECT 1", r.commandTag());
    }

    @Test
    void aBinaryByteaParameterCarriesEveryByte() {
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        PgResult r = c.executeParams("SELECT $1, length($1)", new int[]{17}, new byte[][]{all}, new boolean[]{true}, true);
        r.setValueKinds(BYTEA, INT8);
        Object[] row = r.rows(0, 1)[0];
        assertArrayEquals(all, (byte[]) row[0]);
        assertEquals(256L, row[1]);
        assertEquals(1, r.columns().get(0).format());
        PgResult text = c.executeParams("SELECT $1", new int[]{17}, new byte[][]{all}, new boolean[]{true}, false);
        text.setValueKinds(BYTEA);
        assertArrayEquals(all, (byte[]) text.rows(0, 1)[0][0], "text results: the hex form, decoded");
        assertEquals(0, text.columns().get(0).format());
    }

    @Test
    void binaryResultsOfEachKind() {
        PgResult r = c.executeParams("SELECT -2::int2, -3::int4, 4294967294::oid, -4::int8, 1.5::float4, "
                + "-2.5::float8, true, 'é'::text, NULL::int4", null, new byte[0][], null, true);
        r.setValueKinds(INT8, INT8, INT8, INT8, FLOAT8, FLOAT8, BOOL, TEXT, INT8);
        assertArrayEquals(new Object[]{-2L, -3L, 4294967294L, -4L, 1.5, -2.5, true, "é", null}, r.rows(0, 1)[0]);
    }

    @Test
    void aNullParameterIsSqlNull() {
        PgResult r = c.executeParams("SELECT $1::int IS NULL", null, new byte[][]{null}, null, false);
        r.setValueKinds(BOOL);
        assertEquals(true, r.rows(0, 1)[0][0]);
    }

    @Test
    void commandsReportTheirTag() {
        c.execute("CREATE TEMP TABLE params (b bytea)");
        PgResult r = c.executeParams("INSERT INTO params VALUES ($1), ($1)", new int[]{17}, new byte[][]{{0, 1}},
                new boolean[]{true}, false);
        assertEquals(ResultStatus.COMMAND_OK, r.status());
        assertEquals(2, r.affectedRows());
    }

    @Test
    void aServerErrorNamesTheStatementAndTheConnectionGoesOn() {
        PgServerException e = assertThrows(PgServerException.class,
                () -> c.executeParams("SELECT 1 / $1::int", null, new byte[][]{utf8("0")}, null, false));
        assertEquals("22012", e.sqlState());
        assertEquals("SELECT 1 / $1::int", e.query());
        PgServerException syntax = assertThrows(PgServerException.class,
                () -> c.executeParams("SELEC $1", null, new byte[][]{utf8("x")}, null, false));
        assertTrue(syntax.getMessage().contains("LINE 1: SELEC $1\n        ^\n"), syntax.getMessage());
        assertEquals("1", c.execute("SELECT 1").rows(0, 1)[0][0]);
    }

    @Test
    void badArgumentsSendNothing() {
        assertThrows(IllegalArgumentException.class,
                () -> c.executeParams("SELECT '\0'", null, new byte[0][], null, false), "NUL in the SQL");
        assertThrows(IllegalArgumentException.class,
                () -> c.executeParams("SELECT $1", null, new byte[][]{{1}}, new boolean[0], false), "a format per value");
        assertEquals("1", c.execute("SELECT 1").rows(0, 1)[0][0]);
    }
}
