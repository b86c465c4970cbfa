package dev.pgjvm.embedding;

import dev.pgjvm.core.PgConnection;
import dev.pgjvm.core.PgConnectionException;
import dev.pgjvm.core.TransactionStatus;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One {@link PgConnectionPool} for Java code and for sandboxed Python contexts bound to it:
 * an unmodified {@code psycopg2.connect(dsn)} borrows, {@code close()} gives back reset.
 * Each pool's sessions carry an application_name of their own, counted in pg_stat_activity.
 */
class SharedPoolTest {
    private static final String SCRIPT = """
            import psycopg2

            def dirty_session(dsn):
                # Session state and an open transaction, left for close() to clear.
                conn = psycopg2.connect(dsn)
                conn.autocommit = True
                cur = conn.cursor()
                cur.execute("SET work_mem = '1234kB'")
                cur.execute("CREATE TEMP TABLE scratch (v int4)")
                conn.autocommit = False
                cur.execute("INSERT INTO scratch VALUES (1)")
                pid = conn.get_backend_pid()
                conn.close()
                return pid

            held = []

            def hold(dsn):
                conn = psycopg2.connect(dsn)
                conn.cursor().execute("SELECT 1")    # a transaction left open
                held.append(conn)
                return conn.get_backend_pid()

            def try_connect(dsn):
                try:
                    psycopg2.connect(dsn).close()
                    return 'connected'
                except psycopg2.OperationalError as e:
                    return 'OperationalError: ' + str(e).strip()

            def work(dsn, rounds):
                total = 0
                for i in range(rounds):
                    conn = psycopg2.connect(dsn)
                    try:
                        cur = conn.cursor()
                        cur.execute("SELECT %s::int4 * 2", (i,))
                        total += cur.fetchone()[0]
                        conn.commit()
                    finally:
                        conn.close()
                return total
            """;

    private static Engine engine;
    private static final AtomicInteger POOLS = new AtomicInteger();

    @BeforeAll
    static void startEngine() {
        EmbeddingServer.assumeAvailable();
        engine = EmbeddingServer.engine();
    }

    /** A pool whose sessions are named {@code name}, and that name. */
    private static PgConnectionPool pool(String name, int maxSize, Duration maxWait) {
        return PgConnectionPool.builder(EmbeddingServer.dsn() + " application_name=" + name)
                .maxSize(maxSize).maxWait(maxWait).build();
    }

    private static String uniqueName() {
        return "pooltest_" + ProcessHandle.current().pid() + "_" + POOLS.incrementAndGet();
    }

    private static Context boundContext(PgConnectionPool pool) {
        Context context = Psycopg2Contexts.sandboxed(engine);
        context.eval("python", SCRIPT);
        Psycopg2Contexts.bindPool(context, pool);
        return context;
    }

    private static Value call(Context context, String function, Object... args) {
        return context.getBindings("python").getMember(function).execute(args);
    }

    private static String sessions(PgConnection observer, String name) {
        return EmbeddingServer.scalar(observer,
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + name + "'");
    }

    @Test
    void pythonCloseGivesTheConnectionBackResetToJava() {
        String name = uniqueName();
        try (PgConnectionPool pool = pool(name, 2, Duration.ofSeconds(30));
             Context context = boundContext(pool)) {
            int pid = call(context, "dirty_session", pool.dsn()).asInt();
            assertEquals(0, pool.borrowed());
            assertEquals(1, pool.idle());

            PgConnection connection = pool.borrow();
            try {
                assertEquals(pid, connection.backendPid(), "the session Python gave back");
                assertEquals(2, pool.totalBorrows(), "Python's borrow and Java's");
                assertEquals(1, pool.totalCreated());
                assertEquals(TransactionStatus.IDLE, connection.transactionStatus());
                assertEquals(EmbeddingServer.scalar(connection, "SELECT reset_val || unit FROM pg_settings WHERE name = 'work_mem'"),
                        EmbeddingServer.scalar(connection, "SELECT setting || unit FROM pg_settings WHERE name = 'work_mem'"));
                assertEquals("0", EmbeddingServer.scalar(connection,
                        "SELECT count(*) FROM pg_class WHERE relname = 'scratch' AND relpersistence = 't'"));
            } finally {
                pool.giveBack(connection);
            }
        }
    }

