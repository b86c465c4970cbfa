package dev.pgjvm.core.io;

import dev.pgjvm.core.conninfo.HostTarget;

import java.net.ConnectException;
import java.net.SocketTimeoutException;

/** libpq 15's wording for failed connection attempts. */
public final class ConnectFailures {
    private ConnectFailures() {
    }

    /**
     * The prefix libpq puts before every error of one connection attempt, e.g.
     * {@code connection to server at "localhost" (127.0.0.1), port 5432 failed: }.
     *
     * @param address the numeric address tried, or null when not known
     */
    public static String prefix(HostTarget target, String address) {
        if (target.kind() == HostTarget.Kind.UNIX_SOCKET) {
            return "connection to server on socket \"" + target.socketPath() + "\" failed: ";
        }
        String shown = target.isNumericAddress() ? target.hostaddr() : target.host();
        if (!target.isNumericAddress() && address != null && !address.isEmpty() && !address.equals(shown)) {
            return "connection to server at \"" + shown + "\" (" + address + "), port " + target.port() + " failed: ";
        }
        return "connection to server at \"" + shown + "\", port " + target.port() + " failed: ";
    }

    /** The strerror() text plus libpq's hint, for a failed connect(). */
    public static String connectFailed(HostTarget target, String address, Exception e) {
        if (e instanceof SocketTimeoutException) {
            return prefix(target, address) + "timeout expired\n";
        }
        String hint = target.kind() == HostTarget.Kind.UNIX_SOCKET
                ? "\tIs the server running locally and accepting connections on that socket?\n"
                : "\tIs the server running on that host and accepting TCP/IP connections?\n";
        return prefix(target, address) + strerror(e) + "\n" + hint;
    }

    /** Java's message for a socket error, trimmed to the C library's wording where they differ. */
    static String strerror(Exception e) {
        String m = e.getMessage();
        if (m == null || m.isEmpty()) {
            return e instanceof ConnectException ? "Connection refused" : e.getClass().getSimpleName();
        }
        int paren = m.indexOf(" (");
        if (paren > 0 && m.endsWith(")")) {
            m = m.substring(0, paren); // e.g. "Connection refused (Connection refused)"
        }
        return m;
    }
}
