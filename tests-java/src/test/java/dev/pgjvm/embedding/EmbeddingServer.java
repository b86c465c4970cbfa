package dev.pgjvm.embedding;

import dev.pgjvm.core.PgConnection;
import dev.pgjvm.core.testing.TestDatabase;
import org.graalvm.polyglot.Engine;

import java.util.Map;
import java.util.StringJoiner;

/**
 * The test server ({@link TestDatabase}'s: bin/test-postgres's PG* variables, or a container)
 * for the embedding tests, whose sandboxed scripts see no environment variables and get a DSN
 * spelled out instead.
 */
final class EmbeddingServer {
    private EmbeddingServer() {
    }

    static void assumeAvailable() {
        TestDatabase.assumeAvailable();
    }

    /** The PG* variables as a DSN (those that are set). */
    static String dsn() {
        StringJoiner dsn = new StringJoiner(" ");
        Map.of("host", "PGHOST", "port", "PGPORT", "user", "PGUSER", "dbname", "PGDATABASE",
                        "password", "PGPASSWORD", "sslmode", "PGSSLMODE")
                .forEach((keyword, variable) -> {
                    String value = env(variable);
                    if (value != null) {
                        dsn.add(keyword + "='" + value.replace("\\", "\\\\").replace("'", "\\'") + "'");
                    }
                });
        return dsn.toString();
    }

    static PgConnection connect() {
        return PgConnection.connect(dsn(), Map.of());
    }

    /**
     * One engine for every sandboxed context of these tests, quiet about running without the
     * Graal compiler: each test class then parses the package's modules no more (the engine
     * caches them), as an application's contexts share it. Closed when the JVM ends.
     */
    static synchronized Engine engine() {
        if (engine == null) {
            engine = Engine.newBuilder("python").option("engine.WarnInterpreterOnly", "false").build();
        }
        return engine;
    }

    private static Engine engine;

    /** The first column of the first row, as text (null for SQL NULL or no row). */
    static String scalar(PgConnection connection, String sql) {
        var result = connection.execute(sql);
        if (result.rowCount() == 0) {
            return null;
        }
        Object value = result.rows(0, 1)[0][0];
        return value == null ? null : value.toString();
    }

    private static String env(String name) {
        return TestDatabase.env(name);
    }
}
