package dev.pgjvm.core.integration;

import dev.pgjvm.core.PgConnection;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A connection dropped without close() gives its server session back once it is collected. */
class AbandonedConnectionIntegrationTest {
    @BeforeEach
    void needServer() {
        TestServer.assumeAvailable();
    }

    @Test
    void collectedConnectionClosesItsSocket() throws InterruptedException {
        String marker = "abandoned_" + ProcessHandle.current().pid();
        openAndDrop(marker);
        try (PgConnection watcher = TestServer.connect()) {
            String count = "SELECT count(*)::text FROM pg_stat_activity WHERE application_name = '" + marker + "'";
            assertEquals("1", watcher.execute(count).rows(0, 1)[0][0]);
            // Bounded: a few collections are enough for the Cleaner to run and the backend to exit.
            String seen = "1";
            for (int i = 0; i < 50 && !seen.equals("0"); i++) {
                System.gc();
                Thread.sleep(100);
                seen = (String) watcher.execute(count).rows(0, 1)[0][0];
            }
            assertEquals("0", seen, "the abandoned connection's backend is still there");
        }
    }

    private static void openAndDrop(String applicationName) {
        PgConnection c = TestServer.connect("application_name=" + applicationName);
        c.execute("SELECT 1");
    }
}
