package dev.pgjvm.core;

import dev.pgjvm.core.conninfo.ClientEnvironment;
import dev.pgjvm.core.conninfo.ConnInfo;
import dev.pgjvm.core.conninfo.ConnectionSettings;
import dev.pgjvm.core.conninfo.HostTarget;
import dev.pgjvm.core.io.BlockingDriver;
import dev.pgjvm.core.io.CancelRequestSender;
import dev.pgjvm.core.io.ConnectAttempt;
import dev.pgjvm.core.io.NonBlockingDriver;
import dev.pgjvm.core.io.SocketDescriptors;
import dev.pgjvm.core.io.TlsTransport;
import dev.pgjvm.core.tls.TlsAttributes;
import dev.pgjvm.core.io.Transport;
import dev.pgjvm.core.protocol.MessageWriter;
import dev.pgjvm.core.protocol.NotificationResponse;
import dev.pgjvm.core.protocol.ReadyForQuery;
import dev.pgjvm.core.protocol.Texts;
import dev.pgjvm.core.session.ExtendedQuery;
import dev.pgjvm.core.session.ProtocolMachine;
import dev.pgjvm.core.session.QueryResults;
import dev.pgjvm.core.session.SessionPhase;
import dev.pgjvm.core.session.SimpleQuery;
import dev.pgjvm.core.session.StatementResult;

