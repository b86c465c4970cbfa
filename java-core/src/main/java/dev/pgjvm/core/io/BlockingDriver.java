package dev.pgjvm.core.io;

import dev.pgjvm.core.session.ProtocolMachine;
import dev.pgjvm.core.session.SessionPhase;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Drives a {@link ProtocolMachine} over a blocking {@link Transport}: write whatever the machine
 * wants to send, then read until the machine's current operation is complete. When the stream
 * breaks, the machine is told (it words the failure) and the transport is closed; callers look
 * at the machine's phase and failure afterwards.
 */
public final class BlockingDriver {
    /** Large enough that a typical result arrives in few reads; direct so reads avoid a copy. */
    static final int READ_BUFFER_SIZE = 64 * 1024;

    private final Transport transport;
    private final ProtocolMachine machine;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_SIZE);

    public BlockingDriver(Transport transport, ProtocolMachine machine) {
        this.transport = transport;
        this.machine = machine;
    }

    public Transport transport() {
        return transport;
    }

    public ProtocolMachine machine() {
        return machine;
    }

    /** Runs until the machine is READY, CLOSED or FAILED (or waits for COPY data: COPY_IN). */
    public void runUntilComplete() {
        run(false, 0);
    }

    /**
     * Like {@link #runUntilComplete()}, but gives up at {@code deadlineNanos} (System.nanoTime;
     * 0: never): the machine then fails with libpq's "timeout expired" and the socket is closed.
     * Start-up runs so, bounded by connect_timeout; queries wait as long as libpq's do.
     */
    public void runUntilComplete(long deadlineNanos) {
        run(false, deadlineNanos);
    }

    /** Like {@link #runUntilComplete()}, but also returns as soon as COPY TO STDOUT data is queued. */
    public void runUntilCopyData() {
        run(true, 0);
    }

    private void run(boolean untilCopyData, long deadlineNanos) {
        if (!flush()) {
            return;
        }
        while (!machine.isOperationComplete() && !(untilCopyData && machine.hasCopyData())) {
            if (deadlineNanos != 0 && !awaitReadable(deadlineNanos)) {
                return;
            }
            if (!readOnce()) {
                return;
            }
            if (!flush()) {
                return;
            }
        }
        if (machine.phase() == SessionPhase.FAILED) {
            transport.close();
        }
    }

    /** Writes all pending output; false when the connection broke. */
    public boolean flush() {
        while (machine.hasOutput()) {
            try {
                transport.writeFully(ByteBuffer.wrap(machine.takeOutput()));
            } catch (IOException e) {
                // The server may have said why it hung up (e.g. FATAL: terminating connection)
                // before closing; read what is left so the error names the cause.
                drainAfterWriteFailure();
                lost(e);
                return false;
            }
        }
        return true;
    }

    /** False (the machine failed, the socket closed) when nothing arrived before the deadline. */
    private boolean awaitReadable(long deadlineNanos) {
        long remaining = deadlineNanos - System.nanoTime();
        try {
            if (remaining > 0 && transport.awaitReadable(remaining / 1_000_000)) {
                return true;
            }
        } catch (IOException e) {
            lost(e);
            return false;
        }
        machine.timedOut();
        transport.close();
        return false;
    }

    private boolean readOnce() {
        readBuffer.clear();
        int n;
        try {
            n = transport.read(readBuffer);
        } catch (IOException e) {
            lost(e);
            return false;
        }
        if (n < 0) {
            lost(null);
            return false;
        }
        readBuffer.flip();
        machine.receive(readBuffer);
        if (machine.phase() == SessionPhase.FAILED) {
            transport.close();
            return false;
        }
        return true;
    }

    private void drainAfterWriteFailure() {
        try {
            while (!machine.isOperationComplete()) {
                readBuffer.clear();
                if (transport.read(readBuffer) < 0) {
                    return;
                }
                readBuffer.flip();
                machine.receive(readBuffer);
            }
        } catch (IOException ignored) {
            // the connection is gone either way
        }
    }

    private void lost(IOException cause) {
        machine.connectionLost(cause);
        transport.close();
    }

    /** Sends Terminate (best effort) and closes the transport. */
    public void terminate() {
        machine.terminate();
        if (transport.isOpen()) {
            try {
                while (machine.hasOutput()) {
                    transport.writeFully(ByteBuffer.wrap(machine.takeOutput()));
                }
            } catch (IOException ignored) {
                // the server may already be gone; closing is all that is left
            }
        }
        transport.close();
    }
}
