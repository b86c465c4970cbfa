package dev.pgjvm.core.conninfo;

import dev.pgjvm.core.ConnInfoException;
import dev.pgjvm.core.auth.PasswordSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The effective connection options: the explicit ones, then the PG* environment, then libpq's
 * compiled defaults, then libpq's derived defaults (user = OS user, dbname = user, the default
 * socket directory, ~/.pgpass), plus the list of hosts to try. Immutable.
 */
public final class ConnectionSettings {
    private static final Set<String> SSL_MODES = Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");
    private static final Set<String> CHANNEL_BINDINGS = Set.of("disable", "prefer", "require");
    private static final Set<String> GSSENC_MODES = Set.of("disable", "prefer", "require");
    private static final Set<String> SSL_NEGOTIATIONS = Set.of("postgres", "direct");
    private static final Set<String> SSL_CERT_MODES = Set.of("disable", "allow", "require");
    private static final Set<String> LOAD_BALANCE_HOSTS = Set.of("disable", "random");
    private static final Set<String> TARGET_SESSION_ATTRS = Set.of("any", "read-write", "read-only", "primary", "standby", "prefer-standby");

    private final Map<String, String> effective;
    private final List<HostTarget> targets;
    private final int connectTimeoutSeconds;
    private final ClientEnvironment environment;

    private ConnectionSettings(Map<String, String> effective, List<HostTarget> targets, int connectTimeoutSeconds,
                               ClientEnvironment environment) {
        this.effective = Collections.unmodifiableMap(effective);
        this.targets = List.copyOf(targets);
        this.connectTimeoutSeconds = connectTimeoutSeconds;
        this.environment = environment;
    }

    /** @throws ConnInfoException for an invalid option value, with libpq's wording */
    public static ConnectionSettings resolve(ConnInfo info, ClientEnvironment env) {
        Map<String, String> values = new LinkedHashMap<>();
        String service = info.get("service") != null ? info.get("service") : env.get("PGSERVICE");
        Map<String, String> fromService = service == null || service.isEmpty() ? Map.of() : ServiceFile.lookup(service, env);
        for (ConnInfoKeyword k : ConnInfoKeyword.ALL) {
            String v = info.get(k.name());
            if (v == null) {
                v = fromService.get(k.name());
            }
            if (v == null) {
                v = env.get(k.envVar());
            }
            if (v == null && k.name().equals("sslmode")) {
                String requireSsl = env.get("PGREQUIRESSL"); // deprecated, still honoured by libpq
                if (requireSsl != null && requireSsl.startsWith("1")) {
                    v = "require";
                }
            }
            if (v == null) {
                v = k.compiledDefault();
            }
            if (v != null) {
                values.put(k.name(), v);
            }
        }
        if ("system".equals(values.get("sslrootcert")) && info.get("sslmode") == null
                && fromService.get("sslmode") == null && env.get("PGSSLMODE") == null && env.get("PGREQUIRESSL") == null) {
            values.put("sslmode", "verify-full"); // libpq 16: the system's roots make verify-full the default
        }
        if (isEmpty(values.get("user"))) {
            putIfNotNull(values, "user", env.osUserName());
        }
        if (isEmpty(values.get("dbname"))) {
            putIfNotNull(values, "dbname", values.get("user"));
        }
        // As libpq: the default password file only when no password was given.
        if (isEmpty(values.get("passfile")) && isEmpty(values.get("password")) && env.homeDirectory() != null) {
            values.put("passfile", env.homeDirectory().resolve(".pgpass").toString());
        }
        if ("auto".equals(values.get("client_encoding"))) {
            values.put("client_encoding", "UTF8"); // libpq takes the locale's; ours is Java's, always Unicode
        }
        checkChoice(values, "sslmode", SSL_MODES);
        checkChoice(values, "channel_binding", CHANNEL_BINDINGS);
        checkChoice(values, "gssencmode", GSSENC_MODES);
        checkChoice(values, "sslnegotiation", SSL_NEGOTIATIONS);
        checkChoice(values, "sslcertmode", SSL_CERT_MODES);
        checkChoice(values, "load_balance_hosts", LOAD_BALANCE_HOSTS);
        checkChoice(values, "target_session_attrs", TARGET_SESSION_ATTRS);
        int timeout = 0;
        String timeoutText = values.get("connect_timeout");
        if (!isEmpty(timeoutText)) {
            timeout = parseInt(timeoutText, "connect_timeout");
            if (timeout > 0 && timeout < 2) {
                timeout = 2; // libpq's minimum: one second could expire before the clock ticks
            }
        }
        Map<String, String> ordered = new LinkedHashMap<>(); // libpq's keyword order, for dsnParameters()
        for (ConnInfoKeyword k : ConnInfoKeyword.ALL) {
            putIfNotNull(ordered, k.name(), values.get(k.name()));
        }
        return new ConnectionSettings(ordered, targets(values, env), Math.max(timeout, 0), env);
    }

