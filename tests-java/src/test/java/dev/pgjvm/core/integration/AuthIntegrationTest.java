package dev.pgjvm.core.integration;

import dev.pgjvm.core.PgConnection;
import dev.pgjvm.core.PgConnectionException;
import dev.pgjvm.core.TransactionStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Password authentication against the users bin/test-postgres creates: md5, scram-sha-256 and
 * cleartext ("password" method), each over TCP. The environment is isolated so that the
 * caller's PGPASSWORD or ~/.pgpass cannot help or hurt.
 */
class AuthIntegrationTest {
    @TempDir
    Path home;

    private static String userVar(String method) {
        return "PGJVM_TEST_" + method + "_USER";
    }

    private static String passwordVar(String method) {
        return "PGJVM_TEST_" + method + "_PASSWORD";
    }

    private String dsn(String method) {
        String db = TestServer.env("PGDATABASE");
        return "host=" + TestServer.host() + " port=" + TestServer.port() + " user=" + TestServer.env(userVar(method))
                + (db != null ? " dbname=" + db : "");
    }

    private PgConnection connect(String method, Map<String, String> overrides, Map<String, String> vars) {
        return PgConnection.connect(dsn(method), overrides, TestServer.isolatedEnvironment(home, vars));
    }

    @ParameterizedTest
    @ValueSource(strings = {"MD5", "SCRAM", "PASSWORD"})
    void rightPassword(String method) {
        TestServer.assumeEnv(userVar(method), passwordVar(method));
        try (PgConnection c = connect(method, Map.of("password", TestServer.env(passwordVar(method))), Map.of())) {
            assertEquals(TestServer.env(userVar(method)), c.execute("SELECT current_user").rows(0, 1)[0][0]);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"MD5", "SCRAM", "PASSWORD"})
    void wrongPassword(String method) {
        TestServer.assumeEnv(userVar(method), passwordVar(method));
        PgConnectionException e = assertThrows(PgConnectionException.class,
                () -> connect(method, Map.of("password", "definitely-wrong"), Map.of()));
        assertEquals("28P01", e.sqlState());
        String attempt = "connection to server at \"" + TestServer.host() + "\", port " + TestServer.port()
                + " failed: FATAL:  password authentication failed for user \"" + TestServer.env(userVar(method)) + "\"\n";
        // sslmode=prefer against a server with TLS: refused over TLS, libpq tries again in plain
        // text, and reports both attempts.
        assertEquals(attempt + attempt, e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"MD5", "SCRAM", "PASSWORD"})
    void noPassword(String method) {
        TestServer.assumeEnv(userVar(method), passwordVar(method));
        PgConnectionException e = assertThrows(PgConnectionException.class, () -> connect(method, Map.of(), Map.of()));
        assertEquals("connection to server at \"" + TestServer.host() + "\", port " + TestServer.port()
                + " failed: fe_sendauth: no password supplied\n", e.getMessage());
    }

    @Test
    void passwordFromPgpassFile() throws IOException {
        TestServer.assumeEnv(userVar("SCRAM"), passwordVar("SCRAM"));
        Path pgpass = home.resolve("pgpass");
        Files.writeString(pgpass, "# test\n" + TestServer.host() + ":" + TestServer.port() + ":*:"
                + TestServer.env(userVar("SCRAM")) + ":" + TestServer.env(passwordVar("SCRAM")).replace("\\", "\\\\").replace(":", "\\:") + "\n");
        Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-------"));
        try (PgConnection c = connect("SCRAM", Map.of(), Map.of("PGPASSFILE", pgpass.toString()))) {
            assertEquals(TransactionStatus.IDLE, c.transactionStatus());
        }
        Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-r--r--"));
        assertThrows(PgConnectionException.class,
                () -> connect("SCRAM", Map.of(), Map.of("PGPASSFILE", pgpass.toString())),
                "a world-readable password file is ignored");
    }

    @Test
    void passwordFromEnvironment() {
        TestServer.assumeEnv(userVar("MD5"), passwordVar("MD5"));
        try (PgConnection c = connect("MD5", Map.of(), Map.of("PGPASSWORD", TestServer.env(passwordVar("MD5"))))) {
            assertEquals(TransactionStatus.IDLE, c.transactionStatus());
        }
    }
}
