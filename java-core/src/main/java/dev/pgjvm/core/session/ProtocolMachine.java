package dev.pgjvm.core.session;

import dev.pgjvm.core.PgConnectionException;
import dev.pgjvm.core.PgException;
import dev.pgjvm.core.PgProtocolException;
import dev.pgjvm.core.PgServerException;
import dev.pgjvm.core.auth.ClientAuthenticator;
import dev.pgjvm.core.auth.PasswordSource;
import dev.pgjvm.core.protocol.BackendMessage;
import dev.pgjvm.core.protocol.BackendMessageParser;
import dev.pgjvm.core.protocol.CopyDone;
import dev.pgjvm.core.protocol.CopyFail;
import dev.pgjvm.core.protocol.ErrorResponse;
import dev.pgjvm.core.protocol.FrontendEncoder;
import dev.pgjvm.core.protocol.FrontendMessage;
import dev.pgjvm.core.protocol.MessageFramer;
import dev.pgjvm.core.protocol.MessageWriter;
import dev.pgjvm.core.protocol.NoticeResponse;
import dev.pgjvm.core.protocol.NotificationResponse;
import dev.pgjvm.core.protocol.ParameterStatus;
import dev.pgjvm.core.protocol.RawMessage;
import dev.pgjvm.core.protocol.ReadyForQuery;
import dev.pgjvm.core.protocol.Terminate;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The client side of the PostgreSQL v3 protocol as a sans-I/O state machine: it is fed the
 * bytes the server sent, in pieces of any size, and hands back the bytes to send. It never
 * touches a socket and never blocks, so any driver can step it: {@link dev.pgjvm.core.io.BlockingDriver}
 * and {@link dev.pgjvm.core.io.NonBlockingDriver} both do, through the same steps.
 *
 * <p>Every exchange is a {@link Command} ({@link Startup}, {@link SimpleQuery},
 * {@link ExtendedQuery}) that owns its state and its outcome. {@link #submit} queues a command's
 * messages for sending and puts it in flight; several may be in flight at once (pipelining).
 * Backend messages go to the command at the head of the queue, and ReadyForQuery completes it.
 * ParameterStatus, notices and notifications are taken whenever they arrive, in flight or idle.
 *
 * <p>Errors keep the session when they can: a server error fails its command and the session
 * goes on from ReadyForQuery; a command that cannot be encoded (NUL, a character the client
 * encoding lacks) is refused before anything is queued; only a broken stream, a protocol
 * violation or a failed start-up moves the machine to {@link SessionPhase#FAILED} with
 * {@link #failure()} set. Nothing here throws on what the server sends.
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

    private SessionPhase phase = SessionPhase.STARTUP;
    private PgException failure;
    private final ArrayDeque<Command> inFlight = new ArrayDeque<>();
    private final Startup startup;
    /** The head command's error, if it got one: it leads the message when the connection drops before ReadyForQuery. */
    private ErrorResponse lastError;

    private Charset charset = StandardCharsets.UTF_8;
    private final Map<String, String> parameters = new LinkedHashMap<>();
    private int backendPid;
    private int secretKey;
    private boolean haveKeyData;
    private char transactionStatus = ReadyForQuery.IDLE;

    private final ArrayDeque<String> notices = new ArrayDeque<>();
    private final ArrayDeque<NotificationResponse> notifications = new ArrayDeque<>();

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
        this.framer = new MessageFramer(maxMessageLength);
        this.startup = new Startup(startupParameters, authenticator);
        framer.setHeaderCheck(this::checkWhileAuthenticating);
        startup.encode(output, charset);
        startup.submitted = true;
        inFlight.add(startup);
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

    /**
     * libpq's checks of a length word while the server authenticates us (PQconnectPoll), before
     * the framer's general ones: an authentication request or a protocol negotiation is never
     * shorter than 8 bytes nor longer than 2000.
     */
    private String checkWhileAuthenticating(char type, int length) {
        CommandPhase phase = startup.phase();
        boolean authenticating = phase == CommandPhase.SENT || phase == CommandPhase.AUTHENTICATING;
        if (!authenticating || (length >= 8 && length <= 2000)) {
            return null;
        }
        return switch (type) {
            case 'R' -> "received invalid authentication request\n";
            case 'v' -> "received invalid protocol negotiation message\n";
            default -> null;
        };
    }

    /** Feeds bytes received from the server; they may end anywhere, even inside a message. */
    public void receive(byte[] bytes, int offset, int length) {
        receive(ByteBuffer.wrap(bytes, offset, length));
    }

    /** Feeds all remaining bytes of the buffer. */
    public void receive(ByteBuffer bytes) {
        if (isOver()) {
            bytes.position(bytes.limit()); // nothing can be done with them any more
            return;
        }
        try {
            if (awaitingFirstReply && bytes.hasRemaining()) {
                checkFirstReply((char) (bytes.get(bytes.position()) & 0xff));
            }
            PgProtocolException badHeader = null;
            try {
                framer.feed(bytes);
            } catch (PgProtocolException e) {
                // The messages that came whole before the bad header are handled first, as
                // libpq parses in order: a notification or the server's error is not lost.
                badHeader = e;
            }
            RawMessage raw;
            while (phase != SessionPhase.FAILED && (raw = framer.next()) != null) {
                dispatch(BackendMessageParser.parse(raw, charset));
            }
            if (badHeader != null) {
                throw badHeader;
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

    /** Moves as many waiting bytes as fit into dst; returns how many. */
    public int drainOutput(ByteBuffer dst) {
        return output.drainTo(dst);
    }

    /** How many bytes wait to be sent (a COPY writer flushes in large batches). */
    public int pendingOutputBytes() {
        return output.size();
    }

    void send(FrontendMessage message) {
        FrontendEncoder.encode(message, charset, output);
    }

    // ---------------------------------------------------------------- commands

    /**
     * Queues the command's messages and puts it in flight, behind those already there.
     *
     * @throws IllegalStateException    when start-up is not done, or the session is over
     * @throws IllegalArgumentException when the command cannot be encoded (NUL, a character the
     *                                  client encoding lacks): nothing was queued
     */
    public <C extends Command> C submit(C command) {
        if (phase != SessionPhase.READY) {
            throw new IllegalStateException("cannot send a command in phase " + phase);
        }
        if (command.submitted) {
            throw new IllegalStateException("the command was submitted already");
        }
        command.encode(output, charset); // may throw: then nothing changed
        command.submitted = true;
        inFlight.add(command);
        return command;
    }

    /** The oldest command in flight (the one the server is answering), or null. */
    public Command head() {
        return inFlight.peek();
    }

    /** Whether any command is in flight (start-up included). */
    public boolean isBusy() {
        return !inFlight.isEmpty();
    }

    /** The start-up command: done once the session is READY. */
    public Startup startup() {
        return startup;
    }

    /**
     * Queues COPY data for the head command, when it accepts some (COPY FROM STDIN, COPY BOTH).
     * Ignored once the server has ended the COPY by itself (an error in the data: it drops
     * whatever follows, and the error is in the command's results).
     */
    public void sendCopyData(String text, Charset encoding) {
        if (copyTarget() != null) {
            output.begin('d').text(text, encoding).end();
        }
    }

    /** Queues one CopyData message of raw bytes (same rules as {@link #sendCopyData(String, Charset)}). */
    public void sendCopyData(byte[] data, int offset, int length) {
        if (copyTarget() != null) {
            output.begin('d').bytes(data, offset, length).end();
        }
    }

    /** Ends the client's COPY data (CopyDone); the command waits for the server's verdict. */
    public void endCopy() {
        SimpleQuery target = copyTarget();
        if (target != null) {
            send(new CopyDone());
            target.clientCopyEnded();
        }
    }

    /** Abandons COPY FROM STDIN (CopyFail): the server fails the statement with this reason. */
    public void failCopy(String reason) {
        SimpleQuery target = copyTarget();
        if (target != null) {
            send(new CopyFail(reason));
            target.clientCopyEnded();
        }
    }

    private SimpleQuery copyTarget() {
        return inFlight.peek() instanceof SimpleQuery q && q.acceptsCopyData() ? q : null;
    }

    /** Queues Terminate and closes the machine. Idempotent; harmless after a failure. */
    public void terminate() {
        if (phase == SessionPhase.READY) {
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
        connectionLost(cause, CONNECTION_LOST);
    }

    /**
     * The same, with libpq's words for how the stream ended in place of "server closed the
     * connection unexpectedly": over TLS, an end without close_notify is "SSL SYSCALL error:
     * EOF detected" (libpq's pgtls_read), which then stands alone.
     */
    public void connectionLost(Throwable cause, String words) {
        if (isOver()) {
            return;
        }
        ErrorResponse last = lastError;
        Command head = inFlight.peek();
        String text = head != null ? head.queryText() : null;
        // When the backend said why it ended (FATAL: terminated by the administrator, a
        // timeout) before hanging up, libpq reports the lost connection only; the server's
        // error stays the cause, for its SQLSTATE.
        String message = (last != null && !isFatal(last) ? ServerMessageFormatter.format(last.fields(), text, true) : "")
                + words;
        fail(last != null
                ? new PgConnectionException(message, new PgServerException(last.fields(), text))
                : new PgConnectionException(message, cause));
    }

    private static boolean isFatal(ErrorResponse e) {
        String severity = e.field('V') != null ? e.field('V') : e.field('S');
        return "FATAL".equals(severity) || "PANIC".equals(severity);
    }

    /** The driver waited longer than the caller allows (connect_timeout): libpq's wording. */
    public void timedOut() {
        if (!isOver()) {
            fail(new PgConnectionException("timeout expired\n"));
        }
    }

    /** Ends the session: start-up failed, the server broke the protocol, or the connection was lost. */
    void fail(PgException e) {
        if (failure == null) {
            failure = e;
        }
        phase = SessionPhase.FAILED;
    }

    private boolean isOver() {
        return phase == SessionPhase.FAILED || phase == SessionPhase.CLOSED;
    }

    // ---------------------------------------------------------------- state

    public SessionPhase phase() {
        return phase;
    }

    /** Why the machine is FAILED, or null. */
    public PgException failure() {
        return failure;
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

    void keyData(int pid, int key) {
        backendPid = pid;
        secretKey = key;
        haveKeyData = true;
    }

    /** The charset of the server's client_encoding (UTF-8 until the server reports one). */
    public Charset charset() {
        return charset;
    }

    public boolean hasNotices() {
        return !notices.isEmpty();
    }

    public boolean hasNotifications() {
        return !notifications.isEmpty();
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

    private void dispatch(BackendMessage message) {
        Command head = inFlight.peek();
        switch (message) {
            // Asynchronous messages may arrive at any time, in flight or idle.
            case ParameterStatus p -> {
                parameters.put(p.name(), p.value());
                if (p.name().equals("client_encoding")) {
                    charset = PgEncodings.charsetOrUtf8(p.value());
                }
            }
            case NoticeResponse n -> notices.add(ServerMessageFormatter.format(n.fields(),
                    head != null ? head.queryText() : null, false));
            case NotificationResponse n -> notifications.add(n);
            case ReadyForQuery r -> {
                if (head == null) {
                    throw new PgProtocolException("server sent ReadyForQuery with no command in flight");
                }
                head.ready(this);
                transactionStatus = r.status();
                inFlight.poll();
                lastError = null;
                if (head == startup) {
                    phase = SessionPhase.READY;
                }
            }
            default -> {
                if (head == null) {
                    idle(message);
                    return;
                }
                if (message instanceof ErrorResponse e) {
                    lastError = e;
                }
                head.handle(message, this);
            }
        }
    }

    /**
     * Nothing was asked, yet the server spoke. Like libpq, treat an error as a notice (it is
     * most likely the reason the server is about to close the connection) and drop anything
     * else with a notice saying so.
     */
    private void idle(BackendMessage message) {
        if (message instanceof ErrorResponse e) {
            notices.add(ServerMessageFormatter.format(e.fields(), null, false));
        } else {
            notices.add("message type " + message.getClass().getSimpleName() + " arrived from server while idle\n");
        }
    }
}
