package dev.pgjvm.core.integration;

import dev.pgjvm.core.PgConnection;
import dev.pgjvm.core.conninfo.ClientEnvironment;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The server the integration tests run against, described by the environment that
 * bin/test-postgres exports (PGHOST, PGPORT, PGUSER, PGDATABASE and PGJVM_TEST_*). Without
 * PGHOST and PGPORT every integration test is skipped.
 */
final class TestServer {
    private TestServer() {
    }

    static String env(String name) {
        String v = System.getenv(name);
        return v == null || v.isEmpty() ? null : v;
    }

    static void assumeAvailable() {
        assumeTrue(env("PGHOST") != null && env("PGPORT") != null,
                "PGHOST/PGPORT not set: no test server (eval \"$(bin/test-postgres env)\")");
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

    /** A DSN for the trust user over TCP, with extra key=value pairs appended. */
    static String dsn(String... extra) {
        StringBuilder sb = new StringBuilder("host=").append(host()).append(" port=").append(port());
        if (env("PGUSER") != null) {
            sb.append(" user=").append(env("PGUSER"));
        }
        if (env("PGDATABASE") != null) {
            sb.append(" dbname=").append(env("PGDATABASE"));
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
