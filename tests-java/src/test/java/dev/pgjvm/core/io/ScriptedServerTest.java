package dev.pgjvm.core.io;

import dev.pgjvm.core.PgConnection;
import dev.pgjvm.core.testing.Driver;
import dev.pgjvm.core.testing.FakeServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * What the fault suites share: one scripted server and at most one connection per test, both
 * closed after it (and the script checked to have run as written, see
 * {@link FakeServer#closeAfterTest}), and a client environment of its own ({@link #home}).
 */
abstract class ScriptedServerTest {
    @TempDir
    Path home;

    FakeServer server;
    PgConnection connection;

    @AfterEach
    void closeServerAndConnection() throws Exception {
        FakeServer.closeAfterTest(connection, server);
    }

    /** A connection through the driver to a server running the script. */
    PgConnection connect(Driver driver, FakeServer.Script script) throws Exception {
        server = new FakeServer(script);
        connection = driver.connect(server.dsn(), FakeServer.environment(home));
        return connection;
    }
}
