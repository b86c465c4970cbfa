package dev.pgjvm.core.integration;

import dev.pgjvm.core.PgConnection;
import dev.pgjvm.core.conninfo.ClientEnvironment;
import dev.pgjvm.core.testing.TestDatabase;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The server the integration tests run against, as {@link TestDatabase} chooses it: described
 * by the environment that bin/test-postgres exports (PGHOST, PGPORT, PGUSER, PGDATABASE and
 * PGJVM_TEST_*), else a container when Docker is there (no PGJVM_TEST_*: the tests that need
 * them skip). Without either every integration test is skipped.
 */
final class TestServer {
    private TestServer() {
    }

    static String env(String name) {
        return TestDatabase.env(name);
    }

    static void assumeAvailable() {
        TestDatabase.assumeAvailable();
    }

    /** Skips unless the named PGJVM_TEST_* variables are all set. */
    static void assumeEnv(String... names) {
        assumeAvailable();
        for (String n : names) {
            assumeTrue(env(n) != null, n + " not set");
        }
    }

    static String host() {
        return env("PGHOST");
    }

    static int port() {
        return Integer.parseInt(env("PGPORT"));
    }

    /**
     * A DSN for the trust user over TCP (with PGPASSWORD's password, for a container), with
     * extra key=value pairs appended.
     */
    static String dsn(String... extra) {
        StringBuilder sb = new StringBuilder("host=").append(host()).append(" port=").append(port());
        if (env("PGUSER") != null) {
            sb.append(" user=").append(env("PGUSER"));
        }
        if (env("PGDATABASE") != null) {
            sb.append(" dbname=").append(env("PGDATABASE"));
        }
        if (env("PGPASSWORD") != null) {
            sb.append(" password=").append(env("PGPASSWORD"));
        }
        for (String e : extra) {
            sb.append(' ').append(e);
        }
        return sb.toString();
    }

    static PgConnection connect(String... extra) {
        return PgConnection.connect(dsn(extra), Map.of());
    }

    /**
     * An environment with none of the caller's PG* variables, ~/.pgpass or default sockets, so
     * password tests see exactly the password they give.
     */
    static ClientEnvironment isolatedEnvironment(Path home, Map<String, String> vars) {
        return new ClientEnvironment(new HashMap<>(vars), "nobody", home, List.of(home.resolve("no-socket-here")));
    }
}
