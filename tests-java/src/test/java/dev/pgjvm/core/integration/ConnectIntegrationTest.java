package dev.pgjvm.core.integration;

import dev.pgjvm.core.PgConnection;
import dev.pgjvm.core.PgConnectionException;
import dev.pgjvm.core.PgResult;
import dev.pgjvm.core.TransactionStatus;
import dev.pgjvm.core.ValueKind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class ConnectIntegrationTest {
    @TempDir
    Path tmp;

    @BeforeEach
    void needServer() {
        TestServer.assumeAvailable();
    }

    @Test
    void trustOverTcp() {
        try (PgConnection c = TestServer.connect()) {
            assertFalse(c.isClosed());
            assertEquals(3, c.protocolVersion());
            assertEquals("UTF8", c.parameterStatus("client_encoding"));
            assertNotNull(c.parameterStatus("server_version"));
            assertTrue(c.serverVersion() >= 90000, "server_version " + c.serverVersion());
            assertEquals("on", c.parameterStatus("integer_datetimes"));
            assertNull(c.parameterStatus("no_such_parameter"));
            PgResult r = c.execute("SELECT pg_backend_pid()");
            r.setValueKinds(ValueKind.INT8);
            assertEquals((long) c.backendPid(), r.rows(0, 1)[0][0]);
            assertEquals(TransactionStatus.IDLE, c.transactionStatus());
        }
    }

    @Test
    void trustOverUnixSocket() {
        TestServer.assumeEnv("PGJVM_TEST_SOCKET_DIR");
        String dsn = "host=" + TestServer.env("PGJVM_TEST_SOCKET_DIR") + " port=" + TestServer.port()
                + (TestServer.env("PGUSER") != null ? " user=" + TestServer.env("PGUSER") : "")
                + (TestServer.env("PGDATABASE") != null ? " dbname=" + TestServer.env("PGDATABASE") : "");
        try (PgConnection c = PgConnection.connect(dsn, Map.of())) {
            PgResult r = c.execute("SELECT inet_client_addr() IS NULL");
            r.setValueKinds(ValueKind.BOOL);
            assertEquals(Boolean.TRUE, r.rows(0, 1)[0][0], "a Unix-socket session has no client address");
            assertEquals(TestServer.env("PGJVM_TEST_SOCKET_DIR"), c.host());
        }
    }

    @Test
    void uriWithOverrides() {
        Map<String, String> overrides = new HashMap<>();
        overrides.put("application_name", "pgjvm-it");
        overrides.put("options", "-c search_path=pgjvm_nowhere");
        overrides.put("sslmode", null);
        String uri = "postgresql://" + TestServer.host() + ":" + TestServer.port() + "/"
                + (TestServer.env("PGDATABASE") != null ? TestServer.env("PGDATABASE") : "");
        try (PgConnection c = PgConnection.connect(uri, overrides)) {
            PgResult r = c.execute("SELECT current_setting('application_name'), current_setting('search_path')");
            assertArrayEquals(new Object[]{"pgjvm-it", "pgjvm_nowhere"}, r.rows(0, 1)[0]);
            assertEquals("pgjvm-it", c.parameterStatus("application_name"));
        }
    }

    @Test
    void dsnParametersLeaveOutThePassword() {
        try (PgConnection c = TestServer.connect("password=not-needed")) {
            Map<String, String> m = c.dsnParameters();
            assertEquals(TestServer.host(), m.get("host"));
            assertEquals(Integer.toString(TestServer.port()), m.get("port"));
            assertFalse(m.containsKey("password"));
            assertEquals(c.user(), m.get("user"));
            assertEquals(c.dbname(), m.get("dbname"));
            assertEquals("not-needed", c.password());
        }
    }

    @Test
    void closedPortUsesLibpqWording() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // free now, and nobody listens once closed
        }
        int closedPort = port;
        PgConnectionException e = assertThrows(PgConnectionException.class,
                () -> PgConnection.connect("host=127.0.0.1 port=" + closedPort + " user=x dbname=y", Map.of()));
        assertEquals("connection to server at \"127.0.0.1\", port " + closedPort + " failed: Connection refused\n"
                + "\tIs the server running on that host and accepting TCP/IP connections?\n", e.getMessage());
        assertNull(e.serverError());
    }

    @Test
    void missingSocketUsesLibpqWording() {
        PgConnectionException e = assertThrows(PgConnectionException.class,
                () -> PgConnection.connect("host=" + tmp + " port=5432 user=x", Map.of()));
        assertEquals("connection to server on socket \"" + tmp + "/.s.PGSQL.5432\" failed: No such file or directory\n"
                + "\tIs the server running locally and accepting connections on that socket?\n", e.getMessage());
    }

    @Test
    void hostListFallsThroughToTheWorkingHost() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        String dsn = TestServer.dsn().replace("host=" + TestServer.host(), "host=127.0.0.1," + TestServer.host())
                .replace("port=" + TestServer.port(), "port=" + closedPort + "," + TestServer.port());
        try (PgConnection c = PgConnection.connect(dsn, Map.of())) {
            assertEquals(TestServer.host(), c.host());
        }
    }

    @Test
    void allHostsFailingReportsEachAttempt() throws IOException {
        int a;
        int b;
        try (ServerSocket s1 = new ServerSocket(0); ServerSocket s2 = new ServerSocket(0)) {
            a = s1.getLocalPort();
            b = s2.getLocalPort();
        }
        int pa = a;
        int pb = b;
        PgConnectionException e = assertThrows(PgConnectionException.class,
                () -> PgConnection.connect("host=127.0.0.1,127.0.0.1 port=" + pa + "," + pb + " user=x", Map.of()));
        assertTrue(e.getMessage().contains("port " + pa + " failed") && e.getMessage().contains("port " + pb + " failed"),
                e.getMessage());
    }

    @Test
    void unknownDatabaseIsAServerError() {
        PgConnectionException e = assertThrows(PgConnectionException.class,
                () -> TestServer.connect("dbname=pgjvm_no_such_database"));
        assertEquals("3D000", e.sqlState());
        assertTrue(e.getMessage().endsWith("failed: FATAL:  database \"pgjvm_no_such_database\" does not exist\n"),
                e.getMessage());
    }

    @Test
    void sslmodeDecidesEncryption() {
        try (PgConnection plain = TestServer.connect("sslmode=disable");
             PgConnection encrypted = TestServer.connect("sslmode=require")) {
            assertFalse(plain.sslInUse());
            assertTrue(encrypted.sslInUse());
            assertEquals("t", encrypted.execute("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").rows(0, 1)[0][0]);
        }
    }

    @Test
    void closeIsIdempotentAndFinal() {
        PgConnection c = TestServer.connect();
        c.close();
        assertTrue(c.isClosed());
        assertFalse(c.isBroken());
        c.close();
        assertEquals(TransactionStatus.UNKNOWN, c.transactionStatus());
        PgConnectionException e = assertThrows(PgConnectionException.class, () -> c.execute("SELECT 1"));
        assertEquals("connection already closed", e.getMessage());
    }
}