import java.io.IOException;
import java.lang.ref.Cleaner;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.CharacterCodingException;
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
    private final ConnectAttempt attempt;
    // Set once start-up is done (at once for connect(), after connectPoll() returned OK otherwise).
    private BlockingDriver driver;
    private NonBlockingDriver nonBlocking;
    private ProtocolMachine machine;
    private volatile SocketAddress remote;
    private int backendPid;
    private int secretKey;
    /** The command sent by {@link #sendQuery} whose outcome {@link #getResult} has not taken yet. */
    private SimpleQuery sent;
    private volatile boolean closed;
    private volatile boolean broken;
    private final LargeObjects largeObjects = new LargeObjects(this);
    /** COPY FROM STDIN data is written to the socket in batches of about this size. */
    static final int COPY_FLUSH_BYTES = 64 * 1024;

    private PgConnection(ConnectionSettings settings) {
        this.settings = settings;
        this.attempt = new ConnectAttempt(settings);
        // The action holds the attempt (and through it the socket) only: a reference back to
        // this object would keep it reachable for ever.
        ABANDONED.register(this, attempt::close);
    }

    private void established() {
        driver = attempt.driver();
        nonBlocking = NonBlockingDriver.sharing(driver);
        machine = attempt.machine();
        backendPid = machine.backendPid();
        secretKey = machine.secretKey();
        remote = attempt.transport().remoteAddress(); // last: cancel() reads it first
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
        PgConnection c = new PgConnection(resolve(dsn, overrides, environment));
        c.attempt.runBlocking();
        c.established();
        return c;
    }

    /**
     * Starts connecting without blocking (libpq's PQconnectStart): call {@link #connectPoll()}
     * until it returns OK, waiting on {@link #fileDescriptor()} as it says in between. Only the
     * host name lookup blocks, as libpq's does; connect_timeout is not applied (libpq applies it
     * in its blocking connect only).
     *
     * @throws ConnInfoException for a malformed DSN or an invalid option value
     */
    public static PgConnection connectStart(String dsn, Map<String, String> overrides, ClientEnvironment environment) {
        return new PgConnection(resolve(dsn, overrides, environment));
    }

    /**
     * One step of a connection started by {@link #connectStart}: OK once it is established,
     * else what to wait for before the next call.
     *
     * @throws PgConnectionException when no host could be connected to
     */
    public synchronized PollingStatus connectPoll() {
        if (machine != null) {
            return PollingStatus.OK;
        }
        if (closed) {
            throw new PgConnectionException(ALREADY_CLOSED);
        }
        PollingStatus status;
        try {
            status = attempt.poll();
        } catch (PgConnectionException e) {
            closed = true;
            broken = true;
            throw e;
        }
        if (status == PollingStatus.OK) {
            established();
        }
        return status;
    }

    private static ConnectionSettings resolve(String dsn, Map<String, String> overrides, ClientEnvironment environment) {
        ConnectionSettings settings = ConnectionSettings.resolve(ConnInfo.parse(dsn).withOverrides(overrides), environment);
        checkSupported(settings);
        return settings;
    }

    /** What libpq would try but we cannot do yet: refuse clearly rather than connect otherwise. */
    private static void checkSupported(ConnectionSettings settings) {
        if ("direct".equals(settings.get("sslnegotiation"))) {
            // PostgreSQL 17's TLS without SSLRequest: not yet (libpq refuses it below require too).
            throw new PgConnectionException("not supported yet: sslnegotiation=direct\n");
        }
    }

    // ---------------------------------------------------------------- queries

    /**
     * Runs a simple query (one or more statements) and returns the last statement's result.
     * A statement that starts a COPY BOTH (START_REPLICATION on a replication connection)
     * returns a {@link ResultStatus#COPY_BOTH} result at once, and the connection streams: see
     * {@link dev.pgjvm.core.replication.ReplicationStream}.
     *
     * @throws PgServerException     when a statement failed; the connection stays usable
     * @throws PgConnectionException when the connection is closed or broke during the query
     * @throws IllegalArgumentException when the SQL contains NUL or characters the client encoding lacks
     */
    public synchronized PgResult execute(String sql) {
        ensureIdle();
        return runQuery(MessageWriter.encodeStrictly(sql, machine.charset()));
    }

    /**
     * As {@link #execute(String)}, with the SQL already encoded in the client encoding
     * ({@link #clientCharset()}) and its literals escaped for it: the server gets these very
     * bytes. As libpq's PQexec reads a C string, the text ends at the first NUL byte.
     */
    public synchronized PgResult execute(byte[] sql) {
        ensureIdle();
        return runQuery(upToNul(sql));
    }

    private PgResult runQuery(byte[] sql) {
        SimpleQuery query = machine.submit(new SimpleQuery(sql, false));
        driver.run(() -> query.isDone() || query.startedCopyBoth());
        checkNotFailed();
        if (query.startedCopyBoth()) {
            sent = query; // streaming now: read and end it through the copy methods
            return copyBothResult();
        }
        return resultOf(query);
    }

    /**
     * Runs simple queries one after another without waiting for each one's result before
     * sending the next (as libpq's pipeline mode does for extended queries): the server gets
     * them back to back and the round trips overlap. Each is as for {@link #execute(byte[])};
     * they run in order, and the outcome has the results up to the first the server refused.
     *
     * <p>The caller keeps what the server may do after a refusal in mind: inside a transaction
     * block the statements after it are skipped (25P02), outside one each still runs on its
     * own. All the bytes are written before the first result is read, so the caller bounds the
     * batch (a few tens of KB fit the kernel's socket buffers whatever the results are; a batch
     * much larger than those could block both ends on full buffers).
     *
     * @throws PgConnectionException when the connection is closed or broke
     * @throws PgCopyRefusedException when one of them starts a COPY
     */
    public synchronized PipelineOutcome executePipelined(byte[][] statements) {
        ensureIdle();
        List<SimpleQuery> queries = new ArrayList<>(statements.length);
        for (byte[] sql : statements) {
            queries.add(machine.submit(new SimpleQuery(upToNul(sql), false)));
        }
        if (queries.isEmpty()) {
            return new PipelineOutcome(List.of(), null);
        }
        SimpleQuery last = queries.get(queries.size() - 1);
        driver.run(last::isDone);
        checkNotFailed();
        List<PgResult> results = new ArrayList<>(queries.size());
        for (SimpleQuery query : queries) {
            try {
                results.add(resultOf(query));
            } catch (PgServerException refused) {
                return new PipelineOutcome(results, refused);
            }
        }
        return new PipelineOutcome(results, null);
    }

    /** What PQexec/PQgetResult return once a COPY BOTH has started. */
    private PgResult copyBothResult() {
        return new PgResult(new StatementResult(ResultStatus.COPY_BOTH, null, List.of(), null, machine.charset()));
    }

    /**
     * Runs one statement with its parameters sent apart from the SQL, through the extended
     * protocol (libpq's PQexecParams): nothing is quoted or escaped, and a binary parameter
     * carries any bytes (a bytea's raw bytes).
     *
     * <p>COPY cannot run this way: the server's COPY response is a protocol error that closes
     * the connection (use {@link #copyStart}).
     *
     * @param sql           one statement, with $1, $2... where the parameters go
     * @param paramTypes    the parameters' type OIDs, 0 to let the server infer one; may be
     *                      shorter than {@code values} (the rest are inferred) or null (all are)
     * @param values        one per parameter, null for SQL NULL: text format already in the client
     *                      encoding ({@link #clientCharset()}), or the type's binary format
     * @param binaryParams  per parameter, whether its value is in binary format; null: all text
     * @param binaryResults whether the result's columns come back in binary format; a bytea
     *                      column then decodes (as {@link ValueKind#BYTEA}) without the hex step
     * @return the statement's result
     * @throws PgServerException        when the statement failed (its message has the SQL as
     *                                  context); the connection stays usable
     * @throws PgConnectionException    when the connection is closed or broke
     * @throws IllegalArgumentException when the SQL holds NUL or characters the client encoding
     *                                  lacks, or binaryParams is not one per value (nothing is sent)
     */
    public synchronized PgResult executeParams(String sql, int[] paramTypes, byte[][] values,
                                               boolean[] binaryParams, boolean binaryResults) {
        ensureIdle();
        ExtendedQuery query = machine.submit(new ExtendedQuery(sql, paramTypes == null ? new int[0] : paramTypes,
                values, binaryParams, binaryResults));
        driver.run(query::isDone);
        checkNotFailed();
        return resultOf(query.results());
    }

    /**
     * The server's large objects through this connection (libpq's lo_* functions); the caller
     * must be inside a transaction (see {@link LargeObjects}).
     */
    public LargeObjects largeObjects() {
        return largeObjects;
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

    private static PgResult resultOf(SimpleQuery query) {
        CopyDirection refused = query.refusedCopyDirection();
        if (refused != null) {
            throw new PgCopyRefusedException(refused == CopyDirection.IN);
        }
        return resultOf(query.results());
    }

    /** The last statement's result, or the server's error as PgServerException. */
    private static PgResult resultOf(QueryResults results) {
        if (results.error() != null) {
            throw new PgServerException(results.error().fields(), results.sql());
        }
        if (results.lastResult() == null) {
            throw new PgProtocolException("server finished the query without any result");
        }
        return new PgResult(results.lastResult());
    }

    // ---------------------------------------------------------------- without blocking

    /**
     * Sends a simple query without waiting for it (libpq's PQsendQuery): {@link #poll()} until
     * OK, then {@link #getResult()}. The bytes are as for {@link #execute(byte[])}. A COPY in it
     * is refused as by {@link #execute}.
     *
     * @throws IllegalStateException    when a query sent so is still in flight
     * @throws IllegalArgumentException when the SQL contains NUL
     */
    public synchronized void sendQuery(byte[] sql) {
        ensureIdle();
        sent = machine.submit(new SimpleQuery(upToNul(sql), false));
        // Sent at once, as far as the socket takes it (as PQsendQuery does): the server
        // starts on it without waiting for the first poll(), and a cancel() reaches it.
        nonBlocking.poll(() -> true);
        checkNotFailed();
    }

    /**
     * Advances without blocking: reads what has arrived (notifications and notices too), writes
     * what is pending. OK when the query sent by {@link #sendQuery} is over (or when none is in
     * flight); READING or WRITING when the socket must be ready before the next call.
     *
     * @throws PgConnectionException when the connection broke
     */
    public synchronized PollingStatus poll() {
        ensureOpen();
        PollingStatus status = nonBlocking.poll(() -> sent == null || sent.isDone() || sent.startedCopyBoth());
        checkNotFailed();
        return status;
    }

    /** Whether a query sent by {@link #sendQuery} is still under way (libpq's PQisBusy). */
    public synchronized boolean isBusy() {
        return sent != null && !sent.isDone() && !sent.startedCopyBoth();
    }

    /**
     * The outcome of the query sent by {@link #sendQuery}, once {@link #poll()} said OK, as
     * {@link #execute} would have returned or thrown it; null when there is none to take. A
     * COPY BOTH that started gives its {@link ResultStatus#COPY_BOTH} result, and streams on.
     *
     * @throws IllegalStateException when the query is still under way
     */
    public synchronized PgResult getResult() {
        if (sent == null) {
            return null;
        }
        if (sent.startedCopyBoth()) {
            return copyBothResult();
        }
        if (!sent.isDone()) {
            throw new IllegalStateException("the query is still under way");
        }
        SimpleQuery query = sent;
        sent = null;
        return resultOf(query);
    }

    /**
     * Reads whatever has arrived without blocking (libpq's PQconsumeInput), so that
     * notifications and notices sent while the connection was idle can be drained.
     *
     * @throws PgConnectionException when the connection broke
     */
    public synchronized void consumeInput() {
        ensureOpen();
        nonBlocking.poll(() -> false);
        checkNotFailed();
    }

    // ---------------------------------------------------------------- COPY

    /**
     * Starts a statement whose COPY data goes through this connection: returns
     * {@link CopyDirection#IN} for COPY FROM STDIN (send with {@link #copyWrite} or
     * {@link #copyWriteFile}, end with {@link #copyEnd}), {@link CopyDirection#OUT} for COPY TO
     * STDOUT (read with {@link #copyRead} until null, then {@link #copyEnd}), and
     * {@link CopyDirection#NONE} when the statement finished without COPY data ({@link #copyEnd}
     * gives its result or error), {@link CopyDirection#BOTH} when it started a COPY BOTH
     * (read with {@link #copyReadMessage}, write with {@link #copyWriteMessage}, end with
     * {@link #copyEnd}).
     */
    public synchronized CopyDirection copyStart(String sql) {
        ensureIdle();
        return copyStarted(MessageWriter.encodeStrictly(sql, machine.charset()));
    }

    /** As {@link #copyStart(String)}, with the statement already in the client encoding (see {@link #execute(byte[])}). */
    public synchronized CopyDirection copyStart(byte[] sql) {
        ensureIdle();
        return copyStarted(upToNul(sql));
    }

    private CopyDirection copyStarted(byte[] sql) {
        SimpleQuery copy = machine.submit(new SimpleQuery(sql, true));
        sent = copy;
        driver.run(() -> copy.isDone() || copy.acceptsCopyData() || copy.hasCopyData());
        if (machine.phase() == SessionPhase.FAILED && copy.inCopyOut()) {
            // As libpq's PQexec, which returns PGRES_COPY_OUT on the CopyOutResponse: a fault
            // that came with the data is for copyRead to report, after the rows before it.
            return CopyDirection.OUT;
        }
        checkNotFailed();
        if (copy.startedCopyBoth()) {
            return CopyDirection.BOTH;
        }
        if (copy.acceptsCopyData()) {
            return CopyDirection.IN;
        }
        return copy.isDone() && !copy.hasCopyData() ? CopyDirection.NONE : CopyDirection.OUT;
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
     *
     * @throws UndecodableTextException when a row is not valid in the client encoding: it carries
     *         that row's bytes and the rows before it, decoded; the COPY goes on (read on, or end
     *         it with {@link #copyEnd})
     */
    public synchronized String copyRead(boolean raw) {
        ensureOpen();
        SimpleQuery copy = sent;
        if (copy == null) {
            return null;
        }
        driver.run(() -> copy.isDone() || copy.hasCopyData() || copy.copyOutEnded());
        // The rows that came whole go first, as libpq's PQgetCopyData hands them out before it
        // reports the fault that followed them.
        if (!copy.hasCopyData()) {
            if (!copy.copyOutEnded()) {
                checkNotFailed();
            }
            // After the server's CopyDone a fault is the statement's end's: copyEnd reports it.
            return null;
        }
        if (raw) {
            return new String(copy.takeCopyData(), StandardCharsets.ISO_8859_1);
        }
        List<byte[]> messages = copy.takeCopyMessages();
        Charset charset = machine.charset();
        byte[] all = SimpleQuery.concat(messages);
        try {
            return Texts.decodeStrictly(all, 0, all.length, charset);
        } catch (CharacterCodingException whole) {
            return decodeRowByRow(copy, messages, charset);
        }
    }

    /**
     * As {@link #copyRead}: each CopyData message decoded until one fails (a row, in text COPY);
     * the messages after it are given back to the command for the next read.
     */
    private static String decodeRowByRow(SimpleQuery copy, List<byte[]> messages, Charset charset) {
        StringBuilder before = new StringBuilder();
        for (int i = 0; i < messages.size(); i++) {
            byte[] message = messages.get(i);
            try {
                before.append(Texts.decodeStrictly(message, 0, message.length, charset));
            } catch (CharacterCodingException e) {
                copy.putBackCopyMessages(messages.subList(i + 1, messages.size()));
                throw new UndecodableTextException(message, charset.name()).after(before.toString());
            }
        }
        return before.toString(); // not reached: the whole failed, so one of its parts does
    }

    /**
     * The next CopyData message of a COPY BOTH (or COPY TO STDOUT), whole, as the server sent
     * it; waits for one up to {@code waitMillis} (0: only takes what has arrived, never
     * blocking). Null when none arrived in time, or when the COPY is over ({@link #copyEnded()}
     * says which). Notifications and notices that arrive meanwhile are kept as always.
     *
     * @throws PgConnectionException when the connection broke
     */
    public synchronized byte[] copyReadMessage(long waitMillis) {
        ensureOpen();
        SimpleQuery copy = sent;
        if (copy == null) {
            throw new PgException("no COPY in progress\n");
        }
        long deadline = System.nanoTime() + Math.max(0, waitMillis) * 1_000_000;
        while (true) {
            byte[] message = copy.takeCopyMessage();
            if (message != null || copy.isDone() || copy.serverEndedCopy()) {
                return message;
            }
            nonBlocking.poll(() -> copy.isDone() || copy.hasCopyData() || copy.serverEndedCopy());
            checkNotFailed();
            if (copy.hasCopyData()) {
                continue;
            }
            long remaining = (deadline - System.nanoTime()) / 1_000_000;
            if (remaining <= 0 || copy.isDone() || copy.serverEndedCopy()) {
                return copy.takeCopyMessage();
            }
            try {
                driver.transport().awaitReadable(remaining);
            } catch (IOException e) {
                machine.connectionLost(e);
                checkNotFailed();
            }
        }
    }

    /**
     * Whether the COPY started by {@link #copyStart} (or a COPY BOTH started by {@link #execute})
     * is over on the server's side: all its data has arrived and {@link #copyEnd} is due.
     */
    public synchronized boolean copyEnded() {
        return sent == null || sent.isDone() || sent.serverEndedCopy();
    }

    /**
     * Sends one CopyData message of a COPY BOTH (a replication status update) and flushes it;
     * ignored once the COPY is over.
     *
     * @throws PgConnectionException when the connection broke
     */
    public synchronized void copyWriteMessage(byte[] data) {
        ensureOpen();
        machine.sendCopyData(data, 0, data.length);
        driver.flush();
        checkNotFailed();
    }

    /** Whether a COPY BOTH is streaming on this connection (libpq's PGRES_COPY_BOTH state). */
    public synchronized boolean inCopyBoth() {
        return sent != null && sent.startedCopyBoth();
    }

    /**
     * Ends the COPY (for COPY FROM STDIN: CopyDone, or CopyFail with {@code failure} when not
     * null; for COPY BOTH: CopyDone, and what the server still streams is dropped) and returns
     * the statement's result ("COPY n").
     *
     * @throws PgServerException when the server refused the data (or the CopyFail)
     */
    public synchronized PgResult copyEnd(String failure) {
        ensureOpen();
        SimpleQuery copy = sent;
        if (copy == null) {
            throw new IllegalStateException("no COPY in progress");
        }
        if (failure != null) {
            machine.failCopy(failure);
        } else {
            machine.endCopy();
        }
        driver.run(copy::isDone);
        checkNotFailed();
        sent = null;
        copy.takeCopyData(); // COPY TO STDOUT data not read: dropped with the command
        return resultOf(copy);
    }

    private void ensureOpen() {
        if (closed) {
            throw new PgConnectionException(ALREADY_CLOSED);
        }
        if (machine == null) {
            throw new IllegalStateException("the connection is still being established (connectPoll)");
        }
    }

    /** Open, and no command of ours in flight: a new one may start. */
    private void ensureIdle() {
        ensureOpen();
        if (sent != null && sent.startedCopyBoth()) {
            // libpq's words: a replication stream must be ended (copyEnd) before anything else.
            throw new PgException("PQexec not allowed during COPY BOTH\n");
        }
        if (sent != null) {
            throw new IllegalStateException("another command is already in progress");
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
        if (machine == null || machine.isBusy()) {
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
        HostTarget t = attempt.target();
        return t == null ? null : t.host();
    }

    /** The port connected to, as text: libpq's PQport. */
    public String port() {
        HostTarget t = attempt.target();
        return t == null ? null : Integer.toString(t.port());
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

    /** Whether the connection is encrypted (libpq's PQsslInUse). */
    public boolean sslInUse() {
        return driver != null && driver.transport() instanceof TlsTransport;
    }

    /**
     * libpq's PQsslAttribute: "library", "protocol", "cipher", "key_bits", "compression" or
     * "alpn" of the TLS connection (see {@link TlsAttributes}); null without TLS or for another name.
     */
    public String sslAttribute(String name) {
        return driver != null && driver.transport() instanceof TlsTransport tls
                ? TlsAttributes.of(tls.engine(), name) : null;
    }

    /** The socket, for a caller that waits for it itself (select()); null before a connect attempt has one. */
    public SocketChannel socketChannel() {
        Transport transport = attempt.transport();
        return transport == null ? null : transport.channel();
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
        SocketAddress to = remote;
        if (to == null) {
            throw new IllegalStateException("the connection is still being established (connectPoll)");
        }
        CancelRequestSender.send(to, backendPid, secretKey, settings.connectTimeoutSeconds());
    }

    /** Sends Terminate (best effort) and closes the socket. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        if (driver == null) {
            attempt.close(); // still connecting: nothing to say to the server
        } else if (driver.transport().isOpen()) {
            driver.terminate();
        }
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
