package dev.pgjvm.core.io;

import dev.pgjvm.core.PgConnectionException;
import dev.pgjvm.core.PgException;
import dev.pgjvm.core.PollingStatus;
import dev.pgjvm.core.auth.ClientAuthenticator;
import dev.pgjvm.core.conninfo.ConnectionSettings;
import dev.pgjvm.core.conninfo.HostTarget;
import dev.pgjvm.core.session.ProtocolMachine;
import dev.pgjvm.core.session.SessionPhase;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Iterator;
import java.util.List;

/**
 * Connecting as libpq does: each host in turn until one completes start-up, the errors of all
 * attempts gathered into one message (a paragraph per attempt). {@link #runBlocking} is
 * PQconnectdb (blocking, each host bounded by connect_timeout); {@link #poll} is
 * PQconnectPoll (one step at a time, never blocking but for the host name lookup, as libpq's).
 * Both go through the same stages; once done, {@link #transport()} and {@link #machine()} are
 * the session's.
 */
public final class ConnectAttempt {
    private enum Stage { NEXT_HOST, NEXT_ADDRESS, CONNECTING, STARTING, DONE }

    private final ConnectionSettings settings;
    private final Iterator<HostTarget> hosts;
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
        this.hosts = settings.targets().iterator();
    }

    /**
     * Blocks until a host completes start-up.
     *
     * @throws PgConnectionException when none does (the message holds a paragraph per attempt)
     */
    public void runBlocking() {
        while (hosts.hasNext()) {
            target = hosts.next();
            long deadline = startupDeadline(settings.connectTimeoutSeconds());
            try {
                transport = Connector.open(target, settings.connectTimeoutSeconds());
            } catch (PgConnectionException e) {
                errors.append(e.getMessage());
                lastFailure = e;
                continue;
            }
            startSession();
            driver.run(() -> machine.phase() != SessionPhase.STARTUP, deadline);
            if (startedUp()) {
                return;
            }
        }
        throw failed();
    }

    /**
     * One non-blocking step: {@link PollingStatus#OK} once a host has completed start-up,
     * else what the socket must be ready for before the next call.
     *
     * @throws PgConnectionException when every host failed
     */
    public PollingStatus poll() {
        while (true) {
            switch (stage) {
                case NEXT_HOST -> {
                    if (!hosts.hasNext()) {
                        throw failed();
                    }
                    target = hosts.next();
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
                        transport = Connector.startOpen(address);
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
                    startSession();
                    nonBlocking = NonBlockingDriver.sharing(driver);
                    stage = Stage.STARTING;
                }
                case STARTING -> {
                    PollingStatus status = nonBlocking.poll(() -> machine.phase() != SessionPhase.STARTUP);
                    if (status != PollingStatus.OK) {
                        return status;
                    }
                    if (startedUp()) {
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

    private void connectFailed(SocketAddress address, Exception e) {
        addressErrors.append(Connector.failure(target, address, e));
        lastFailure = new PgConnectionException(addressErrors.toString(), e);
    }

    private void startSession() {
        machine = new ProtocolMachine(settings.startupParameters(),
                new ClientAuthenticator(settings.user(), settings.passwordFor(target)));
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
