package dev.pgjvm.embedding;

import dev.pgjvm.core.PgConnection;
import dev.pgjvm.core.PgConnectionException;
import dev.pgjvm.core.PgException;
import dev.pgjvm.core.TransactionStatus;
import dev.pgjvm.core.conninfo.ClientEnvironment;
import org.apache.commons.pool2.BasePooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;

import java.time.Duration;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * A thread-safe pool of java-core connections to one database, on Apache Commons Pool 2, for
 * Java code and for the Python contexts it is bound to ({@link Psycopg2Contexts#bindPool}):
 * there a script's unmodified {@code psycopg2.connect(dsn)} borrows from it and
 * {@code close()} gives the connection back.
 *
 * <p>A connection comes back reset: its transaction rolled back and its session state
 * discarded ({@code DISCARD ALL}: settings, temporary tables, prepared statements, LISTENs,
 * advisory locks), its notices dropped. One that cannot be reset, or that broke, is closed
 * instead. At most {@code maxSize} connections exist at a time; {@link #borrow()} waits up to
 * {@code maxWait} for one and then throws a {@link PgConnectionException} saying so. Idle
 * connections are checked with a query every {@code validationInterval} (and, unless turned
 * off, on every borrow), and the broken ones replaced.
 */
public final class PgConnectionPool implements AutoCloseable {
    private final GenericObjectPool<PgConnection> pool;
    private final String dsn;
    private final Duration maxWait;

    private PgConnectionPool(Builder builder) {
        this.dsn = builder.dsn;
        this.maxWait = builder.maxWait;
        GenericObjectPoolConfig<PgConnection> config = new GenericObjectPoolConfig<>();
        config.setMaxTotal(builder.maxSize);
        config.setMaxIdle(builder.maxSize);
        config.setBlockWhenExhausted(true);
        config.setMaxWait(builder.maxWait);
        config.setTestOnBorrow(builder.validateOnBorrow);
        config.setTestWhileIdle(true);
        config.setTimeBetweenEvictionRuns(builder.validationInterval);
        // Negative: every idle connection is checked on each run, not three of them.
        config.setNumTestsPerEvictionRun(-1);
        // No MBean per pool: an application may make many, under names of its own.
        config.setJmxEnabled(false);
        this.pool = new GenericObjectPool<>(new Factory(builder.dsn, builder.overrides, builder.environment), config);
    }

    /** A builder for a pool of connections made with {@code PgConnection.connect(dsn, ...)}. */
    public static Builder builder(String dsn) {
        return new Builder(dsn);
    }

    /** The DSN its connections are made with: a bound context's {@code connect(dsn)} with this one borrows. */
    public String dsn() {
        return dsn;
    }

    /**
     * A connection for the caller alone until {@link #giveBack}: an idle one, a new one while
     * there are fewer than maxSize, else the first given back within maxWait.
     *
     * @throws PgConnectionException when none came within maxWait, or connecting failed
     *                               (libpq's message)
     */
    public PgConnection borrow() {
        long start = System.nanoTime();
        try {
            return pool.borrowObject();
        } catch (PgException e) {
            throw e;
        } catch (NoSuchElementException e) {
            if (Duration.ofNanos(System.nanoTime() - start).compareTo(maxWait) >= 0) {
                throw new PgConnectionException(String.format(
                        "connection pool exhausted: all %d connections are in use and none was given back"
                                + " within %d ms%n", pool.getMaxTotal(), maxWait.toMillis()));
            }
            throw new PgConnectionException("connection pool: " + e.getMessage() + "\n", e);
        } catch (Exception e) {
            throw new PgConnectionException("connection pool: " + e + "\n", e);
        }
    }

    /**
     * Gives a borrowed connection back, reset (see the class comment); a broken or closed one
     * is dropped. Each borrowed connection is given back once.
     *
     * @throws IllegalStateException when it was not borrowed from this pool, or given back already
     */
    public void giveBack(PgConnection connection) {
        if (connection.isClosed()) {
            try {
                pool.invalidateObject(connection);
            } catch (IllegalStateException e) {
                throw e;
            } catch (Exception e) {
                // Destroying a closed connection cannot fail in a way the caller could act on.
            }
            return;
        }
        pool.returnObject(connection);
    }

    /** Connections lent out now. */
    public int borrowed() {
        return pool.getNumActive();
    }

    /** Connections waiting in the pool now. */
    public int idle() {
        return pool.getNumIdle();
    }

    /** Borrows that got a connection, since the pool was built (Java's and bound contexts' alike). */
    public long totalBorrows() {
        return pool.getBorrowedCount();
    }

    /** Connections made since the pool was built, those that replaced broken ones included. */
    public long totalCreated() {
        return pool.getCreatedCount();
    }

    /**
     * Closes the idle connections and every one given back from now on; borrow() fails from
     * now on. Connections still lent out stay open until given back.
     */
    @Override
    public void close() {
        pool.close();
    }

    /** Makes, checks, resets and closes the connections. */
    private static final class Factory extends BasePooledObjectFactory<PgConnection> {
        private final String dsn;
        private final Map<String, String> overrides;
        private final ClientEnvironment environment;

        Factory(String dsn, Map<String, String> overrides, ClientEnvironment environment) {
            this.dsn = dsn;
            this.overrides = overrides;
            this.environment = environment;
        }

        @Override
        public PgConnection create() {
            return PgConnection.connect(dsn, overrides, environment);
        }

        @Override
        public PooledObject<PgConnection> wrap(PgConnection connection) {
            return new DefaultPooledObject<>(connection);
        }

        /** Alive: the server answers a query. */
        @Override
        public boolean validateObject(PooledObject<PgConnection> pooled) {
            PgConnection connection = pooled.getObject();
            if (connection.isClosed()) {
                return false;
            }
            try {
                connection.execute("SELECT 1");
                return connection.transactionStatus() == TransactionStatus.IDLE;
            } catch (RuntimeException e) {
                return false;
            }
        }

        /**
         * On its way back: the transaction rolled back, the session's state discarded. Throwing
         * here makes the pool close the connection instead of keeping it.
         */
        @Override
        public void passivateObject(PooledObject<PgConnection> pooled) {
            PgConnection connection = pooled.getObject();
            TransactionStatus status = connection.transactionStatus();
            if (status == TransactionStatus.ACTIVE || status == TransactionStatus.UNKNOWN) {
                // A query or COPY still under way, or a broken session: nothing to reset.
                throw new IllegalStateException("connection given back " + status);
            }
            if (status != TransactionStatus.IDLE) {
                connection.execute("ROLLBACK");
            }
            connection.execute("DISCARD ALL");
            connection.drainNotices();
            connection.drainNotifications();
        }

        @Override
        public void destroyObject(PooledObject<PgConnection> pooled) {
            pooled.getObject().close();
        }
    }

    /** Settings of a pool; the defaults are HikariCP's where it has one. */
    public static final class Builder {
        private final String dsn;
        private Map<String, String> overrides = Map.of();
        private ClientEnvironment environment = ClientEnvironment.system();
        private int maxSize = 10;
        private Duration maxWait = Duration.ofSeconds(30);
        private Duration validationInterval = Duration.ofSeconds(30);
        private boolean validateOnBorrow = true;

        private Builder(String dsn) {
            this.dsn = dsn;
        }

        /** Options that win over the DSN's, as {@code PgConnection.connect}'s. */
        public Builder overrides(Map<String, String> overrides) {
            this.overrides = Map.copyOf(overrides);
            return this;
        }

        /** The environment libpq's rules read (PG* variables, ~/.pgpass); the process's by default. */
        public Builder environment(ClientEnvironment environment) {
            this.environment = environment;
            return this;
        }

        /** At most this many connections, lent out and idle together (10). */
        public Builder maxSize(int maxSize) {
            if (maxSize < 1) {
                throw new IllegalArgumentException("maxSize must be at least 1, not " + maxSize);
            }
            this.maxSize = maxSize;
            return this;
        }

        /** How long borrow() waits when all are lent out (30 s). */
        public Builder maxWait(Duration maxWait) {
            this.maxWait = maxWait;
            return this;
        }

        /** How often idle connections are checked and broken ones closed (30 s). */
        public Builder validationInterval(Duration validationInterval) {
            this.validationInterval = validationInterval;
            return this;
        }

        /** Whether borrow() checks a connection with a query before lending it (true). */
        public Builder validateOnBorrow(boolean validateOnBorrow) {
            this.validateOnBorrow = validateOnBorrow;
            return this;
        }

        public PgConnectionPool build() {
            return new PgConnectionPool(this);
        }
    }
}