    private static List<HostTarget> targets(Map<String, String> values, ClientEnvironment env) {
        List<String> hosts = splitList(values.get("host"));
        List<String> hostaddrs = splitList(values.get("hostaddr"));
        List<String> ports = splitList(values.get("port"));
        int count;
        if (!isEmpty(values.get("hostaddr"))) {
            count = hostaddrs.size();
            if (!isEmpty(values.get("host")) && hosts.size() != count) {
                throw new ConnInfoException("could not match " + hosts.size() + " host names to "
                        + count + " hostaddr values\n");
            }
        } else {
            count = Math.max(hosts.size(), 1);
        }
        if (ports.size() > 1 && ports.size() != count) {
            throw new ConnInfoException("could not match " + ports.size() + " port numbers to " + count + " hosts\n");
        }
        List<HostTarget> targets = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String host = i < hosts.size() ? hosts.get(i) : "";
            String hostaddr = i < hostaddrs.size() ? hostaddrs.get(i) : "";
            String portText = ports.isEmpty() ? "" : ports.get(ports.size() == 1 ? 0 : i);
            int port = parsePort(portText);
            if (!hostaddr.isEmpty()) {
                targets.add(new HostTarget(HostTarget.Kind.TCP, host.isEmpty() ? hostaddr : host, hostaddr, port,
                        !host.isEmpty()));
            } else if (host.startsWith("/")) {
                targets.add(new HostTarget(HostTarget.Kind.UNIX_SOCKET, host, null, port));
            } else if (!host.isEmpty()) {
                targets.add(new HostTarget(HostTarget.Kind.TCP, host, null, port));
            } else {
                targets.add(new HostTarget(HostTarget.Kind.UNIX_SOCKET, defaultSocketDirectory(env, port), null, port));
            }
        }
        return targets;
    }

    /** The first default directory that holds this port's socket, else the first one (for the error message). */
    private static String defaultSocketDirectory(ClientEnvironment env, int port) {
        for (Path dir : env.socketDirectories()) {
            if (Files.exists(dir.resolve(".s.PGSQL." + port))) {
                return dir.toString();
            }
        }
        return env.socketDirectories().get(0).toString();
    }

    private static int parsePort(String text) {
        if (text.isEmpty()) {
            return 5432;
        }
        int port = parseInt(text, "port");
        if (port < 1 || port > 65535) {
            throw new ConnInfoException("invalid port number: \"" + text + "\"\n");
        }
        return port;
    }

    /** strtol-like: surrounding whitespace allowed, nothing else. */
    private static int parseInt(String text, String keyword) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new ConnInfoException("invalid integer value \"" + text + "\" for connection option \""
                    + keyword + "\"\n");
        }
    }

    private static void checkChoice(Map<String, String> values, String keyword, Set<String> allowed) {
        String v = values.get(keyword);
        if (v != null && !allowed.contains(v)) {
            throw new ConnInfoException("invalid " + keyword + " value: \"" + v + "\"\n");
        }
    }

    private static List<String> splitList(String value) {
        if (value == null || value.isEmpty()) {
            return List.of();
        }
        return Arrays.asList(value.split(",", -1));
    }

    private static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
    }

    private static void putIfNotNull(Map<String, String> values, String key, String value) {
        if (value != null) {
            values.put(key, value);
        }
    }

    // ---------------------------------------------------------------- accessors

    /** An effective option value, or null. */
    public String get(String keyword) {
        return effective.get(keyword);
    }

    public String user() {
        return effective.get("user");
    }

    public String dbname() {
        return effective.get("dbname");
    }

    public List<HostTarget> targets() {
        return targets;
    }

    /** Where the options came from: the variables, the user's home (its ~/.postgresql files). */
    public ClientEnvironment environment() {
        return environment;
    }

    /**
     * An integer option (keepalives_idle, ...), or {@code fallback} when unset or empty.
     *
     * @throws ConnInfoException when it is not an integer, in libpq's words
     */
    public int intOption(String keyword, int fallback) {
        String v = effective.get(keyword);
        return isEmpty(v) ? fallback : parseInt(v, keyword);
    }

    /** Seconds to wait for each connection attempt; 0 means forever. */
    public int connectTimeoutSeconds() {
        return connectTimeoutSeconds;
    }

    /**
     * The effective options, keyword to value, in libpq's keyword order, without the password
     * (what PQconninfo reports, as psycopg2's get_dsn_parameters shows it). Unmodifiable.
     */
    public Map<String, String> dsnParameters() {
        Map<String, String> out = new LinkedHashMap<>(effective);
        out.remove("password");
        return Collections.unmodifiableMap(out);
    }

    /**
     * The StartupMessage parameters, as libpq builds them: user, database, replication,
     * options, application_name (or fallback_application_name), client_encoding — each only
     * when set and non-empty.
     */
    public Map<String, String> startupParameters() {
        Map<String, String> p = new LinkedHashMap<>();
        addIfSet(p, "user", effective.get("user"));
        addIfSet(p, "database", effective.get("dbname"));
        addIfSet(p, "replication", effective.get("replication"));
        addIfSet(p, "options", effective.get("options"));
        String appName = effective.get("application_name");
        addIfSet(p, "application_name", isEmpty(appName) ? effective.get("fallback_application_name") : appName);
        addIfSet(p, "client_encoding", effective.get("client_encoding"));
        return p;
    }

    private static void addIfSet(Map<String, String> p, String key, String value) {
        if (!isEmpty(value)) {
            p.put(key, value);
        }
    }

    /**
     * The password for one target: the explicit (or PGPASSWORD) one, else the password file's
     * entry for that host, read only when the server actually asks.
     */
    public PasswordSource passwordFor(HostTarget target) {
        String explicit = effective.get("password");
        if (!isEmpty(explicit)) {
            return PasswordSource.of(explicit);
        }
        String passfile = effective.get("passfile");
        if (isEmpty(passfile)) {
            return PasswordSource.none();
        }
        String host = target.host();
        if (isEmpty(host)) {
            host = target.hostaddr();
        }
        if (isEmpty(host) || (host.startsWith("/") && isDefaultSocketDirectory(host))) {
            host = "localhost"; // libpq: 'localhost' matches the default socket directory
        }
        String pgpassHost = host;
        String port = Integer.toString(target.port());
        return () -> PgPassFile.lookup(Path.of(passfile), pgpassHost, port, dbname(), user());
    }

    private boolean isDefaultSocketDirectory(String dir) {
        for (Path p : environment.socketDirectories()) {
            if (p.toString().equals(dir)) {
                return true;
            }
        }
        return false;
    }
}
