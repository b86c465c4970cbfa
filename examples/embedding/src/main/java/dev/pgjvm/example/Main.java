package dev.pgjvm.example;

import dev.pgjvm.core.PgConnection;
import dev.pgjvm.core.ValueKind;
import dev.pgjvm.embedding.PgConnectionPool;
import dev.pgjvm.embedding.Psycopg2Contexts;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A Java application that queries PostgreSQL through java-core and hands work to two psycopg2
 * scripts (src/main/resources/scripts), each run in its own sandboxed context on one engine.
 * Java and both scripts share one {@link PgConnectionPool}: Java borrows from it, and the
 * scripts' unmodified {@code psycopg2.connect(dsn)} borrow from it too.
 *
 * <p>Argument: a DSN (default: the PG* environment variables, as libpq reads them).
 */
public final class Main {
    /** Borrows made by the Java side, to tell them from the scripts' in the pool's count. */
    private static int javaBorrows;
    /** The backend pids of the sessions the Java side was lent. */
    private static final Set<Integer> JAVA_PIDS = new TreeSet<>();

    public static void main(String[] args) throws IOException {
        String dsn = args.length > 0 ? args[0] : "";
        String table = "embedding_example_" + ProcessHandle.current().pid();
        // One pool for the application. Its connections are made in Java, which reads the PG*
        // variables; the sandboxed scripts see none, but need none: their connect(dsn) with
        // the pool's DSN borrows from it.
        try (PgConnectionPool pool = PgConnectionPool.builder(dsn)
                .maxSize(4)
                .maxWait(Duration.ofSeconds(30))
                .build()) {
            // 1. From Java, through java-core: borrow, query, give back.
            withConnection(pool, java -> {
                Object[] row = firstRow(java, "SELECT current_database(), current_setting('server_version_num')::int8");
                System.out.println("java: database " + row[0] + ", server version " + row[1]);
                java.execute("CREATE TABLE " + table + " (city text, minutes int4)");
                return null;
            });
            try {
                // 2. From Python. One engine for both contexts: what one compiles, the other reuses.
                try (Engine engine = Engine.newBuilder("python")
                        .option("engine.WarnInterpreterOnly", "false")
                        .build()) {
                    System.out.println("engine: " + engine.getImplementationName());
                    int loaded = runScript(engine, pool, "scripts/load_visits.py", table, Value::asInt);
                    System.out.println("python load_visits.py: inserted " + loaded + " rows");
                    String[] summary = runScript(engine, pool, "scripts/summarize_visits.py", table,
                            lines -> lines.as(String[].class));
                    for (String line : summary) {
                        System.out.println("python summarize_visits.py: " + line);
                    }
                }
                // 3. Back in Java: what the scripts committed.
                Object[] total = withConnection(pool, java ->
                        firstRow(java, "SELECT count(*)::int8, sum(minutes)::int8 FROM " + table));
                System.out.println("java: " + total[0] + " rows, " + total[1] + " minutes in all");
            } finally {
                withConnection(pool, java -> java.execute("DROP TABLE " + table));
            }
            // What the pool lent: all the scripts' borrows are the total less Java's own.
            long borrows = pool.totalBorrows();
            System.out.println("pool: " + pool.totalCreated() + " session(s) made, lent " + borrows
                    + " times (" + javaBorrows + " to java, " + (borrows - javaBorrows)
                    + " to the python scripts), " + pool.borrowed() + " lent out now; java's backend pid(s): "
                    + JAVA_PIDS);
        }
    }

    /** Borrows a connection from the pool for {@code work}, and gives it back (reset) after. */
    private static <T> T withConnection(PgConnectionPool pool, Function<PgConnection, T> work) {
        PgConnection connection = pool.borrow();
        javaBorrows++;
        try {
            JAVA_PIDS.add(connection.backendPid());
            return work.apply(connection);
        } finally {
            pool.giveBack(connection);
        }
    }

    /**
     * Runs the script's main(dsn, table) in a new sandboxed context bound to the pool; its
     * result, taken out by {@code copy} (a Value lives only as long as its context).
     */
    private static <T> T runScript(Engine engine, PgConnectionPool pool, String resource, String table,
                                   Function<Value, T> copy) throws IOException {
        try (Context context = Psycopg2Contexts.sandboxed(engine);
             Reader code = new InputStreamReader(Main.class.getResourceAsStream("/" + resource),
                     StandardCharsets.UTF_8)) {
            Psycopg2Contexts.bindPool(context, pool);
            context.eval(Source.newBuilder("python", code, resource).build());
            return copy.apply(context.getBindings("python").getMember("main").execute(pool.dsn(), table));
        }
    }

    private static Object[] firstRow(PgConnection connection, String sql) {
        var result = connection.execute(sql);
        ValueKind[] kinds = new ValueKind[result.columns().size()];
        for (int i = 0; i < kinds.length; i++) {
            kinds[i] = result.columns().get(i).typeOid() == 20 ? ValueKind.INT8 : ValueKind.TEXT;
        }
        result.setValueKinds(kinds);
        return result.rows(0, 1)[0];
    }
}
