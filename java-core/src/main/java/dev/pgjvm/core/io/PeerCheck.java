package dev.pgjvm.core.io;

import dev.pgjvm.core.PgConnectionException;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;

/**
 * What libpq checks of a connected socket before any byte is sent: requirepeer (on a
 * Unix-domain socket, the server process must run as this operating-system user; libpq reads
 * the peer's credentials from the socket; TCP connections are not checked) and gssencmode.
 */
final class PeerCheck {
    private PeerCheck() {
    }

    /**
     * gssencmode=require, as a libpq built with GSSAPI fails it without Kerberos credentials
     * (java-core has no GSSAPI: there never are any).
     *
     * @throws PgConnectionException when GSS encryption is required, in libpq's words
     */
    static void verifyGssEncryption(Transport transport, String gssencmode) {
        if ("require".equals(gssencmode)) {
            throw new PgConnectionException(transport.remoteAddress() instanceof UnixDomainSocketAddress
                    ? "GSSAPI encryption required but it is not supported over a local socket\n"
                    : "GSSAPI encryption required but no credential cache\n");
        }
    }

    /** @throws PgConnectionException when the peer runs as someone else, in libpq's words */
    static void verify(Transport transport, String requiredUser) {
        if (requiredUser == null || requiredUser.isEmpty() || !(transport.remoteAddress() instanceof UnixDomainSocketAddress)) {
            return;
        }
        SocketChannel channel = transport.channel();
        if (!TcpKeepalive.JDK_NET
                || !channel.supportedOptions().contains(ExtendedSocketOptions.SO_PEERCRED)) {
            throw new PgConnectionException("requirepeer parameter is not supported on this platform\n");
        }
        String actual;
        try {
            UnixDomainPrincipal peer = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
            actual = peer.user().getName();
        } catch (IOException e) {
            throw new PgConnectionException("could not get peer credentials: " + e.getMessage() + "\n", e);
        }
        if (!actual.equals(requiredUser)) {
            throw new PgConnectionException("requirepeer specifies \"" + requiredUser + "\", but actual peer user name is \""
                    + actual + "\"\n");
        }
    }
}
