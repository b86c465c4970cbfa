package dev.pgjvm.core.io;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/** An unencrypted transport: reads and writes go straight to the socket channel. */
public final class PlainTransport implements Transport {
    private final SocketChannel channel;
    private final SocketAddress remote;

    public PlainTransport(SocketChannel channel, SocketAddress remote) {
        this.channel = channel;
        this.remote = remote;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int n;
        do {
            n = channel.read(dst);
        } while (n == 0 && dst.hasRemaining() && channel.isBlocking());
        return n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        if (!channel.isBlocking()) {
            // One write, as libpq's non-blocking send: what it did not take waits for the
            // caller's next step, once the socket is writable again.
            return channel.write(src);
        }
        int total = 0;
        while (src.hasRemaining()) {
            total += channel.write(src);
        }
        return total;
    }

    @Override
    public boolean finishConnect() throws IOException {
        return channel.finishConnect();
    }

    @Override
    public void setBlocking(boolean blocking) throws IOException {
        if (channel.isBlocking() != blocking) {
            channel.configureBlocking(blocking);
        }
    }

    @Override
    public boolean isBlocking() {
        return channel.isBlocking();
    }

    @Override
    public boolean awaitReadable(long timeoutMillis) throws IOException {
        boolean wasBlocking = channel.isBlocking();
        channel.configureBlocking(false);
        try {
            // Closing the selector deregisters the channel, so it can block again after.
            try (Selector selector = Selector.open()) {
                channel.register(selector, SelectionKey.OP_READ);
                return selector.select(Math.max(1, timeoutMillis)) > 0;
            }
        } finally {
            channel.configureBlocking(wasBlocking);
        }
    }

    @Override
    public SocketChannel channel() {
        return channel;
    }

    @Override
    public SocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing is best effort: the connection is being abandoned anyway
        }
    }
}
