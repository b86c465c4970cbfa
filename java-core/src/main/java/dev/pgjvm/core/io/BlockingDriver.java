package dev.pgjvm.core.io;

import dev.pgjvm.core.session.ProtocolMachine;
import dev.pgjvm.core.session.SessionPhase;

import java.io.IOException;
import java.util.function.BooleanSupplier;

/**
 * Drives a {@link ProtocolMachine} with blocking I/O: the loop over {@link ProtocolIo}'s steps
 * (write what is pending, stop when the caller's condition holds, read) with the socket in
 * blocking mode, so each step waits as long as it must. The {@link NonBlockingDriver} makes the
 * same steps one at a time.
 */
public final class BlockingDriver {
    private final ProtocolIo io;

    public BlockingDriver(Transport transport, ProtocolMachine machine) {
        this(new ProtocolIo(transport, machine));
    }

    BlockingDriver(ProtocolIo io) {
        this.io = io;
    }

    ProtocolIo io() {
        return io;
    }

    public Transport transport() {
        return io.transport();
    }

    public ProtocolMachine machine() {
        return io.machine();
    }

    /** Runs until {@code done} holds, or the session is over (failed or closed). */
    public void run(BooleanSupplier done) {
        run(done, 0);
    }

    /**
     * Like {@link #run(BooleanSupplier)}, but gives up at {@code deadlineNanos} (System.nanoTime;
     * 0: never): the machine then fails with libpq's "timeout expired" and the socket is closed.
     * Start-up runs so, bounded by connect_timeout; queries wait as long as libpq's do.
     */
    public void run(BooleanSupplier done, long deadlineNanos) {
        if (!blocking()) {
            return;
        }
        while (true) {
            io.flush();
            if (io.isOver() || done.getAsBoolean()) {
                break;
            }
            if (deadlineNanos != 0 && !awaitReadable(deadlineNanos)) {
                return;
            }
            if (io.read() < 0) {
                return;
            }
        }
        if (machine().phase() == SessionPhase.FAILED) {
            transport().close();
        }
    }

    /** Writes all pending output (e.g. COPY data in batches); false when the connection broke. */
    public boolean flush() {
        if (!blocking()) {
            return false;
        }
        io.flush();
        return !io.isOver();
    }

    private boolean blocking() {
        try {
            transport().setBlocking(true);
            return true;
        } catch (IOException e) {
            machine().connectionLost(e);
            transport().close();
            return false;
        }
    }

    /** False (the machine failed, the socket closed) when nothing arrived before the deadline. */
    private boolean awaitReadable(long deadlineNanos) {
        long remaining = deadlineNanos - System.nanoTime();
        try {
            if (remaining > 0 && transport().awaitReadable(remaining / 1_000_000)) {
                return true;
            }
        } catch (IOException e) {
            machine().connectionLost(e);
            transport().close();
            return false;
        }
        machine().timedOut();
        transport().close();
        return false;
    }

    /** Sends Terminate (best effort) and closes the transport. */
    public void terminate() {
        io.terminate();
    }
}
