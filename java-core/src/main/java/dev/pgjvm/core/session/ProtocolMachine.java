package dev.pgjvm.core.session;

import dev.pgjvm.core.CopyDirection;
import dev.pgjvm.core.PgConnectionException;
import dev.pgjvm.core.PgException;
import dev.pgjvm.core.PgProtocolException;
import dev.pgjvm.core.PgServerException;
import dev.pgjvm.core.ResultStatus;
import dev.pgjvm.core.auth.ClientAuthenticator;
import dev.pgjvm.core.auth.PasswordSource;
import dev.pgjvm.core.protocol.AuthenticationCleartextPassword;
import dev.pgjvm.core.protocol.AuthenticationGSS;
import dev.pgjvm.core.protocol.AuthenticationGSSContinue;
import dev.pgjvm.core.protocol.AuthenticationKerberosV5;
import dev.pgjvm.core.protocol.AuthenticationMD5Password;
import dev.pgjvm.core.protocol.AuthenticationOk;
import dev.pgjvm.core.protocol.AuthenticationSASL;
import dev.pgjvm.core.protocol.AuthenticationSASLContinue;
import dev.pgjvm.core.protocol.AuthenticationSASLFinal;
import dev.pgjvm.core.protocol.AuthenticationSSPI;
import dev.pgjvm.core.protocol.BackendKeyData;
import dev.pgjvm.core.protocol.BackendMessage;
import dev.pgjvm.core.protocol.BackendMessageParser;
import dev.pgjvm.core.protocol.CommandComplete;
import dev.pgjvm.core.protocol.CopyBothResponse;
import dev.pgjvm.core.protocol.CopyData;
import dev.pgjvm.core.protocol.CopyDone;
import dev.pgjvm.core.protocol.CopyFail;
import dev.pgjvm.core.protocol.CopyInResponse;
import dev.pgjvm.core.protocol.CopyOutResponse;
import dev.pgjvm.core.protocol.DataRow;
import dev.pgjvm.core.protocol.EmptyQueryResponse;
import dev.pgjvm.core.protocol.ErrorResponse;
import dev.pgjvm.core.protocol.FrontendEncoder;
import dev.pgjvm.core.protocol.FrontendMessage;
import dev.pgjvm.core.protocol.MessageFramer;
import dev.pgjvm.core.protocol.MessageWriter;
import dev.pgjvm.core.protocol.NegotiateProtocolVersion;
import dev.pgjvm.core.protocol.NoticeResponse;
import dev.pgjvm.core.protocol.NotificationResponse;
import dev.pgjvm.core.protocol.ParameterStatus;
import dev.pgjvm.core.protocol.Query;
import dev.pgjvm.core.protocol.RawMessage;
import dev.pgjvm.core.protocol.ReadyForQuery;
import dev.pgjvm.core.protocol.RowDescription;
import dev.pgjvm.core.protocol.StartupMessage;
import dev.pgjvm.core.protocol.Terminate;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The client side of the PostgreSQL v3 protocol as a sans-I/O state machine: it is fed the
 * bytes the server sent, in pieces of any size, and hands back the bytes to send. It never
 * touches a socket and never blocks, so any driver can step it; the one there is today is
 * {@link dev.pgjvm.core.io.BlockingDriver}.
 *
 * <p>It runs start-up and authentication by itself, collects ParameterStatus and
 * BackendKeyData, gathers the results of the current simple query, and queues notices and
 * notifications whenever they arrive. Server-reported problems never throw from
 * {@link #receive}: start-up failures move it to {@link SessionPhase#FAILED} with
 * {@link #failure()} set, and query errors are part of the {@link QueryResults}.
 *
 * <p>Not thread-safe: the owner serializes access.
 */
public final class ProtocolMachine {
    static final String CONNECTION_LOST = "server closed the connection unexpectedly\n"
            + "\tThis probably means the server terminated abnormally\n"
            + "\tbefore or while processing the request.\n";

    private final MessageFramer framer;
    /** Until the first byte of the server's first reply has been checked (checkFirstReply). */
    private boolean awaitingFirstReply = true;
    private final MessageWriter output = new MessageWriter();
    private final ClientAuthenticator authenticator;

    private SessionPhase phase = SessionPhase.STARTUP;
    private boolean authenticated;
    private PgException failure;

    private Charset charset = StandardCharsets.UTF_8;
    private final Map<String, String> parameters = new LinkedHashMap<>();
    private int backendPid;
    private int secretKey;
    private boolean haveKeyData;
    private char transactionStatus = ReadyForQuery.IDLE;

    private final ArrayDeque<String> notices = new ArrayDeque<>();
    private final ArrayDeque<NotificationResponse> notifications = new ArrayDeque<>();

    // The simple query in progress: its bytes as sent, decoded only for an error's context.
    private byte[] currentQuery;
    private Charset currentQueryCharset;
    private String currentQueryText;
    private List<StatementResult> results = new ArrayList<>();
    private RowDescription currentDescription;
    private List<DataRow> currentRows;
    private boolean inCopyOut;
    private boolean inCopyIn;
    // startCopy() hands COPY data to the caller; startQuery() refuses COPY FROM STDIN and drops
    // COPY TO STDOUT data, noting which it met in refusedCopyDirection (null: none).
    private boolean copyAllowed;
    private CopyDirection refusedCopyDirection;
    private final ArrayDeque<byte[]> copyOutData = new ArrayDeque<>();
    private ErrorResponse queryError;
    private QueryResults finishedResults;

    /** A machine whose authenticator answers with the start-up "user" and the given passwords. */
    public ProtocolMachine(Map<String, String> startupParameters, PasswordSource passwords) {
        this(startupParameters, new ClientAuthenticator(startupParameters.get("user"), passwords));
    }

    public ProtocolMachine(Map<String, String> startupParameters, ClientAuthenticator authenticator) {
        this(startupParameters, authenticator, MessageFramer.DEFAULT_MAX_MESSAGE_LENGTH);
    }

    /** Queues the StartupMessage at once: the first {@link #takeOutput()} returns it. */
    public ProtocolMachine(Map<String, String> startupParameters, ClientAuthenticator authenticator,
                           int maxMessageLength) {
        this.authenticator = authenticator;
        this.framer = new MessageFramer(maxMessageLength);
        send(new StartupMessage(startupParameters));
    }

    // ---------------------------------------------------------------- bytes in and out

    /**
     * The server's first reply to the start-up packet must be an authentication request, an
     * error or a protocol version negotiation: anything else (an HTTP server, a TLS-only
     * port) is refused on its first byte, in libpq's words, before any length is believed.
     */
    private void checkFirstReply(char type) {
        awaitingFirstReply = false;
        if (type != 'R' && type != 'E' && type != 'v') {
            throw new PgProtocolException("expected authentication request from server, but received " + type + "\n");
        }
    }

    /** Feeds bytes received from the server; they may end anywhere, even inside a message. */
    public void receive(byte[] bytes, int offset, int length) {
        receive(ByteBuffer.wrap(bytes, offset, length));
    }

    /** Feeds all remaining bytes of the buffer. */
    public void receive(ByteBuffer bytes) {
        if (phase == SessionPhase.FAILED || phase == SessionPhase.CLOSED) {
            bytes.position(bytes.limit()); // nothing can be done with them any more
            return;
        }
        try {
            if (awaitingFirstReply && bytes.hasRemaining()) {
                checkFirstReply((char) (bytes.get(bytes.position()) & 0xff));
            }
            framer.feed(bytes);
            RawMessage raw;
            while (phase != SessionPhase.FAILED && (raw = framer.next()) != null) {
                handle(BackendMessageParser.parse(raw, charset));
            }
        } catch (PgProtocolException e) {
            fail(e);
        }
    }

    public boolean hasOutput() {
        return !output.isEmpty();
    }

    /** All bytes waiting to be sent, removing them from the machine. */
    public byte[] takeOutput() {
        return output.take();
    }

    /** Moves as many waiting bytes as fit into dst (for non-blocking writes); returns how many. */
    public int drainOutput(ByteBuffer dst) {
        return output.drainTo(dst);
    }

    private void send(FrontendMessage message) {
        FrontendEncoder.encode(message, charset, output);
    }

    // ---------------------------------------------------------------- commands

    /**
     * Starts a simple query (possibly several statements), encoded in the client encoding. Only
     * allowed when READY.
     *
     * @throws IllegalStateException    when not READY
     * @throws IllegalArgumentException when the SQL contains NUL or characters the client encoding lacks
     */
    public void startQuery(String sql) {
        startQuery(MessageWriter.encodeStrictly(sql, charset));
    }

    /**
     * Starts a simple query whose text the caller has already encoded in the client encoding
     * (see {@link #charset()}), for a caller that escapes literals byte for byte.
     *
     * @throws IllegalStateException    when not READY
     * @throws IllegalArgumentException when the SQL contains a NUL byte
     */
    public void startQuery(byte[] sql) {
        if (phase != SessionPhase.READY) {
            throw new IllegalStateException("cannot start a query in phase " + phase);
        }
        send(new Query(sql)); // may throw before any state changes
        currentQuery = sql;
        currentQueryCharset = charset;
        currentQueryText = null;
        results = new ArrayList<>();
        currentDescription = null;
        currentRows = null;
        inCopyOut = false;
        inCopyIn = false;
        copyAllowed = false;
        refusedCopyDirection = null;
        copyOutData.clear();
        queryError = null;
        finishedResults = null;
        phase = SessionPhase.BUSY;
    }

    /** The query in progress as text, for the LINE/caret context of its errors (null: none). */
    private String queryText() {
        if (currentQueryText == null && currentQuery != null) {
            currentQueryText = new String(currentQuery, currentQueryCharset);
        }
        return currentQueryText;
    }

    /**
     * Starts a simple query whose COPY data goes through the caller: for COPY FROM STDIN the
     * machine stops in {@link SessionPhase#COPY_IN} for {@link #sendCopyData} and
     * {@link #endCopy}/{@link #failCopy}; COPY TO STDOUT data queues for {@link #takeCopyData}.
     */
    public void startCopy(String sql) {
        startCopy(MessageWriter.encodeStrictly(sql, charset));
    }

    /** As {@link #startCopy(String)}, with the statement already in the client encoding. */
    public void startCopy(byte[] sql) {
        startQuery(sql);
        copyAllowed = true;
    }

    /**
     * Queues one CopyData message. Ignored once the server has ended the COPY by itself (an
     * error in the data: it drops whatever follows, and the error is in the query results).
     */
    public void sendCopyData(String text, Charset encoding) {
        if (phase == SessionPhase.COPY_IN) {
            output.begin('d').text(text, encoding).end();
        }
    }

    /** Queues one CopyData message of raw bytes (same rules as {@link #sendCopyData(String, Charset)}). */
    public void sendCopyData(byte[] data, int offset, int length) {
        if (phase == SessionPhase.COPY_IN) {
            output.begin('d').bytes(data, offset, length).end();
        }
    }

    /** Ends the COPY FROM STDIN data (CopyDone); the machine waits for the server's verdict. */
    public void endCopy() {
        if (phase == SessionPhase.COPY_IN) {
            send(new CopyDone());
            phase = SessionPhase.BUSY;
        }
    }

    /** Abandons COPY FROM STDIN (CopyFail): the server fails the statement with this reason. */
    public void failCopy(String reason) {
        if (phase == SessionPhase.COPY_IN) {
            send(new CopyFail(reason));
            phase = SessionPhase.BUSY;
        }
    }

    public boolean hasCopyData() {
        return !copyOutData.isEmpty();
    }

    /** All COPY TO STDOUT data received so far, in one array, removing it from the machine. */
    public byte[] takeCopyData() {
        int total = 0;
        for (byte[] chunk : copyOutData) {
            total += chunk.length;
        }
        byte[] all = new byte[total];
        int at = 0;
        for (byte[] chunk; (chunk = copyOutData.poll()) != null; at += chunk.length) {
            System.arraycopy(chunk, 0, all, at, chunk.length);
        }
        return all;
    }

    /**
     * IN or OUT when the last query met a COPY that {@link #startQuery} does not carry (it
     * refused the COPY FROM STDIN, or dropped the COPY TO STDOUT data); null when it met none.
     */
    public CopyDirection refusedCopyDirection() {
        return refusedCopyDirection;
    }

    /** How many bytes wait to be sent (a COPY writer flushes in large batches). */
    public int pendingOutputBytes() {
        return output.size();
    }

    /** Queues Terminate and closes the machine. Idempotent; harmless after a failure. */
    public void terminate() {
        if (phase == SessionPhase.READY || phase == SessionPhase.BUSY) {
            send(new Terminate());
        }
        if (phase != SessionPhase.FAILED) {
            phase = SessionPhase.CLOSED;
        }
    }

    /**
     * Tells the machine the byte stream ended (EOF or an I/O error). Any later receive is
     * ignored. Mid-operation this is a failure worded as libpq words it; an error the server
     * sent just before closing (e.g. FATAL: terminating connection due to administrator
     * command) leads the message.
     */
    public void connectionLost(Throwable cause) {
        if (phase == SessionPhase.FAILED) {
            return;
        }
        if (phase == SessionPhase.CLOSED) {
            return;
        }
        ErrorResponse last = queryError;
        // When the backend said why it ended (FATAL: terminated by the administrator, a
        // timeout) before hanging up, libpq reports the lost connection only; the server's
        // error stays the cause, for its SQLSTATE.
        String message = (last != null && !isFatal(last) ? ServerMessageFormatter.format(last.fields(), queryText(), true) : "")
                + CONNECTION_LOST;
        PgConnectionException lost = last != null
                ? new PgConnectionException(message, new PgServerException(last.fields(), queryText()))
                : new PgConnectionException(message, cause);
        fail(lost);
    }

    private static boolean isFatal(ErrorResponse e) {
        String severity = e.field('V') != null ? e.field('V') : e.field('S');
        return "FATAL".equals(severity) || "PANIC".equals(severity);
    }

    /** The driver waited longer than the caller allows (connect_timeout): libpq's wording. */
    public void timedOut() {
        if (phase != SessionPhase.FAILED && phase != SessionPhase.CLOSED) {
            fail(new PgConnectionException("timeout expired\n"));
        }
    }

    private void fail(PgException e) {
        if (failure == null) {
            failure = e;
        }
        phase = SessionPhase.FAILED;
    }

    // ---------------------------------------------------------------- state

    public SessionPhase phase() {
        return phase;
    }

    /** Whether the caller waiting on start-up or on a query can stop reading. */
    public boolean isOperationComplete() {
        return phase == SessionPhase.READY || phase == SessionPhase.CLOSED || phase == SessionPhase.FAILED
                || phase == SessionPhase.COPY_IN;
    }

    /** Why the machine is FAILED, or null. */
    public PgException failure() {
        return failure;
    }

    /** The results of the last finished query, once; null while it runs or after they were taken. */
    public QueryResults takeQueryResults() {
        QueryResults taken = finishedResults;
        finishedResults = null;
        return taken;
    }

    /** 'I', 'T' or 'E' as of the last ReadyForQuery. */
    public char transactionStatus() {
        return transactionStatus;
    }

    public String parameterStatus(String name) {
        return parameters.get(name);
    }

    public Map<String, String> parameterStatuses() {
        return Collections.unmodifiableMap(parameters);
    }

    public int backendPid() {
        return backendPid;
    }

    public int secretKey() {
        return secretKey;
    }

    public boolean hasBackendKeyData() {
        return haveKeyData;
    }

    /** The charset of the server's client_encoding (UTF-8 until the server reports one). */
    public Charset charset() {
        return charset;
    }

    /** The notices received since the last call, formatted as libpq's notice processor prints them. */
    public List<String> drainNotices() {
        List<String> out = List.copyOf(notices);
        notices.clear();
        return out;
    }

    public List<NotificationResponse> drainNotifications() {
        List<NotificationResponse> out = List.copyOf(notifications);
        notifications.clear();
        return out;
    }

    // ---------------------------------------------------------------- message handling

    private void handle(BackendMessage message) {
        // Asynchronous messages may arrive in any phase.
        switch (message) {
            case ParameterStatus p -> {
                parameters.put(p.name(), p.value());
                if (p.name().equals("client_encoding")) {
                    charset = PgEncodings.charsetOrUtf8(p.value());
                }
                return;
            }
            case NoticeResponse n -> {
                notices.add(ServerMessageFormatter.format(n.fields(), queryText(), false));
                return;
            }
            case NotificationResponse n -> {
                notifications.add(n);
                return;
            }
            default -> {
            }
        }
        switch (phase) {
            case STARTUP, AUTHENTICATING -> handleStartup(message);
            case BUSY, COPY_IN -> handleQuery(message);
            case READY -> handleIdle(message);
            case CLOSED, FAILED -> {
            }
        }
    }

    private void handleStartup(BackendMessage message) {
        switch (message) {
            case AuthenticationOk m -> {
                authenticate(m);
                authenticated = true;
                phase = SessionPhase.STARTUP;
            }
            case AuthenticationCleartextPassword m -> authenticate(m);
            case AuthenticationMD5Password m -> authenticate(m);
            case AuthenticationSASL m -> authenticate(m);
            case AuthenticationSASLContinue m -> authenticate(m);
            case AuthenticationSASLFinal m -> authenticate(m);
            case AuthenticationKerberosV5 m -> authenticate(m);
            case AuthenticationGSS m -> authenticate(m);
            case AuthenticationGSSContinue m -> authenticate(m);
            case AuthenticationSSPI m -> authenticate(m);
            case BackendKeyData k -> {
                backendPid = k.processId();
                secretKey = k.secretKey();
                haveKeyData = true;
            }
            case NegotiateProtocolVersion n -> {
                // We ask for 3.0 without protocol options, so the server has nothing to downgrade.
            }
            case ReadyForQuery r -> {
                if (!authenticated) {
                    throw new PgProtocolException("server sent ReadyForQuery before authentication completed");
                }
                transactionStatus = r.status();
                phase = SessionPhase.READY;
            }
            case ErrorResponse e -> fail(new PgServerException(e.fields(), null));
            default -> throw new PgProtocolException("unexpected message " + message + " during start-up");
        }
    }

    private void authenticate(BackendMessage request) {
        if (authenticated) {
            throw new PgProtocolException("server sent an authentication request after AuthenticationOk");
        }
        try {
            FrontendMessage reply = authenticator.respond(request);
            if (reply != null) {
                send(reply);
                phase = SessionPhase.AUTHENTICATING;
            }
        } catch (PgConnectionException e) {
            fail(e);
        }
    }

    private void handleQuery(BackendMessage message) {
        switch (message) {
            case RowDescription d -> {
                currentDescription = d;
                currentRows = new ArrayList<>();
            }
            case DataRow row -> {
                if (currentRows == null) {
                    throw new PgProtocolException("server sent data (\"D\" message) without prior row description (\"T\" message)\n");
                }
                if (row.columnCount() != currentDescription.fields().size()) {
                    throw new PgProtocolException("unexpected field count in \"D\" message\n");
                }
                currentRows.add(row);
            }
            case CommandComplete c -> {
                ResultStatus status;
                if (inCopyOut) {
                    status = ResultStatus.COPY_OUT;
                } else if (inCopyIn) {
                    status = ResultStatus.COPY_IN;
                } else if (currentDescription != null) {
                    status = ResultStatus.TUPLES_OK;
                } else {
                    status = ResultStatus.COMMAND_OK;
                }
                results.add(new StatementResult(status, currentDescription,
                        currentRows == null ? List.of() : currentRows, c.tag(), charset));
                currentDescription = null;
                currentRows = null;
                inCopyOut = false;
                inCopyIn = false;
            }
            case EmptyQueryResponse e -> results.add(new StatementResult(
                    ResultStatus.EMPTY_QUERY, null, List.of(), null, charset));
            case ErrorResponse e -> {
                if (queryError == null) {
                    queryError = e;
                }
                currentDescription = null;
                currentRows = null;
                inCopyOut = false;
                inCopyIn = false;
                if (phase == SessionPhase.COPY_IN) {
                    phase = SessionPhase.BUSY;  // the server ended the COPY: ReadyForQuery follows
                }
            }
            case CopyInResponse c -> {
                inCopyIn = true;
                if (copyAllowed) {
                    phase = SessionPhase.COPY_IN;
                } else {
                    // No data source: refuse; the server answers with an error and ReadyForQuery.
                    refusedCopyDirection = CopyDirection.IN;
                    send(new CopyFail("COPY FROM STDIN is not supported by a plain query"));
                }
            }
            case CopyOutResponse c -> {
                inCopyOut = true;
                if (!copyAllowed) {
                    refusedCopyDirection = CopyDirection.OUT;
                }
            }
            case CopyData d -> {
                if (!inCopyOut) {
                    throw new PgProtocolException("server sent CopyData outside COPY");
                }
                if (copyAllowed) {
                    copyOutData.add(d.data().toArray());
                }
            }
            case CopyDone d -> {
                if (!inCopyOut) {
                    throw new PgProtocolException("server sent CopyDone outside COPY");
                }
            }
            case CopyBothResponse c -> throw new PgProtocolException("COPY BOTH (replication streaming) is not supported yet");
            case ReadyForQuery r -> {
                transactionStatus = r.status();
                // The text is decoded for an error's context only: a large query is not decoded twice.
                finishedResults = new QueryResults(queryError != null ? queryText() : null, results, queryError);
                results = new ArrayList<>();
                queryError = null;
                phase = SessionPhase.READY;
            }
            default -> throw new PgProtocolException("unexpected message " + message + " during a simple query");
        }
    }

    /**
     * Nothing was asked, yet the server spoke. Like libpq, treat an error as a notice (it is
     * most likely the reason the server is about to close the connection) and drop anything
     * else with a notice saying so.
     */
    private void handleIdle(BackendMessage message) {
        if (message instanceof ErrorResponse e) {
            notices.add(ServerMessageFormatter.format(e.fields(), null, false));
        } else {
            notices.add("message type " + message.getClass().getSimpleName() + " arrived from server while idle\n");
        }
    }
}
