package dev.pgjvm.embedding;

import dev.pgjvm.core.PgConnection;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several sandboxed contexts on one engine, as a service running its users' scripts has them:
 * they run at the same time, each keeps its own psycopg2 state, and closing one ends its
 * sessions.
 */
class SharedEngineContextsTest {
    private static final int CONTEXTS = 4;
    private static final int QUERIES = 25;

    /**
     * Each context's script: one connection; register() changes this interpreter's int4
     * typecaster and teaches it to adapt Money; probe(i) shows which of the two it sees.
     */
    private static final String SCRIPT = """
            import psycopg2
            import psycopg2.extensions as ext

            class Money:
                def __init__(self, cents):
                    self.cents = cents

            conn = None

            def connect(dsn):
                global conn
                conn = psycopg2.connect(dsn)
                conn.autocommit = True
                return conn.get_backend_pid()

            def register():
                ext.register_type(ext.new_type((23,), 'TAGGED', lambda v, cur: None if v is None else 'tagged ' + v))
                ext.register_adapter(Money, lambda m: ext.AsIs('%d.%02d' % divmod(m.cents, 100)))

            def probe(i):
                cur = conn.cursor()
                cur.execute("SELECT %s::int4", (i,))
                cast = cur.fetchone()[0]
                try:
                    cur.execute("SELECT %s::numeric", (Money(i * 100 + 1),))
                    adapted = str(cur.fetchone()[0])
                except psycopg2.ProgrammingError as e:
                    adapted = str(e)
                return '%r %s' % (cast, adapted)
            """;

    private static Engine engine;

    @BeforeAll
    static void startEngine() {
        EmbeddingServer.assumeAvailable();
        engine = EmbeddingServer.engine();
    }

    @Test
    void contextsRunTogetherAndKeepTheirRegistrationsApart() throws Exception {
        CountDownLatch registered = new CountDownLatch(1);
        // Every context connected (and the first one registered) before any queries: the
        // queries of all four then run at the same time.
        CyclicBarrier ready = new CyclicBarrier(CONTEXTS);
        ExecutorService threads = Executors.newFixedThreadPool(CONTEXTS);
        try {
            List<Future<List<String>>> runs = new ArrayList<>();
            for (int n = 0; n < CONTEXTS; n++) {
                boolean registers = n == 0;
                runs.add(threads.submit(() -> {
                    try (Context context = Psycopg2Contexts.sandboxed(engine)) {
                        context.eval("python", SCRIPT);
                        Value python = context.getBindings("python");
                        List<String> seen = new ArrayList<>();
                        seen.add("pid " + python.getMember("connect").execute(EmbeddingServer.dsn()).asInt());
                        if (registers) {
                            python.getMember("register").execute();
                            registered.countDown();
                        }
                        registered.await(5, TimeUnit.MINUTES);
                        ready.await(5, TimeUnit.MINUTES);
                        for (int i = 0; i < QUERIES; i++) {
                            seen.add(python.getMember("probe").execute(i).asString());
                        }
                        return seen;
                    }
                }));
            }
            Set<String> pids = new HashSet<>();
            for (int n = 0; n < CONTEXTS; n++) {
                List<String> seen = runs.get(n).get(10, TimeUnit.MINUTES);
                pids.add(seen.get(0));
                for (int i = 0; i < QUERIES; i++) {
                    String expected = n == 0
                            ? "'tagged " + i + "' " + i + ".01"
                            : i + " can't adapt type 'Money'";
                    assertEquals(expected, seen.get(i + 1), "context " + n + ", query " + i);
                }
            }
            assertEquals(CONTEXTS, pids.size(), "one session per context: " + pids);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void closingAContextEndsItsSessionsAndRollsBackTheirTransactions() throws Exception {
        String table = "embedding_close_" + ProcessHandle.current().pid();
        long lockKey = 0x5053_4A56L;   // any number no other test takes
        // Held here, the sessions' Java objects cannot be collected (whose Cleaner would close
        // them too): what closes them is the context's closing.
        List<PgConnection> sessions = new ArrayList<>();
        try (PgConnection observer = EmbeddingServer.connect()) {
            observer.execute("CREATE TABLE " + table + " (v int4)");
            try {
                Context context = Psycopg2Contexts.sandboxed(engine);
                String pids;
                try {
                    context.eval("python", """
                            import psycopg2

                            def open_sessions(dsn, table, key):
                                busy = psycopg2.connect(dsn)
                                cur = busy.cursor()
                                cur.execute("INSERT INTO %s VALUES (1)" % table)
                                cur.execute("SELECT pg_advisory_xact_lock(%s)", (key,))
                                idle = psycopg2.connect(dsn)
                                return ('%d,%d' % (busy.get_backend_pid(), idle.get_backend_pid()),
                                        busy.get_native_connection(), idle.get_native_connection())
                            """);
                    Value opened = context.getBindings("python").getMember("open_sessions")
                            .execute(EmbeddingServer.dsn(), table, lockKey);
                    pids = opened.getArrayElement(0).asString();
                    sessions.add(opened.getArrayElement(1).asHostObject());
                    sessions.add(opened.getArrayElement(2).asHostObject());
                    String busyPid = pids.split(",")[0];
                    assertEquals("idle in transaction", EmbeddingServer.scalar(observer,
                            "SELECT state FROM pg_stat_activity WHERE pid = " + busyPid));
                    assertEquals("1", EmbeddingServer.scalar(observer, "SELECT count(*) FROM pg_locks WHERE"
                            + " locktype = 'advisory' AND granted AND pid = " + busyPid));
                } finally {
                    context.close();
                }
                assertTrue(sessions.stream().allMatch(PgConnection::isClosed), "closed by Context.close()");
                // The backends end once they read the Terminate: wait for them, within a bound.
                String alive = "SELECT count(*) FROM pg_stat_activity WHERE pid IN (" + pids + ")";
                for (int i = 0; i < 600 && !"0".equals(EmbeddingServer.scalar(observer, alive)); i++) {
                    Thread.sleep(50);
                }
                assertEquals("0", EmbeddingServer.scalar(observer, alive), "sessions left after Context.close()");
                assertEquals("0", EmbeddingServer.scalar(observer, "SELECT count(*) FROM " + table),
                        "the open transaction's insert");
                assertEquals("0", EmbeddingServer.scalar(observer, "SELECT count(*) FROM pg_locks WHERE"
                        + " locktype = 'advisory' AND pid IN (" + pids + ")"));
            } finally {
                // Should the test fail with the sessions open, DROP TABLE would wait for them.
                sessions.forEach(PgConnection::close);
                observer.execute("DROP TABLE " + table);
            }
        }
    }

    @Test
    void closingAContextLeavesTheOthersRunning() {
        try (Context survivor = Psycopg2Contexts.sandboxed(engine)) {
            survivor.eval("python", SCRIPT);
            Value python = survivor.getBindings("python");
            python.getMember("connect").execute(EmbeddingServer.dsn());
            try (Context other = Psycopg2Contexts.sandboxed(engine)) {
                other.eval("python", SCRIPT);
                other.getBindings("python").getMember("connect").execute(EmbeddingServer.dsn());
            }
            assertTrue(python.getMember("probe").execute(7).asString().startsWith("7 "),
                    "the surviving context's session");
        }
    }
}
