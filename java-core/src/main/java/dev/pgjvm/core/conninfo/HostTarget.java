package dev.pgjvm.core.conninfo;

import java.nio.file.Path;

/**
 * One place to try connecting to, from the host/hostaddr/port lists.
 *
 * @param kind     TCP, or a Unix-domain socket in directory {@code host}
 * @param host     the host name or socket directory as given (the default socket directory
 *                 when none was given); shown in messages and used for .pgpass
 * @param hostaddr a numeric address to connect to instead of resolving host, or null
 * @param port     the port (also names the Unix socket file)
 * @param hostGiven false when only hostaddr was given: {@code host} then shows the address
 */
public record HostTarget(Kind kind, String host, String hostaddr, int port, boolean hostGiven) {
    public enum Kind { TCP, UNIX_SOCKET }

    /** A target whose host was given (or defaulted) as such. */
    public HostTarget(Kind kind, String host, String hostaddr, int port) {
        this(kind, host, hostaddr, port, true);
    }

    /**
     * The host name as the user gave it, for TLS's SNI and verify-full's check; null when only
     * hostaddr was given ({@link #host()} shows the address then, for messages and .pgpass).
     */
    public String givenHost() {
        return hostGiven ? host : null;
    }

    /** The socket file of a UNIX_SOCKET target: {@code <dir>/.s.PGSQL.<port>}. */
    public Path socketPath() {
        return Path.of(host, ".s.PGSQL." + port);
    }

    /** What to resolve and connect to for a TCP target: hostaddr when given, else host. */
    public String connectHost() {
        return hostaddr != null && !hostaddr.isEmpty() ? hostaddr : host;
    }

    /** Whether the address was given numerically (libpq shows no separate resolved address then). */
    public boolean isNumericAddress() {
        return hostaddr != null && !hostaddr.isEmpty();
    }
}
