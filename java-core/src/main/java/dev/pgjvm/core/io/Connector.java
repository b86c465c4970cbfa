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

/**
 * Opens the socket to one {@link HostTarget}: TCP (each resolved address in turn, as libpq
 * does) or a Unix-domain socket. Failures carry libpq 15's wording, one paragraph per address
 * tried.
 */
public final class Connector {
    private Connector() {
    }

    /**
     * @param timeoutSeconds connect timeout per address; 0 waits as long as the OS does
     * @throws PgConnectionException when no address accepts the connection
     */
    public static Transport open(HostTarget target, int timeoutSeconds) {
        if (target.kind() == HostTarget.Kind.UNIX_SOCKET) {
            return openUnix(target);
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(target.connectHost());
        } catch (UnknownHostException e) {
            if (target.isNumericAddress()) {
                throw new PgConnectionException("could not parse network address \"" + target.hostaddr()
                        + "\": Name or service not known\n", e);
            }
            throw new PgConnectionException("could not translate host name \"" + target.host()
                    + "\" to address: Name or service not known\n", e);
        }
        StringBuilder errors = new StringBuilder();
        PgConnectionException last = null;
        for (InetAddress address : addresses) {
            try {
                return openTcp(target, address, timeoutSeconds);
            } catch (PgConnectionException e) {
                errors.append(e.getMessage());
                last = e;
            }
        }
        throw new PgConnectionException(errors.toString(), last == null ? null : last.getCause());
    }

    private static Transport openTcp(HostTarget target, InetAddress address, int timeoutSeconds) {
        SocketAddress remote = new InetSocketAddress(address, target.port());
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open();
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.setOption(StandardSocketOptions.SO_KEEPALIVE, true); // libpq's keepalives=1 default
            // The socket adaptor is the one NIO path that honours a connect timeout in blocking mode.
            channel.socket().connect(remote, timeoutSeconds * 1000);
            return new PlainTransport(channel, remote);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new PgConnectionException(ConnectFailures.connectFailed(target, address.getHostAddress(), e), e);
        }
    }

    private static Transport openUnix(HostTarget target) {
        SocketAddress remote = UnixDomainSocketAddress.of(target.socketPath());
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(remote);
            return new PlainTransport(channel, remote);
        } catch (IOException | UnsupportedOperationException e) {
            closeQuietly(channel);
            throw new PgConnectionException(ConnectFailures.connectFailed(target, null, e), e);
        }
    }

    /** Opens a plain socket to an address already connected to once (for CancelRequest). */
    static SocketChannel reopen(SocketAddress remote, int timeoutSeconds) throws IOException {
        if (remote instanceof UnixDomainSocketAddress) {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                channel.connect(remote);
                return channel;
            } catch (IOException e) {
                closeQuietly(channel);
                throw e;
            }
        }
        SocketChannel channel = SocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.socket().connect(remote, timeoutSeconds * 1000);
            return channel;
        } catch (IOException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to do with a socket that failed to connect
            }
        }
    }
}
