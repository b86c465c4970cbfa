package dev.pgjvm.core.io;

import dev.pgjvm.core.session.ProtocolMachine;
import dev.pgjvm.core.session.SessionPhase;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The two I/O steps both drivers are made of: {@link #flush} pushes the machine's output to the
 * socket, {@link #read} pulls what the socket has into the machine. In blocking mode each step
 * waits until it is done; in non-blocking mode it does what it can and says so. When the stream
 * breaks the machine is told (it words the failure) and the transport is closed; callers look at
 * the machine's phase afterwards.
 */
final class ProtocolIo {
    /** Large enough that a typical result arrives in few reads; direct so reads avoid a copy. */
    static final int READ_BUFFER_SIZE = 64 * 1024;

    private final Transport transport;
    private final ProtocolMachine machine;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_SIZE);
    /** Output taken from the machine that the socket has not taken yet (non-blocking writes). */
    private ByteBuffer unsent;

    ProtocolIo(Transport transport, ProtocolMachine machine) {
        this.transport = transport;
        this.machine = machine;
    }

    Transport transport() {
        return transport;
    }

    ProtocolMachine machine() {
        return machine;
    }

    /** Whether the session is over (failed or closed): nothing more will happen on it. */
    boolean isOver() {
        SessionPhase phase = machine.phase();
        return phase == SessionPhase.FAILED || phase == SessionPhase.CLOSED;
    }

    /**
     * Writes pending output: true when none is left (or the connection broke: the machine has
     * failed), false when the socket would block with some left (non-blocking mode only).
     */
    boolean flush() {
        while (true) {
            if (unsent == null || !unsent.hasRemaining()) {
                if (!machine.hasOutput()) {
                    unsent = null;
                    try {
                        return transport.flush(); // TLS: the last record may still wait
                    } catch (IOException e) {
                        lost(e);
                        return true;
                    }
                }
                unsent = ByteBuffer.wrap(machine.takeOutput());
            }
            try {
                transport.write(unsent);
            } catch (IOException e) {
                // The server may have said why it hung up (e.g. FATAL: terminating connection)
                // before closing; read what is left so the error names the cause.
                drainAfterWriteFailure();
                lost(e);
                return true;
            }
            if (unsent.hasRemaining()) {
                return false;
            }
        }
    }

    /**
     * Reads once and feeds the machine: the number of bytes read, 0 when none were waiting
     * (non-blocking mode), -1 when the stream ended or broke (the machine has failed).
     */
    int read() {
        readBuffer.clear();
        int n;
        try {
            n = transport.read(readBuffer);
        } catch (IOException e) {
            lost(e);
            return -1;
        }
        if (n < 0) {
            lost(null);
            return -1;
        }
        readBuffer.flip();
        machine.receive(readBuffer);
        if (machine.phase() == SessionPhase.FAILED) {
            transport.close();
            return -1;
        }
        return n;
    }

    private void drainAfterWriteFailure() {
        try {
            transport.setBlocking(true);
            for (int i = 0; i < 64 && machine.phase() != SessionPhase.FAILED; i++) {
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
        if (cause instanceof TlsTransport.UnexpectedEof eof) {
            machine.connectionLost(cause, eof.words);
        } else {
            machine.connectionLost(cause);
        }
        transport.close();
    }

    /** Sends Terminate (best effort) and closes the transport. */
    void terminate() {
        machine.terminate();
        if (transport.isOpen()) {
            try {
                transport.setBlocking(true);
                if (unsent != null) {
                    transport.write(unsent);
                }
                while (machine.hasOutput()) {
                    transport.write(ByteBuffer.wrap(machine.takeOutput()));
                }
            } catch (IOException ignored) {
                // the server may already be gone; closing is all that is left
            }
        }
        transport.close();
    }
}
