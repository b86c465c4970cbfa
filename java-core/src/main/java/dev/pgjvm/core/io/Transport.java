package dev.pgjvm.core.io;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The byte pipe between a driver and the server, blocking or not (the two drivers switch it).
 * The plain implementation is the socket itself; a TLS implementation (an SSLEngine wrapping the
 * same channel) will slot in here without the drivers or the protocol machine changing.
 */
public interface Transport extends AutoCloseable {
    /**
     * Reads what is available into dst: in blocking mode at least one byte, waiting if needed;
     * in non-blocking mode possibly 0. -1 at end of stream.
     */
    int read(ByteBuffer dst) throws IOException;

    /**
     * Writes src: all of it in blocking mode; in non-blocking mode what one write to the
     * socket takes, possibly nothing. Returns how many bytes.
     */
    int write(ByteBuffer src) throws IOException;

    /**
     * Writes what the transport itself holds back (TLS records the socket did not take): true
     * when nothing is left, false when the socket would block (non-blocking mode).
     */
    default boolean flush() throws IOException {
        return true;
    }

    /** Finishes a connect started in non-blocking mode: true once connected, false while still under way. */
    boolean finishConnect() throws IOException;

    /** Switches blocking mode (a no-op when already so). */
    void setBlocking(boolean blocking) throws IOException;

    boolean isBlocking();

    /**
     * Waits until a read would not block, or until the time is up (then false): how start-up
     * keeps to connect_timeout while reads block.
     */
    boolean awaitReadable(long timeoutMillis) throws IOException;

    /** The underlying socket (its file descriptor is what callers wait on with select()). */
    SocketChannel channel();

    /** The address connected to: an InetSocketAddress or a UnixDomainSocketAddress. */
    SocketAddress remoteAddress();

    boolean isOpen();

    /** Closes quietly; idempotent. */
    @Override
    void close();
}
