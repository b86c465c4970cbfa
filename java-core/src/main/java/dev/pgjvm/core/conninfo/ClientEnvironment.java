package dev.pgjvm.core.conninfo;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What libpq reads from the process: environment variables, the OS user name, the home
 * directory (for ~/.pgpass) and where to look for the server's Unix socket by default.
 * Injected, so tests never depend on the real environment.
 *
 * @param socketDirectories default socket directories in order of preference: the first one
 *                          holding the port's socket file is used, else the first one
 */
public record ClientEnvironment(Map<String, String> variables, String osUserName, Path homeDirectory,
                                List<Path> socketDirectories) {
    /** Debian's libpq default, then the upstream default. */
    public static final List<Path> DEFAULT_SOCKET_DIRECTORIES = List.of(Path.of("/var/run/postgresql"), Path.of("/tmp"));

    public ClientEnvironment {
        variables = Map.copyOf(variables);
        socketDirectories = List.copyOf(socketDirectories);
        if (socketDirectories.isEmpty()) {
            throw new IllegalArgumentException("at least one default socket directory is needed");
        }
    }

    public ClientEnvironment(Map<String, String> variables, String osUserName, Path homeDirectory) {
        this(variables, osUserName, homeDirectory, DEFAULT_SOCKET_DIRECTORIES);
    }

    /** The real process environment. */
    public static ClientEnvironment system() {
        return withVariables(System.getenv());
    }

    /**
     * The given environment variables with this process's user: for an embedding language
     * whose environment changes after the JVM started (as Python's os.environ does: libpq would
     * see the change through getenv(), Java's System.getenv() does not).
     */
    public static ClientEnvironment withVariables(Map<String, String> env) {
        String home = env.get("HOME");
        if (home == null || home.isEmpty()) {
            home = System.getProperty("user.home");
        }
        return new ClientEnvironment(env, System.getProperty("user.name"), home == null ? null : Path.of(home));
    }

    /** The variable's value, or null when unset (an empty value counts as set, as in libpq). */
    public String get(String name) {
        return name == null ? null : variables.get(name);
    }
}
