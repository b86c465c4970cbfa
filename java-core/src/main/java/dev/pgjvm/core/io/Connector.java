package dev.pgjvm.core.io;

import dev.pgjvm.core.PgConnectionException;
import dev.pgjvm.core.conninfo.HostTarget;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens the socket to one {@link HostTarget}: TCP (each resolved address in turn, as libpq
 * does) or a Unix-domain socket, blocking with a timeout or without blocking at all. Failures
 * carry libpq 15's wording, one paragraph per address tried.
 */
public final class Connector {
    private Connector() {
    }

    /**
     * The addresses to try for a target, in order: its resolved IP addresses (the lookup
     * blocks, as libpq's does even in non-blocking mode), or its socket path.
     *
     * @throws PgConnectionException when the host name does not resolve
     */
    public static List<SocketAddress> addresses(HostTarget target) {
        if (target.kind() == HostTarget.Kind.UNIX_SOCKET) {
            return List.of(UnixDomainSocketAddress.of(target.socketPath()));
        }
        try {
            List<SocketAddress> out = new ArrayList<>();
            for (InetAddress address : InetAddress.getAllByName(target.connectHost())) {
                out.add(new InetSocketAddress(address, target.port()));
            }
            return out;
        } catch (UnknownHostException e) {
            if (target.isNumericAddress()) {
                throw new PgConnectionException("could not parse network address \"" + target.hostaddr()
                        + "\": Name or service not known\n", e);
            }
            throw new PgConnectionException("could not translate host name \"" + target.host()
                    + "\" to address: Name or service not known\n", e);
        }
    }

    /**
     * Connects to the first address of the target that accepts, blocking.
     *
     * @param timeoutSeconds connect timeout per address; 0 waits as long as the OS does
     * @throws PgConnectionException when no address accepts the connection
     */
    public static Transport open(HostTarget target, int timeoutSeconds) {
        return open(target, timeoutSeconds, TcpKeepalive.DEFAULT);
    }

    /** As {@link #open(HostTarget, int)}, with libpq's keepalive options. */
    static Transport open(HostTarget target, int timeoutSeconds, TcpKeepalive keepalive) {
        StringBuilder errors = new StringBuilder();
        Throwable last = null;
        for (SocketAddress address : addresses(target)) {
            SocketChannel channel = null;
            try {
                channel = newChannel(address, keepalive);
                if (address instanceof InetSocketAddress) {
                    // The socket adaptor is the one NIO path that honours a connect timeout in blocking mode.
                    channel.socket().connect(address, timeoutSeconds * 1000);
                } else {
                    channel.connect(address);
                }
                return new PlainTransport(channel, address);
            } catch (IOException | UnsupportedOperationException e) {
                closeQuietly(channel);
                errors.append(failure(target, address, e));
                last = e;
            }
        }
        throw new PgConnectionException(errors.toString(), last);
    }

    /**
     * Starts connecting to one address without blocking: the transport is in non-blocking mode
     * and {@link Transport#finishConnect()} says when the connection is made.
     *
     * @throws IOException when the connect fails at once (see {@link #failure})
     */
    public static Transport startOpen(SocketAddress address) throws IOException {
        return startOpen(address, TcpKeepalive.DEFAULT);
    }

    /** As {@link #startOpen(SocketAddress)}, with libpq's keepalive options. */
    static Transport startOpen(SocketAddress address, TcpKeepalive keepalive) throws IOException {
        SocketChannel channel = newChannel(address, keepalive);
        try {
            channel.configureBlocking(false);
            channel.connect(address);
            return new PlainTransport(channel, address);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** libpq's paragraph for a failed connect to one address of the target. */
    public static String failure(HostTarget target, SocketAddress address, Exception e) {
        String numeric = address instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : null;
        return ConnectFailures.connectFailed(target, numeric, e);
    }

    private static SocketChannel newChannel(SocketAddress address, TcpKeepalive keepalive) throws IOException {
        if (address instanceof UnixDomainSocketAddress) {
            return SocketChannel.open(StandardProtocolFamily.UNIX);
        }
        SocketChannel channel = SocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            keepalive.applyTo(channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return channel;
    }

    /** Opens a plain socket to an address already connected to once (for CancelRequest). */
    static SocketChannel reopen(SocketAddress remote, int timeoutSeconds) throws IOException {
        SocketChannel channel = newChannel(remote, TcpKeepalive.DEFAULT);
        try {
            if (remote instanceof InetSocketAddress) {
                channel.socket().connect(remote, timeoutSeconds * 1000);
            } else {
                channel.connect(remote);
            }
            return channel;
        } catch (IOException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    static void closeQuietly(SocketChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to do with a socket that failed to connect
            }
        }
    }
}
