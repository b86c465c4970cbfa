package dev.pgjvm.core.integration;

import dev.pgjvm.core.PgConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A test class whose every test gets a fresh connection to the test server, {@link #c}, closed after it. */
abstract class ConnectedTest {
    protected PgConnection c;

    @BeforeEach
    void connect() {
        TestServer.assumeAvailable();
        c = TestServer.connect();
    }

    @AfterEach
    void disconnect() {
        if (c != null) {
            c.close();
        }
    }
}
