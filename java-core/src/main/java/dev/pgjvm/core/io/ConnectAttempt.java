package dev.pgjvm.core.io;

import dev.pgjvm.core.PgConnectionException;
import dev.pgjvm.core.PgException;
import dev.pgjvm.core.PollingStatus;
import dev.pgjvm.core.auth.AuthPolicy;
import dev.pgjvm.core.auth.ChannelBinding;
import dev.pgjvm.core.auth.RequireAuth;
import dev.pgjvm.core.auth.ClientAuthenticator;
import dev.pgjvm.core.conninfo.ConnectionSettings;
import dev.pgjvm.core.conninfo.HostTarget;
import dev.pgjvm.core.session.ProtocolMachine;
import dev.pgjvm.core.session.SessionPhase;
import dev.pgjvm.core.tls.SslMode;
import dev.pgjvm.core.tls.TlsConfig;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;

/**
 * Connecting as libpq does: each host in turn until one completes start-up, the errors of all
 * attempts gathered into one message (a paragraph per attempt). {@link #runBlocking} is
 * PQconnectdb (blocking, each host bounded by connect_timeout); {@link #poll} is
 * PQconnectPoll (one step at a time, never blocking but for the host name lookup, as libpq's).
 * Both go through the same stages; once done, {@link #transport()} and {@link #machine()} are
 * the session's.
 *
 * <p>On TCP, each host gets the tries its sslmode asks for, as libpq makes them: TLS first for
 * prefer (the default), again without TLS when the TLS attempt failed; plain first for allow,
 * again with TLS when the server refused the plain one; TLS only for require and the verify
 * modes; plain only for disable (and on Unix-domain sockets, which never use TLS).
 */
public final class ConnectAttempt {
    private enum Stage { NEXT_HOST, NEXT_ADDRESS, CONNECTING, NEGOTIATING, STARTING, CHECKING, DONE }

    private final ConnectionSettings settings;
    private final TlsConfig tls;
    private final TcpKeepalive keepalive;
    private final RequireAuth requireAuth;
    /** The tries left on the current host: true for one that asks for TLS. */
    private final ArrayDeque<Boolean> tries = new ArrayDeque<>();
    private boolean tryTls;
    private TlsNegotiation negotiation;
    /** Connecting step by step ({@link #poll}), not blocking: libpq words the failure a little otherwise. */
    private boolean stepping;
    /** The hosts in the order they are tried (shuffled for load_balance_hosts=random). */
    private final List<HostTarget> hostOrder;
    private Iterator<HostTarget> hosts;
    private final TargetSessionCheck targetCheck;
    /** The query the target check waits for (servers before 14), or null. */
    private dev.pgjvm.core.session.SimpleQuery checkQuery;
    private final StringBuilder errors = new StringBuilder();
    private PgException lastFailure;

    private Stage stage = Stage.NEXT_HOST;
    private HostTarget target;
    private Iterator<SocketAddress> addresses;
    private final StringBuilder addressErrors = new StringBuilder();
    private Transport transport;
    private ProtocolMachine machine;
    private BlockingDriver driver;
    private NonBlockingDriver nonBlocking;

    public ConnectAttempt(ConnectionSettings settings) {
        this.settings = settings;
        this.tls = TlsConfig.of(settings);
        this.keepalive = TcpKeepalive.of(settings);
        this.requireAuth = RequireAuth.parse(settings.get("require_auth"));
        List<HostTarget> order = new java.util.ArrayList<>(settings.targets());
        if ("random".equals(settings.get("load_balance_hosts"))) {
            java.util.Collections.shuffle(order);
        }
        this.hostOrder = List.copyOf(order);
        this.hosts = hostOrder.iterator();
        this.targetCheck = new TargetSessionCheck(settings.get("target_session_attrs"));
    }

    /** No host left: prefer-standby starts its second pass (any server), else the attempt has failed. */
    private boolean moreHosts() {
        if (hosts.hasNext()) {
            return true;
        }
        if (targetCheck.startSecondPass()) {
            hosts = hostOrder.iterator();
            return hosts.hasNext();
        }
        return false;
    }

