package dev.pgjvm.core.io;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The byte pipe between a driver and the server. The plain implementation is the socket
 * itself; a TLS implementation (an SSLEngine wrapping the same channel) will slot in here
 * without the drivers or the protocol machine changing.
 */
public interface Transport extends AutoCloseable {
    /** Reads at least one byte into dst, blocking if needed; -1 at end of stream. */
    int read(ByteBuffer dst) throws IOException;

    /**
     * Waits until a read would not block, or until the time is up (then false): how start-up
     * keeps to connect_timeout while reads block.
     */
    boolean awaitReadable(long timeoutMillis) throws IOException;

    /** Writes all remaining bytes of src. */
    void writeFully(ByteBuffer src) throws IOException;

    /** The underlying socket (a later driver needs its file descriptor for select()). */
    SocketChannel channel();

    /** The address actually connected to: an InetSocketAddress or a UnixDomainSocketAddress. */
    SocketAddress remoteAddress();

    boolean isOpen();

    /** Closes quietly; idempotent. */
    @Override
    void close();
}
