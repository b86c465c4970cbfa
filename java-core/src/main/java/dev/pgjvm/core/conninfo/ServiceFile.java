package dev.pgjvm.core.conninfo;

import dev.pgjvm.core.ConnInfoException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Connection services (service=name, or PGSERVICE), read as libpq reads them: the user's file
 * (PGSERVICEFILE, else ~/.pg_service.conf) first, then the system's (pg_service.conf in
 * PGSYSCONFDIR, else {@link #SYSTEM_DIRECTORY}); the first file that has the service's
 * [section] gives its options. A service's options come after the ones given explicitly and
 * before the PG* environment.
 */
final class ServiceFile {
    /** Where Debian's and Ubuntu's libpq look by default. */
    static final Path SYSTEM_DIRECTORY = Path.of("/etc/postgresql-common");

    private ServiceFile() {
    }

    /**
     * The options of the service.
     *
     * @throws ConnInfoException when no file defines it, PGSERVICEFILE names no file, or a file
     *                           has a syntax error (libpq's words)
     */
    static Map<String, String> lookup(String service, ClientEnvironment env) {
        String userFile = env.get("PGSERVICEFILE");
        Path first = null;
        if (userFile != null && !userFile.isEmpty()) {
            first = Path.of(userFile);
            if (!Files.exists(first)) {
                throw new ConnInfoException("service file \"" + first + "\" not found\n");
            }
        } else if (env.homeDirectory() != null) {
            first = env.homeDirectory().resolve(".pg_service.conf");
        }
        String sysconf = env.get("PGSYSCONFDIR");
        Path second = (sysconf == null || sysconf.isEmpty() ? SYSTEM_DIRECTORY : Path.of(sysconf)).resolve("pg_service.conf");
        for (Path file : new Path[] {first, second}) {
            if (file != null && Files.exists(file)) {
                Map<String, String> options = read(file, service);
                if (options != null) {
                    return options;
                }
            }
        }
        throw new ConnInfoException("definition of service \"" + service + "\" not found\n");
    }

    /** The service's options in this file, or null when the file has no such section. */
    static Map<String, String> read(Path file, String service) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConnInfoException("service file \"" + file + "\" not found\n");
        }
        Map<String, String> options = null;
        boolean inService = false;
        for (int n = 1; n <= lines.size(); n++) {
            String line = lines.get(n - 1).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[")) {
                if (options != null) {
                    break; // the service's section is over
                }
                inService = line.endsWith("]") && line.substring(1, line.length() - 1).equals(service);
                if (inService) {
                    options = new LinkedHashMap<>();
                }
                continue;
            }
            if (!inService) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw syntax(file, n);
            }
            String key = line.substring(0, eq);
            String value = line.substring(eq + 1);
            if (key.equals("service")) {
                throw new ConnInfoException("nested service specifications not supported in service file \""
                        + file + "\", line " + n + "\n");
            }
            if (ConnInfoKeyword.find(key) == null) {
                throw syntax(file, n);
            }
            options.putIfAbsent(key, value);
        }
        return options;
    }

    private static ConnInfoException syntax(Path file, int line) {
        return new ConnInfoException("syntax error in service file \"" + file + "\", line " + line + "\n");
    }
}