    /** The tries libpq makes on one host: see the class comment. */
    private void planTries(HostTarget host) {
        tries.clear();
        SslMode mode = tls.mode();
        if (host.kind() == HostTarget.Kind.UNIX_SOCKET || mode == SslMode.DISABLE) {
            tries.add(false);
        } else if (mode == SslMode.ALLOW) {
            tries.add(false);
            tries.add(true);
        } else if (mode == SslMode.PREFER) {
            tries.add(true);
            tries.add(false);
        } else {
            tries.add(true);
        }
    }

    /**
     * After a failed try on the host: whether another is due. prefer retries without TLS only
     * when TLS was in use (the server's 'N' already gave a plain session); allow retries with it.
     */
    private boolean retryOnSameHost(boolean tlsWasUsed) {
        if (tries.isEmpty()) {
            return false;
        }
        if (tls.mode() == SslMode.PREFER && !tlsWasUsed) {
            tries.clear();
            return false;
        }
        return true;
    }

    /**
     * Blocks until a host completes start-up.
     *
     * @throws PgConnectionException when none does (the message holds a paragraph per attempt)
     */
    public void runBlocking() {
        while (moreHosts()) {
            target = hosts.next();
            planTries(target);
            while (!tries.isEmpty()) {
                tryTls = tries.poll();
                long deadline = startupDeadline(settings.connectTimeoutSeconds());
                try {
                    transport = Connector.open(target, settings.connectTimeoutSeconds(), keepalive);
                } catch (PgConnectionException e) {
                    errors.append(e.getMessage());
                    lastFailure = e;
                    break; // the host does not answer: no other try on it
                }
                if (!peerAccepted()) {
                    break;
                }
                if (tryTls && !negotiateBlocking(deadline)) {
                    if (negotiation.handshakeFailed() && retryOnSameHost(true)) {
                        continue;
                    }
                    break;
                }
                startSession();
                driver.run(() -> machine.phase() != SessionPhase.STARTUP, deadline);
                if (startedUp()) {
                    if (submitTargetQuery()) {
                        driver.run(checkQuery::isDone, deadline);
                    }
                    if (targetAccepted()) {
                        return;
                    }
                    break; // not the kind of server wanted: the next host
                }
                if (!serverRefused() || !retryOnSameHost(transport instanceof TlsTransport)) {
                    break;
                }
            }
        }
        throw failed();
    }

    /** The TLS negotiation in blocking style, bounded by the deadline; false when it failed (recorded). */
    private boolean negotiateBlocking(long deadline) {
        negotiation = new TlsNegotiation(transport, tls, target);
        try {
            transport.setBlocking(false);
            PollingStatus status;
            while ((status = negotiation.step()) != PollingStatus.OK) {
                if (!awaitReady(status, deadline)) {
                    throw new PgConnectionException("timeout expired\n");
                }
            }
            transport = negotiation.transport();
            transport.setBlocking(true);
            return true;
        } catch (PgConnectionException e) {
            negotiationFailed(e);
            return false;
        } catch (IOException e) {
            negotiationFailed(new PgConnectionException("SSL SYSCALL error: " + e.getMessage() + "\n", e));
            return false;
        }
    }