    @Test
    void aFullPoolMakesConnectWaitThenFailClearly() {
        String name = uniqueName();
        try (PgConnection observer = EmbeddingServer.connect();
             PgConnectionPool pool = pool(name, 2, Duration.ofMillis(300));
             Context context = boundContext(pool)) {
            PgConnection first = pool.borrow();
            call(context, "hold", pool.dsn());
            assertEquals("2", sessions(observer, name));

            assertEquals("OperationalError: connection pool exhausted: all 2 connections are in use"
                    + " and none was given back within 300 ms", call(context, "try_connect", pool.dsn()).asString());
            PgConnectionException fromJava = assertThrows(PgConnectionException.class, pool::borrow);
            assertTrue(fromJava.getMessage().startsWith("connection pool exhausted"), fromJava.getMessage());
            assertEquals("2", sessions(observer, name), "never more sessions than maxSize");

            pool.giveBack(first);
            assertEquals("connected", call(context, "try_connect", pool.dsn()).asString());
        }
    }

    @Test
    void closingAContextGivesBackWhatItHeldRolledBack() {
        String name = uniqueName();
        try (PgConnectionPool pool = pool(name, 2, Duration.ofSeconds(30))) {
            Context context = boundContext(pool);
            int pid;
            try {
                pid = call(context, "hold", pool.dsn()).asInt();
                assertEquals(1, pool.borrowed());
            } finally {
                context.close();
            }
            assertEquals(0, pool.borrowed());
            PgConnection connection = pool.borrow();
            try {
                assertEquals(pid, connection.backendPid());
                assertEquals(TransactionStatus.IDLE, connection.transactionStatus());
            } finally {
                pool.giveBack(connection);
            }
        }
    }

    @Test
    void brokenIdleConnectionsAreReplaced() throws InterruptedException {
        String name = uniqueName();
        try (PgConnection observer = EmbeddingServer.connect();
             PgConnectionPool pool = pool(name, 2, Duration.ofSeconds(30))) {
            PgConnection connection = pool.borrow();
            int pid = connection.backendPid();
            pool.giveBack(connection);
            terminate(observer, pid);

            connection = pool.borrow();   // checked on borrow: the dead one is dropped
            try {
                assertNotEquals(pid, connection.backendPid());
                assertEquals(2, pool.totalCreated(), "the first and its replacement");
                assertEquals("1", EmbeddingServer.scalar(connection, "SELECT 1"));
            } finally {
                pool.giveBack(connection);
            }
        }
    }

    @Test
    void fourContextsAndJavaThreadsShareOnePoolWithinItsSize() throws Exception {
        int maxSize = 3;
        int rounds = 12;
        String name = uniqueName();
        List<Context> contexts = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(7);
        AtomicBoolean running = new AtomicBoolean(true);
        try (PgConnection observer = EmbeddingServer.connect();
             PgConnectionPool pool = pool(name, maxSize, Duration.ofSeconds(60))) {
            for (int i = 0; i < 4; i++) {
                contexts.add(boundContext(pool));
            }
            // Samples the pool's sessions on the server while the others work.
            Future<Integer> most = threads.submit(() -> {
                int seen = 0;
                while (running.get()) {
                    seen = Math.max(seen, Integer.parseInt(sessions(observer, name)));
                    Thread.sleep(10);
                }
                return seen;
            });
            List<Future<Integer>> work = new ArrayList<>();
            for (Context context : contexts) {
                work.add(threads.submit(() -> call(context, "work", pool.dsn(), rounds).asInt()));
            }
            for (int t = 0; t < 2; t++) {
                work.add(threads.submit(() -> {
                    int total = 0;
                    for (int i = 0; i < rounds; i++) {
                        PgConnection connection = pool.borrow();
                        try {
                            total += Integer.parseInt(EmbeddingServer.scalar(connection, "SELECT " + i + " * 2"));
                        } finally {
                            pool.giveBack(connection);
                        }
                    }
                    return total;
                }));
            }
            int expected = rounds * (rounds - 1);   // sum of 2i for i < rounds
            for (Future<Integer> each : work) {
                assertEquals(expected, each.get(10, TimeUnit.MINUTES));
            }
            running.set(false);
            int peak = most.get(1, TimeUnit.MINUTES);
            assertTrue(peak >= 1 && peak <= maxSize, "sessions seen at once: " + peak);
            assertEquals(0, pool.borrowed(), "nothing left borrowed");
            assertTrue(pool.idle() <= maxSize);
        } finally {
            running.set(false);
            contexts.forEach(Context::close);
            threads.shutdownNow();
        }
    }

    /** Ends the backend and waits, within a bound, until the server has let it go. */
    private static void terminate(PgConnection observer, int pid) throws InterruptedException {
        EmbeddingServer.scalar(observer, "SELECT pg_terminate_backend(" + pid + ")");
        String alive = "SELECT count(*) FROM pg_stat_activity WHERE pid = " + pid;
        for (int i = 0; i < 600 && !"0".equals(EmbeddingServer.scalar(observer, alive)); i++) {
            Thread.sleep(50);
        }
        assertEquals("0", EmbeddingServer.scalar(observer, alive));
    }
}
