package dev.pgjvm.core.io;

import dev.pgjvm.core.PollingStatus;
import dev.pgjvm.core.session.ProtocolMachine;

import java.io.IOException;
import java.util.function.BooleanSupplier;

/**
 * Drives a {@link ProtocolMachine} without ever blocking: each {@link #poll} makes the steps of
 * {@link ProtocolIo} (write what is pending, read what has arrived) until the caller's condition
 * holds or the socket would block, and says what it waits for. The caller waits on the socket's
 * file descriptor (select, poll, an event loop) and calls again. The {@link BlockingDriver} is
 * the same steps in a loop on a blocking socket.
 */
public final class NonBlockingDriver {
    private final ProtocolIo io;

    public NonBlockingDriver(Transport transport, ProtocolMachine machine) {
        this.io = new ProtocolIo(transport, machine);
    }

    /** A driver sharing its steps (and any half-written output) with a blocking one. */
    public static NonBlockingDriver sharing(BlockingDriver blocking) {
        return new NonBlockingDriver(blocking);
    }

    private NonBlockingDriver(BlockingDriver blocking) {
        this.io = blocking.io();
    }

    public Transport transport() {
        return io.transport();
    }

    public ProtocolMachine machine() {
        return io.machine();
    }

    /**
     * Advances without blocking: {@link PollingStatus#OK} once {@code done} holds with all output
     * sent, or once the session is over (the caller looks at the machine's phase);
     * {@link PollingStatus#WRITING} while output waits for the socket; {@link PollingStatus#READING}
     * while the condition waits for the server.
     */
    public PollingStatus poll(BooleanSupplier done) {
        try {
            transport().setBlocking(false);
        } catch (IOException e) {
            machine().connectionLost(e);
            transport().close();
            return PollingStatus.OK;
        }
        while (true) {
            boolean sent = io.flush();
            if (io.isOver()) {
                return PollingStatus.OK;
            }
            if (!sent) {
                // Read what the server sent meanwhile: it may be blocked writing to us.
                io.read();
                return io.isOver() ? PollingStatus.OK : PollingStatus.WRITING;
            }
            if (done.getAsBoolean()) {
                return PollingStatus.OK;
            }
            int n = io.read();
            if (n < 0) {
                return PollingStatus.OK;
            }
            if (n == 0) {
                return PollingStatus.READING;
            }
        }
    }
}