    private boolean awaitReady(PollingStatus status, long deadline) throws IOException {
        long remaining = deadline == 0 ? 0 : (deadline - System.nanoTime()) / 1_000_000;
        if (deadline != 0 && remaining <= 0) {
            return false;
        }
        try (Selector selector = Selector.open()) {
            transport.channel().register(selector, status == PollingStatus.WRITING ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
            return selector.select(remaining) > 0 || deadline == 0;
        }
    }

    private void negotiationFailed(PgConnectionException e) {
        transport.close();
        errors.append(ConnectFailures.prefix(target, numericAddress(transport.remoteAddress()))).append(e.getMessage());
        lastFailure = e;
    }

    /**
     * One non-blocking step: {@link PollingStatus#OK} once a host has completed start-up,
     * else what the socket must be ready for before the next call.
     *
     * @throws PgConnectionException when every host failed
     */
    public PollingStatus poll() {
        stepping = true;
        while (true) {
            switch (stage) {
                case NEXT_HOST -> {
                    if (!moreHosts()) {
                        throw failed();
                    }
                    target = hosts.next();
                    planTries(target);
                    tryTls = tries.poll();
                    try {
                        List<SocketAddress> all = Connector.addresses(target);
                        addresses = all.iterator();
                        addressErrors.setLength(0);
                        stage = Stage.NEXT_ADDRESS;
                    } catch (PgConnectionException e) {
                        errors.append(e.getMessage());
                        lastFailure = e;
                    }
                }
                case NEXT_ADDRESS -> {
                    if (!addresses.hasNext()) {
                        errors.append(addressErrors);
                        stage = Stage.NEXT_HOST;
                        continue;
                    }
                    SocketAddress address = addresses.next();
                    try {
                        transport = Connector.startOpen(address, keepalive);
                        stage = Stage.CONNECTING;
                    } catch (IOException | RuntimeException e) {
                        connectFailed(address, e);
                    }
                }
                case CONNECTING -> {
                    try {
                        if (!transport.finishConnect()) {
                            return PollingStatus.WRITING;
                        }
                    } catch (IOException | RuntimeException e) {
                        transport.close();
                        connectFailed(transport.remoteAddress(), e);
                        stage = Stage.NEXT_ADDRESS;
                        continue;
                    }
                    if (!peerAccepted()) {
                        stage = Stage.NEXT_HOST;
                        continue;
                    }
                    if (tryTls) {
                        negotiation = new TlsNegotiation(transport, tls, target);
                        stage = Stage.NEGOTIATING;
                        continue;
                    }
                    startNonBlocking();
                }
                case NEGOTIATING -> {
                    PollingStatus status;
                    try {
                        status = negotiation.step();
                    } catch (PgConnectionException e) {
                        negotiationFailed(e);
                        if (negotiation.handshakeFailed()) {
                            nextTry(true);
                        } else {
                            stage = Stage.NEXT_HOST;
                        }
                        continue;
                    }
                    if (status != PollingStatus.OK) {
                        return status;
                    }
                    transport = negotiation.transport();
                    startNonBlocking();
                }
                case STARTING -> {
                    PollingStatus status = nonBlocking.poll(() -> machine.phase() != SessionPhase.STARTUP);
                    if (status != PollingStatus.OK) {
                        return status;
                    }
                    if (startedUp()) {
                        submitTargetQuery();
                        stage = Stage.CHECKING;
                        continue;
                    }
                    if (serverRefused()) {
                        nextTry(transport instanceof TlsTransport);
                    } else {
                        stage = Stage.NEXT_HOST;
                    }
                }
                case CHECKING -> {
                    if (checkQuery != null) {
                        PollingStatus status = nonBlocking.poll(checkQuery::isDone);
                        if (status != PollingStatus.OK) {
                            return status;
                        }
                    }
                    if (targetAccepted()) {
                        stage = Stage.DONE;
                        return PollingStatus.OK;
                    }
                    stage = Stage.NEXT_HOST;
                }
                case DONE -> {
                    return PollingStatus.OK;
                }
            }
        }
    }

    /** Queues the query target_session_attrs needs on a server before 14; false when none is. */
    private boolean submitTargetQuery() {
        String sql = targetCheck.query(machine);
        checkQuery = sql == null ? null : machine.submit(new dev.pgjvm.core.session.SimpleQuery(
                sql.getBytes(java.nio.charset.StandardCharsets.US_ASCII), false));
        return checkQuery != null;
    }

    /**
     * After start-up: whether the session is of the kind target_session_attrs asks for. If not
     * (or the check's query failed), the session is ended politely and the reason recorded
     * for the host, in libpq's words.
     */
    private boolean targetAccepted() {
        String answer = null;
        if (checkQuery != null) {
            if (machine.phase() != SessionPhase.READY || !checkQuery.isDone()) {
                transport.close();
                PgException failure = machine.failure() != null ? machine.failure()
                        : new PgConnectionException("timeout expired\n");
                recordFailure(failure.getMessage(), failure);
                checkQuery = null;
                return false;
            }
            answer = TargetSessionCheck.answer(checkQuery.results());
            checkQuery = null;
        }
        String reason = targetCheck.rejection(machine, answer);
        if (reason == null) {
            return true;
        }
        driver.terminate();
        recordFailure(reason + "\n", new PgConnectionException(reason + "\n"));
        return false;
    }

    /** The checks of a connected socket (requirepeer, gssencmode); false (recorded, socket closed) when one fails. */
    private boolean peerAccepted() {
        try {
            PeerCheck.verify(transport, settings.get("requirepeer"));
            PeerCheck.verifyGssEncryption(transport, settings.get("gssencmode"));
            return true;
        } catch (PgConnectionException e) {
            transport.close();
            recordFailure(e.getMessage(), e);
            return false;
        }
    }

    private void recordFailure(String message, PgException failure) {
        errors.append(ConnectFailures.prefix(target, numericAddress(transport.remoteAddress()))).append(message);
        lastFailure = failure;
    }

    private void startNonBlocking() {
        startSession();
        nonBlocking = NonBlockingDriver.sharing(driver);
        stage = Stage.STARTING;
    }

    /**
     * Whether the failed start-up was the server's refusal (an ErrorResponse: pg_hba, a role):
     * the one failure after which libpq tries the host again with the other TLS choice.
     */
    private boolean serverRefused() {
        dev.pgjvm.core.PgServerException error = lastFailure instanceof dev.pgjvm.core.PgServerException s ? s
                : lastFailure instanceof PgConnectionException c ? c.serverError() : null;
        // "the database system is starting up" (57P03) sends libpq to the next host instead,
        // and an error after AuthenticationOk (no such database, a role's limit) ends the host:
        // libpq tries again only while the server is still authenticating the client.
        return error != null && !"57P03".equals(error.sqlState())
                && machine.startup().phase() != dev.pgjvm.core.session.CommandPhase.STARTING;
    }

    /** After a failed try: the same host again (a fresh connection to the same address list) or the next host. */
    private void nextTry(boolean tlsWasUsed) {
        if (retryOnSameHost(tlsWasUsed)) {
            tryTls = tries.poll();
            try {
                addresses = Connector.addresses(target).iterator();
                addressErrors.setLength(0);
                stage = Stage.NEXT_ADDRESS;
                return;
            } catch (PgConnectionException e) {
                errors.append(e.getMessage());
                lastFailure = e;
            }
        }
        stage = Stage.NEXT_HOST;
    }

    private void connectFailed(SocketAddress address, Exception e) {
        addressErrors.append(Connector.failure(target, address, e));
        lastFailure = new PgConnectionException(addressErrors.toString(), e);
    }

    private void startSession() {
        TlsTransport encrypted = transport instanceof TlsTransport t ? t : null;
        ChannelBinding binding = ChannelBinding.of(tls.channelBinding(), encrypted == null ? null : encrypted.peerCertificate());
        AuthPolicy policy = new AuthPolicy(binding, requireAuth, tls.certificateRequired(),
                () -> encrypted != null && encrypted.certificateRequest().requested(),
                () -> encrypted != null && encrypted.certificateRequest().sent());
        machine = new ProtocolMachine(settings.startupParameters(),
                new ClientAuthenticator(settings.user(), settings.passwordFor(target), policy));
        driver = new BlockingDriver(transport, machine);
    }

    /** True when start-up succeeded; else the attempt's error is recorded and its socket closed. */
    private boolean startedUp() {
        if (machine.phase() == SessionPhase.READY) {
            return true;
        }
        transport.close();
        PgException failure = machine.failure();
        errors.append(ConnectFailures.prefix(target, numericAddress(transport.remoteAddress())))
                .append(failure == null ? "connection failed\n" : failure.getMessage());
        lastFailure = failure;
        return false;
    }

    private PgConnectionException failed() {
        if (stepping && errors.indexOf("connection to server ") == 0) {
            // libpq's PQconnectStart/PQconnectPoll report the first attempt without saying
            // where it went (the blocking connect says it): psycopg2's async and green connects
            // show the same text.
            errors.delete(0, errors.indexOf(" failed: ") + " failed: ".length());
        }
        stage = Stage.NEXT_HOST;
        Throwable cause = lastFailure instanceof PgConnectionException c && c.serverError() != null
                ? c.serverError() : lastFailure;
        return new PgConnectionException(errors.toString(), cause);
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

    private static String numericAddress(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return null;
    }

    public HostTarget target() {
        return target;
    }

    /** The session's transport once done (before: the socket being tried, or null). */
    public Transport transport() {
        return transport;
    }

    public ProtocolMachine machine() {
        return machine;
    }

    /** The blocking driver of the session (its non-blocking one shares its steps). */
    public BlockingDriver driver() {
        return driver;
    }

    /** Closes whatever socket the attempt holds (an attempt abandoned half-way leaks nothing). */
    public void close() {
        if (transport != null) {
            transport.close();
        }
    }
}
