package dev.pgjvm.embedding;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.Value;
import org.graalvm.python.embedding.GraalPyResources;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * psycopg2 in a context built by {@link Psycopg2Contexts#sandboxed()}: the package works, the
 * host's Java does not leak.
 */
class SandboxedContextTest {
    /** Uses psycopg2 as a script would: one line per check, compared as a whole. */
    private static final String USE_PSYCOPG2 = """
            import psycopg2, psycopg2.errors, psycopg2.extras

            def run(dsn):
                out = []
                conn = psycopg2.connect(dsn)
                cur = conn.cursor()
                cur.execute("CREATE TEMP TABLE sandboxed (id int4 PRIMARY KEY, name text)")
                psycopg2.extras.execute_values(cur, "INSERT INTO sandboxed VALUES %s", [(1, 'a')])
                cur.executemany("INSERT INTO sandboxed VALUES (%s, %s)", [(2, 'b'), (3, 'c')])
                out.append('inserted %d' % cur.rowcount)
                conn.commit()
                cur.execute("SELECT %s::int4 + 1, %s, %s::numeric * 2", (41, 'in a sandbox', '1.25'))
                out.append('query %r' % (cur.fetchone(),))
                try:
                    cur.execute("INSERT INTO sandboxed VALUES (1, 'again')")
                except psycopg2.errors.UniqueViolation as e:
                    out.append('error %s %s' % (type(e).__name__, e.pgcode))
                out.append('status %d' % conn.info.transaction_status)
                conn.rollback()
                cur.execute("SELECT count(*) FROM sandboxed")
                out.append('rows %d' % cur.fetchone()[0])
                with conn.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as dict_cur:
                    dict_cur.execute("SELECT name FROM sandboxed ORDER BY id")
                    out.append('names %s' % [r['name'] for r in dict_cur])
                # java-core's public API stays in reach, through the connection's native object.
                out.append('same pid %s' % (conn.get_native_connection().backendPid() == conn.get_backend_pid()))
                conn.close()
                try:
                    psycopg2.connect(dsn + " dbname=no_such_database_here")
                except psycopg2.OperationalError as e:
                    out.append('connect failed %s' % ('no_such_database_here' in str(e)))
                return out
            """;

    /**
     * Tries each way out of the sandbox: 'reached' when it worked, 'denied' when Python raised.
     * The same script in a context with all access reaches everything (the probes are real).
     */
    private static final String PROBE = """
            import java, psycopg2

            def attempt(probe):
                try:
                    probe()
                    return 'reached'
                except Exception:
                    return 'denied'

            def run(dsn, readable, path):
                conn = psycopg2.connect(dsn)
                native = conn.get_native_connection()
                lobject = conn.lobject()
                lobject.write(b'secret')
                out = [
                    attempt(lambda: java.type('java.lang.Runtime').getRuntime().availableProcessors()),
                    attempt(lambda: java.type('java.io.File')(path).exists()),
                    attempt(lambda: java.type('java.lang.System').getProperty('user.home')),
                    attempt(lambda: java.type('dev.pgjvm.core.session.ProtocolMachine')),
                    attempt(lambda: java.type('dev.pgjvm.core.io.Connector')),
                    attempt(lambda: native.getClass().getName()),
                    attempt(lambda: native.clientCharset().name()),
                    attempt(lambda: open(readable).read()),
                    # lo_export's own call (lobject.export() goes through the package's
                    # except clauses for Java exceptions, where a Python AttributeError trips
                    # an assertion of GraalPy 25.0.3 under -ea).
                    attempt(lambda: native.largeObjects().exportFile(lobject.oid, path)),
                ]
                conn.rollback()
                conn.close()
                return out
            """;

    private static Engine engine;

    @BeforeAll
    static void startEngine() {
        EmbeddingServer.assumeAvailable();
        engine = EmbeddingServer.engine();
    }

    @Test
    void psycopg2WorksWithoutAllAccess() {
        try (Context context = Psycopg2Contexts.sandboxed(engine)) {
            context.eval("python", USE_PSYCOPG2);
            Value out = context.getBindings("python").getMember("run").execute(EmbeddingServer.dsn());
            assertEquals(List.of(
                    "inserted 2",
                    "query (42, 'in a sandbox', Decimal('2.50'))",
                    "error UniqueViolation 23505",
                    "status 3",
                    "rows 3",
                    "names ['a', 'b', 'c']",
                    "same pid True",
                    "connect failed True"), List.of(out.as(String[].class)));
        }
    }

    @Test
    void aScriptCannotReachTheHost(@TempDir Path dir) throws IOException {
        Path readable = Files.writeString(dir.resolve("readable.txt"), "a host file");
        Path target = dir.resolve("exported.bin");
        try (Context context = Psycopg2Contexts.sandboxed(engine)) {
            assertEquals(List.of("denied", "denied", "denied", "denied", "denied", "denied", "denied",
                    "denied", "denied"), probe(context, readable, target));
        }
        assertFalse(Files.exists(target), "lo_export wrote a host file from the sandbox");

        // The same probes with all access reach what they aim at. (Its own engine: the contexts
        // of one engine must share one host access policy.)
        try (Context context = GraalPyResources.contextBuilder().allowAllAccess(true)
                .option("engine.WarnInterpreterOnly", "false").build()) {
            assertEquals(List.of("reached", "reached", "reached", "reached", "reached", "reached", "reached",
                    "reached", "reached"), probe(context, readable, target));
        }
        assertTrue(Files.exists(target), "the control run's lo_export");
    }

    private static List<String> probe(Context context, Path readable, Path target) {
        context.eval("python", PROBE);
        Value out = context.getBindings("python").getMember("run")
                .execute(EmbeddingServer.dsn(), readable.toString(), target.toString());
        return List.of(out.as(String[].class));
    }
}
