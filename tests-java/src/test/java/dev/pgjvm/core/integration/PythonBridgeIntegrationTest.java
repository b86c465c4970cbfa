package dev.pgjvm.core.integration;

import dev.pgjvm.core.PgResult;
import dev.pgjvm.psycopg2.PythonBridge;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The connection half of the Python bridge, against the test server (its result half: PythonBridgeTest). */
class PythonBridgeIntegrationTest extends ConnectedTest {
    @Test
    void transactionStatusIsLibpqsNumber() {
        assertEquals(0, PythonBridge.transactionStatus(c));
        c.execute("BEGIN");
        assertEquals(2, PythonBridge.transactionStatus(c));
        assertThrows(RuntimeException.class, () -> c.execute("SELECT 1/0"));
        assertEquals(3, PythonBridge.transactionStatus(c));
        c.execute("ROLLBACK");
        c.close();
        assertEquals(4, PythonBridge.transactionStatus(c));
    }

    @Test
    void copyStartNamesTheDirection() {
        c.execute("CREATE TEMP TABLE bridged (x int)");
        assertEquals("IN", PythonBridge.copyStart(c, "COPY bridged FROM STDIN".getBytes(StandardCharsets.UTF_8)));
        c.copyWrite("1\n", false);
        c.copyEnd(null);
        assertEquals("OUT", PythonBridge.copyStart(c, "COPY bridged TO STDOUT".getBytes(StandardCharsets.UTF_8)));
        assertEquals("1\n", c.copyRead(false));
        assertNull(c.copyRead(false));
        assertEquals("COPY_OUT", PythonBridge.status(c.copyEnd(null)));
        assertEquals("NONE", PythonBridge.copyStart(c, "COPY no_such_table FROM STDIN".getBytes(StandardCharsets.UTF_8)));
        assertThrows(RuntimeException.class, () -> c.copyEnd(null));
    }

    @Test
    void noticesAndNotificationsAreDrained() {
        c.execute("LISTEN bridged");
        c.execute("DO $$ BEGIN RAISE NOTICE 'hi'; END $$");
        c.execute("NOTIFY bridged, 'payload'");
        assertArrayEquals(new String[]{"NOTICE:  hi\n"}, PythonBridge.notices(c));
        assertEquals(0, PythonBridge.notices(c).length);
        Object[][] notifications = PythonBridge.notifications(c);
        assertArrayEquals(new Object[][]{{c.backendPid(), "bridged", "payload"}}, notifications);
        assertEquals(Integer.class, notifications[0][0].getClass(), "the pid is an Integer");
        assertEquals(0, PythonBridge.notifications(c).length);
    }

    @Test
    void dsnParametersAsPairsInOrder() {
        String[][] pairs = PythonBridge.dsnParameters(c);
        Map<String, String> asMap = new LinkedHashMap<>();
        for (String[] p : pairs) {
            assertEquals(2, p.length);
            asMap.put(p[0], p[1]);
        }
        assertEquals(c.dsnParameters(), asMap);
        assertEquals(List.copyOf(c.dsnParameters().keySet()), List.copyOf(asMap.keySet()), "same order");
        assertEquals(TestServer.host(), asMap.get("host"));
    }

    @Test
    void rowsOfARealResult() {
        PgResult r = c.execute("SELECT '\\x00ff'::bytea, 7::int4, NULL::bytea");
        PythonBridge.setKinds(r, "xix");
        // bytea: the lengths (2, 0), then the bytes; the NULL's index (0) after the form letter.
        assertArrayEquals(new String[]{"\u0002\u0000\u0000\u0000\u0000\u00ff", "x",
                        "\u0007\u0000\u0000\u0000\u0000\u0000\u0000\u0000", "q",
                        "\u0000\u0000\u0000\u0000", "x\u0000\u0000\u0000\u0000", ""},
                PythonBridge.window(r, 0, 1, "xix"));
        assertEquals(17L, PythonBridge.columns(r)[0][1], "bytea's type OID");
    }
}
