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
 */
public record HostTarget(Kind kind, String host, String hostaddr, int port) {
    public enum Kind { TCP, UNIX_SOCKET }

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
