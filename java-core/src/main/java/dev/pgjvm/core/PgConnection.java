package dev.pgjvm.core;

import dev.pgjvm.core.auth.ClientAuthenticator;
import dev.pgjvm.core.conninfo.ClientEnvironment;
import dev.pgjvm.core.conninfo.ConnInfo;
import dev.pgjvm.core.conninfo.ConnectionSettings;
import dev.pgjvm.core.conninfo.HostTarget;
import dev.pgjvm.core.io.BlockingDriver;
import dev.pgjvm.core.io.CancelRequestSender;
import dev.pgjvm.core.io.ConnectFailures;
import dev.pgjvm.core.io.Connector;
import dev.pgjvm.core.io.SocketDescriptors;
import dev.pgjvm.core.io.Transport;
import dev.pgjvm.core.protocol.NotificationResponse;
import dev.pgjvm.core.session.ProtocolMachine;
import dev.pgjvm.core.protocol.ReadyForQuery;
import dev.pgjvm.core.session.QueryResults;
import dev.pgjvm.core.session.SessionPhase;

import java.io.IOException;
import java.lang.ref.Cleaner;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One connection to a PostgreSQL server (libpq's PGconn), the entry point of java-core (see
 * java-core/README.md). A connection may be shared between threads: the methods that talk to
 * the server or read its session state are synchronized, so one runs at a time. {@link #cancel()},
 * {@link #isClosed()} and {@link #isBroken()} are not, so that another thread can use them while
 * a query runs; nor are the accessors of what was fixed at connect time ({@link #host()},
 * {@link #port()}, {@link #user()}, {@link #dbname()}, {@link #password()}, {@link #options()},
 * {@link #socketChannel()}, {@link #fileDescriptor()}).
 */
public final class PgConnection implements AutoCloseable {
    private static final String ALREADY_CLOSED = "connection already closed";
    /** Closes the sockets of connections dropped without close(): nothing leaks a socket. */
    private static final Cleaner ABANDONED = Cleaner.create();

    private final ConnectionSettings settings;
    private final HostTarget target;
    private final BlockingDriver driver;
    private final ProtocolMachine machine;
    private final SocketAddress remote;
    private final int backendPid;
    private final int secretKey;
    private volatile boolean closed;
    private volatile boolean broken;
    /** COPY FROM STDIN data is written to the socket in batches of about this size. */
    static final int COPY_FLUSH_BYTES = 64 * 1024;

    private PgConnection(ConnectionSettings settings, HostTarget target, BlockingDriver driver) {
        this.settings = settings;
        this.target = target;
        this.driver = driver;
        this.machine = driver.machine();
        this.remote = driver.transport().remoteAddress();
        this.backendPid = machine.backendPid();
        this.secretKey = machine.secretKey();
        // The action holds the transport only: a reference back to this object would keep
        // it reachable for ever.
        Transport transport = driver.transport();
        ABANDONED.register(this, transport::close);
    }

    // ---------------------------------------------------------------- connecting

    /**
     * Parses the DSN (may be empty), applies the non-null overrides, fills in the PG* environment
     * and libpq's defaults, then tries each host in turn until one completes start-up.
     *
     * @throws ConnInfoException     for a malformed DSN or an invalid option value
     * @throws PgConnectionException when no host could be connected to; the message holds one
     *                               paragraph per attempt, as libpq's does
     */
    public static PgConnection connect(String dsn, Map<String, String> overrides) {
        return connect(dsn, overrides, ClientEnvironment.system());
    }

    /** As {@link #connect(String, Map)}, with an explicit environment (tests, embedding). */
    public static PgConnection connect(String dsn, Map<String, String> overrides, ClientEnvironment environment) {
        ConnectionSettings settings = ConnectionSettings.resolve(ConnInfo.parse(dsn).withOverrides(overrides), environment);
        checkSupported(settings);
        StringBuilder errors = new StringBuilder();
        PgException lastFailure = null;
        for (HostTarget target : settings.targets()) {
            long deadline = startupDeadline(settings.connectTimeoutSeconds());
            Transport transport;
            try {
                transport = Connector.open(target, settings.connectTimeoutSeconds());
            } catch (PgConnectionException e) {
                errors.append(e.getMessage());
                lastFailure = e;
                continue;
            }
            ProtocolMachine machine = new ProtocolMachine(settings.startupParameters(),
                    new ClientAuthenticator(settings.user(), settings.passwordFor(target)));
            BlockingDriver driver = new BlockingDriver(transport, machine);
            driver.runUntilComplete(deadline);
            if (machine.phase() == SessionPhase.READY) {
                return new PgConnection(settings, target, driver);
            }
            transport.close();
            PgException failure = machine.failure();
            errors.append(ConnectFailures.prefix(target, numericAddress(transport.remoteAddress())))
                    .append(failure == null ? "connection failed\n" : failure.getMessage());
            lastFailure = failure;
        }
        Throwable cause = lastFailure instanceof PgConnectionException c && c.serverError() != null
                ? c.serverError() : lastFailure;
        throw new PgConnectionException(errors.toString(), cause);
    }

    /**
     * When one host's attempt must be over (System.nanoTime), or 0 without a timeout. As libpq
     * does, a timeout under two seconds counts as two: rounding must not fail a connection
     * almost at once.
     */
    private static long startupDeadline(int timeoutSeconds) {
        if (timeoutSeconds <= 0) {
            return 0;
        }
        long deadline = System.nanoTime() + Math.max(2, timeoutSeconds) * 1_000_000_000L;
        return deadline == 0 ? 1 : deadline;
    }

    /** What libpq would try but we cannot do yet: refuse clearly rather than connect insecurely. */
    private static void checkSupported(ConnectionSettings settings) {
        String sslmode = settings.get("sslmode");
        if (sslmode != null && (sslmode.equals("require") || sslmode.startsWith("verify-"))) {
            throw new PgConnectionException("SSL is not supported yet (sslmode=" + sslmode + ")\n");
        }
        if ("require".equals(settings.get("channel_binding"))) {
            throw new PgConnectionException("channel binding required, but SSL not in use\n");
        }
        if ("require".equals(settings.get("gssencmode"))) {
            throw new PgConnectionException("gssencmode value \"require\" invalid when GSSAPI support is not compiled in\n");
        }
    }

    private static String numericAddress(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return null;
    }

    // ---------------------------------------------------------------- queries

    /**
     * Runs a simple query (one or more statements) and returns the last statement's result.
     *
     * @throws PgServerException     when a statement failed; the connection stays usable
     * @throws PgConnectionException when the connection is closed or broke during the query
     * @throws IllegalArgumentException when the SQL contains NUL or characters the client encoding lacks
     */
    public synchronized PgResult execute(String sql) {
        ensureOpen();
        machine.startQuery(sql);
        return runQuery();
    }

    /**
     * As {@link #execute(String)}, with the SQL already encoded in the client encoding
     * ({@link #clientCharset()}) and its literals escaped for it: the server gets these very
     * bytes. As libpq's PQexec reads a C string, the text ends at the first NUL byte.
     */
    public synchronized PgResult execute(byte[] sql) {
        ensureOpen();
        machine.startQuery(upToNul(sql));
        return runQuery();
    }

    private PgResult runQuery() {
        driver.runUntilComplete();
        checkNotFailed();
        return finishedResult();
    }

    static byte[] upToNul(byte[] text) {
        for (int i = 0; i < text.length; i++) {
            if (text[i] == 0) {
                return Arrays.copyOf(text, i);
            }
        }
        return text;
    }

    /** The Java charset of the server's current client_encoding (UTF-8 for SQL_ASCII). */
    public synchronized Charset clientCharset() {
        return machine.charset();
    }

    private void checkNotFailed() {
        if (machine.phase() == SessionPhase.FAILED) {
            markBroken();
            PgException failure = machine.failure();
            if (failure instanceof PgConnectionException || failure instanceof PgProtocolException) {
                throw failure;
            }
            throw new PgConnectionException(failure.getMessage(), failure);
        }
    }

    private PgResult finishedResult() {
        QueryResults results = machine.takeQueryResults();
        CopyDirection refused = machine.refusedCopyDirection();
        if (refused != null) {
            throw new PgCopyRefusedException(refused == CopyDirection.IN);
        }
        if (results.error() != null) {
            throw new PgServerException(results.error().fields(), results.sql());
        }
        if (results.lastResult() == null) {
            throw new PgProtocolException("server finished the query without any result");
        }
        return new PgResult(results.lastResult());
    }

    // ---------------------------------------------------------------- COPY

    /**
     * Starts a statement whose COPY data goes through this connection: returns
     * {@link CopyDirection#IN} for COPY FROM STDIN (send with {@link #copyWrite} or
     * {@link #copyWriteFile}, end with {@link #copyEnd}), {@link CopyDirection#OUT} for COPY TO
     * STDOUT (read with {@link #copyRead} until null, then {@link #copyEnd}), and
     * {@link CopyDirection#NONE} when the statement finished without COPY data ({@link #copyEnd}
     * gives its result or error).
     */
    public synchronized CopyDirection copyStart(String sql) {
        ensureOpen();
        machine.startCopy(sql);
        return copyStarted();
    }

    /** As {@link #copyStart(String)}, with the statement already in the client encoding (see {@link #execute(byte[])}). */
    public synchronized CopyDirection copyStart(byte[] sql) {
        ensureOpen();
        machine.startCopy(upToNul(sql));
        return copyStarted();
    }

    private CopyDirection copyStarted() {
        driver.runUntilCopyData();
        checkNotFailed();
        if (machine.phase() == SessionPhase.COPY_IN) {
            return CopyDirection.IN;
        }
        return machine.isOperationComplete() && !machine.hasCopyData() ? CopyDirection.NONE : CopyDirection.OUT;
    }

    /**
     * Sends COPY FROM STDIN data: text in the client encoding, or (raw) bytes carried one per
     * char as ISO-8859-1. Written to the socket in batches of {@link #COPY_FLUSH_BYTES}.
     *
     * @throws IllegalArgumentException when the text has characters the client encoding lacks
     */
    public synchronized void copyWrite(String data, boolean raw) {
        ensureOpen();
        machine.sendCopyData(data, raw ? StandardCharsets.ISO_8859_1 : machine.charset());
        if (machine.pendingOutputBytes() >= COPY_FLUSH_BYTES) {
            driver.flush();
            checkNotFailed();
        }
    }

    /**
     * Sends the rest of a file, from {@code offset}, as COPY FROM STDIN data, byte for byte
     * (the caller checked that its bytes are what the server expects); returns how many bytes
     * it sent. A file that cannot be read fails the COPY (CopyFail) and the server's error is
     * thrown, as a reader's error would be.
     */
    public synchronized long copyWriteFile(String path, long offset) {
        ensureOpen();
        long sent = 0;
        try (FileChannel file = FileChannel.open(Path.of(path), StandardOpenOption.READ)) {
            file.position(offset);
            ByteBuffer chunk = ByteBuffer.allocate(COPY_FLUSH_BYTES);
            while (file.read(chunk.clear()) > 0) {
                machine.sendCopyData(chunk.array(), 0, chunk.position());
                sent += chunk.position();
                driver.flush();
                checkNotFailed();
            }
        } catch (IOException e) {
            copyEnd("could not read " + path + ": " + e.getMessage());
        }
        return sent;
    }

    /**
     * The next COPY TO STDOUT data, as much as has arrived (whole rows in text mode), decoded
     * from the client encoding or (raw) one char per byte; null at the end of the data.
     */
    public synchronized String copyRead(boolean raw) {
        ensureOpen();
        driver.runUntilCopyData();
        checkNotFailed();
        if (!machine.hasCopyData()) {
            return null;
        }
        return new String(machine.takeCopyData(), raw ? StandardCharsets.ISO_8859_1 : machine.charset());
    }

    /**
     * Ends the COPY (for COPY FROM STDIN: CopyDone, or CopyFail with {@code failure} when not
     * null) and returns the statement's result ("COPY n").
     *
     * @throws PgServerException when the server refused the data (or the CopyFail)
     */
    public synchronized PgResult copyEnd(String failure) {
        ensureOpen();
        if (failure != null) {
            machine.failCopy(failure);
        } else {
            machine.endCopy();
        }
        driver.runUntilComplete();
        checkNotFailed();
        return finishedResult();
    }

    private void ensureOpen() {
        if (closed) {
            throw new PgConnectionException(ALREADY_CLOSED);
        }
    }

    private void markBroken() {
        broken = true;
        closed = true;
        driver.transport().close();
    }

    // ---------------------------------------------------------------- state

    /**
     * libpq's PQtransactionStatus: ACTIVE while a query runs, UNKNOWN once closed, else what the
     * server's last ReadyForQuery said.
     */
    public synchronized TransactionStatus transactionStatus() {
        if (closed) {
            return TransactionStatus.UNKNOWN;
        }
        if (machine.phase() == SessionPhase.BUSY) {
            return TransactionStatus.ACTIVE;
        }
        return switch (machine.transactionStatus()) {
            case ReadyForQuery.IDLE -> TransactionStatus.IDLE;
            case ReadyForQuery.IN_TRANSACTION -> TransactionStatus.INTRANS;
            case ReadyForQuery.FAILED_TRANSACTION -> TransactionStatus.INERROR;
            default -> TransactionStatus.UNKNOWN;
        };
    }

    /** A ParameterStatus value the server reported (server_version, client_encoding, ...), or null. */
    public synchronized String parameterStatus(String name) {
        return machine.parameterStatus(name);
    }

    /** libpq's PQserverVersion: 150004 for "15.4", 90624 for "9.6.24"; 0 when unknown. */
    public synchronized int serverVersion() {
        return parseServerVersion(machine.parameterStatus("server_version"));
    }

    static int parseServerVersion(String version) {
        if (version == null) {
            return 0;
        }
        int[] parts = new int[3];
        int count = 0;
        int i = 0;
        while (count < 3) {
            int start = i;
            int v = 0;
            while (i < version.length() && Character.isDigit(version.charAt(i))) {
                v = v * 10 + (version.charAt(i++) - '0');
            }
            if (i == start) {
                break;
            }
            parts[count++] = v;
            if (i >= version.length() || version.charAt(i) != '.') {
                break;
            }
            i++;
        }
        return switch (count) {
            case 3 -> parts[0] >= 10 ? parts[0] * 10000 + parts[1] : parts[0] * 10000 + parts[1] * 100 + parts[2];
            case 2 -> parts[0] >= 10 ? parts[0] * 10000 + parts[1] : parts[0] * 10000 + parts[1] * 100;
            case 1 -> parts[0] * 10000;
            default -> 0;
        };
    }

    public synchronized int backendPid() {
        return backendPid;
    }

    /** 3 while the connection is good, 0 once it is broken (as PQprotocolVersion). */
    public synchronized int protocolVersion() {
        return broken ? 0 : 3;
    }

    /** The notices received since the last call, in order, libpq-formatted ("NOTICE:  hello\n"). */
    public synchronized List<String> drainNotices() {
        return machine.drainNotices();
    }

    /** The notifications received since the last call, in order. */
    public synchronized List<Notification> drainNotifications() {
        List<Notification> out = new ArrayList<>();
        for (NotificationResponse n : machine.drainNotifications()) {
            out.add(new Notification(n.processId(), n.channel(), n.payload()));
        }
        return out;
    }

    /**
     * The effective connection options, keyword to value, in libpq's keyword order (PQconninfo),
     * the password left out.
     */
    public synchronized Map<String, String> dsnParameters() {
        return settings.dsnParameters();
    }

    /** The host connected to, as given (or the socket directory): libpq's PQhost. */
    public String host() {
        return target.host();
    }

    /** The port connected to, as text: libpq's PQport. */
    public String port() {
        return Integer.toString(target.port());
    }

    public String user() {
        return settings.user();
    }

    public String dbname() {
        return settings.dbname();
    }

    /** The password given in the DSN or PGPASSWORD (not one read from .pgpass), or null. */
    public String password() {
        return settings.get("password");
    }

    public String options() {
        return settings.get("options");
    }

    /** The socket, for a caller that waits for it to be readable itself (select()). */
    public SocketChannel socketChannel() {
        return driver.transport().channel();
    }

    /** The socket's OS file descriptor (libpq's PQsocket), or -1 when it is unknown. */
    public int fileDescriptor() {
        return SocketDescriptors.fdOf(socketChannel());
    }

    // ---------------------------------------------------------------- cancel and close

    /**
     * Asks the server to cancel the query running on this connection, over a new socket. Safe
     * to call from any thread while another one waits in {@link #execute}.
     */
    public void cancel() {
        if (closed) {
            throw new PgConnectionException(ALREADY_CLOSED);
        }
        CancelRequestSender.send(remote, backendPid, secretKey, settings.connectTimeoutSeconds());
    }

    /** Sends Terminate (best effort) and closes the socket. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed && !driver.transport().isOpen()) {
            return;
        }
        closed = true;
        driver.terminate();
    }

    /** True once closed, or once the connection broke. */
    public boolean isClosed() {
        return closed;
    }

    /** True when the connection was lost rather than closed by the caller. */
    public boolean isBroken() {
        return broken;
    }
}
